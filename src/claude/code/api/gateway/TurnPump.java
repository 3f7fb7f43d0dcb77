package claude.code.api.gateway;

import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Moves a turn's events to a streaming response: a virtual thread reads the blocking
 * {@link EventStream}, the caller's thread writes. While no event comes for
 * {@code pingInterval} the sink's keep-alive is written, which is also how a client that went
 * away during a long silent stretch (a tool running) is noticed. When a write fails the stream
 * is closed, which interrupts the turn (and the backend closes that session).
 */
final class TurnPump {
    interface Sink {
        void event(Event event) throws IOException;

        void keepAlive() throws IOException;
    }

    /** Writes a failed turn's error as the API's own stream event. */
    @FunctionalInterface
    interface ErrorEvent {
        void write(HttpError error) throws IOException;
    }

    /** How the turn's stream ended. */
    enum End {
        /** The turn succeeded: the response's closing events are due. */
        COMPLETED,
        /** The turn failed and its error event was written. */
        FAILED,
        /** A write failed: the client went away and the stream was closed. */
        CLIENT_GONE
    }

    private sealed interface Item {}

    private record Next(Event event) implements Item {}

    private record Failed(RuntimeException error) implements Item {}

    private record Done() implements Item {}

    private TurnPump() {}

    /**
     * {@link #run}, then a failure (what the stream threw, or the turn's own error in
     * {@code view}) is written through {@code error}: both APIs end a failed stream the same way,
     * only their error events differ.
     */
    static End stream(EventStream turn, TurnView view, Duration pingInterval, Sink sink, ErrorEvent error)
            throws IOException {
        End end;
        try {
            end = run(turn, pingInterval, sink);
        } catch (RuntimeException e) {
            error.write(Errors.fromException(e));
            return End.FAILED;
        }
        if (end == End.CLIENT_GONE) {
            return end;
        }
        HttpError failure = view.failure();
        if (failure != null) {
            error.write(failure);
            return End.FAILED;
        }
        return end;
    }

    /**
     * @return {@link End#COMPLETED} when the stream ended (its result was delivered), or
     *     {@link End#CLIENT_GONE} when a write failed (the stream was closed)
     * @throws RuntimeException what the stream threw
     */
    static End run(EventStream turn, Duration pingInterval, Sink sink) {
        BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().name("turn-reader").start(() -> {
            try {
                while (turn.hasNext()) {
                    queue.add(new Next(turn.next()));
                }
                queue.add(new Done());
            } catch (RuntimeException e) {
                queue.add(new Failed(e));
            }
        });
        try {
            while (true) {
                Item item = queue.poll(pingInterval.toNanos(), TimeUnit.NANOSECONDS);
                try {
                    switch (item) {
                        case null -> sink.keepAlive();
                        case Next n -> sink.event(n.event());
                        case Failed f -> throw f.error();
                        case Done d -> {
                            return End.COMPLETED;
                        }
                    }
                } catch (IOException clientGone) {
                    turn.close(); // interrupts the turn
                    return End.CLIENT_GONE;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            turn.close();
            return End.CLIENT_GONE;
        } finally {
            stop(reader, turn);
        }
    }

    /** The reader ends once the stream has: closing it makes it end; an interrupt is the last resort. */
    private static void stop(Thread reader, EventStream turn) {
        try {
            if (!reader.join(Duration.ofSeconds(10))) {
                turn.close();
                reader.interrupt();
                reader.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            reader.interrupt();
            Thread.currentThread().interrupt();
        }
    }
}
