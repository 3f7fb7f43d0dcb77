package claude.code.api.gateway;

import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import java.io.IOException;
import java.time.Duration;

/**
 * Moves a turn's events to a streaming response on the caller's thread: it waits for each event
 * ({@link EventStream#awaitNext}) at most until {@code pingInterval} has passed without anything
 * written, and then the sink's keep-alive is written, which is also how a client that went away
 * during a long silent stretch (a tool running) is noticed. Silence is counted in writes, not
 * events: a long run of events the client does not see (the deltas of a hidden tool input, the
 * API's own pings) gets keep-alives too. When a write fails the stream is closed, which
 * interrupts the turn (and the backend closes that session).
 */
final class TurnPump {
    interface Sink {
        /** @return whether anything was written for {@code event} */
        boolean event(Event event) throws IOException;

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
     *     {@link End#CLIENT_GONE} when a write failed or this thread was interrupted (the stream
     *     was closed)
     * @throws RuntimeException what the stream threw
     */
    static End run(EventStream turn, Duration pingInterval, Sink sink) {
        long interval = pingInterval.toNanos();
        long lastWrite = System.nanoTime();
        try {
            while (true) {
                long silent = System.nanoTime() - lastWrite;
                if (silent >= interval) {
                    sink.keepAlive();
                    lastWrite = System.nanoTime();
                } else if (!turn.awaitNext(Duration.ofNanos(interval - silent))) {
                    continue; // the interval passed: the keep-alive is written above
                } else if (turn.hasNext()) {
                    if (sink.event(turn.next())) {
                        lastWrite = System.nanoTime();
                    }
                } else {
                    return End.COMPLETED;
                }
            }
        } catch (IOException clientGone) {
            turn.close(); // interrupts the turn
            return End.CLIENT_GONE;
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) { // the server is stopping this request: as if the client left
                turn.close();
                return End.CLIENT_GONE;
            }
            throw e;
        }
    }
}
