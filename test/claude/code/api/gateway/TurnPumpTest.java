package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.Usage;
import claude.code.api.testing.Latches;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class TurnPumpTest {
    static final ResultMessage RESULT = new ResultMessage("s", Duration.ZERO, 0, Usage.ZERO, "", "end_turn", null, false);

    /** One result, released by the test; closing counts. */
    static final class HeldTurn implements EventStream {
        final CountDownLatch released = new CountDownLatch(1);
        boolean delivered;
        int closes;

        @Override
        public boolean awaitNext(Duration timeout) {
            return Latches.await(released, timeout);
        }

        @Override
        public boolean hasNext() {
            awaitNext(Duration.ofSeconds(20));
            return !delivered;
        }

        @Override
        public Event next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            delivered = true;
            return RESULT;
        }

        @Override
        public void close() {
            closes++;
        }
    }

    @Test
    void whileNoEventComesTheKeepAliveIsWrittenOnTheCallersThread() {
        HeldTurn turn = new HeldTurn();
        List<String> written = new ArrayList<>();
        Thread caller = Thread.currentThread();
        TurnPump.End end = TurnPump.run(turn, Duration.ofMillis(20), new TurnPump.Sink() {
            @Override
            public boolean event(Event event) {
                written.add("event");
                return true;
            }

            @Override
            public void keepAlive() {
                assertEquals(caller, Thread.currentThread());
                written.add("ping");
                if (written.size() == 3) {
                    turn.released.countDown();
                }
            }
        });
        assertEquals(TurnPump.End.COMPLETED, end);
        assertEquals(List.of("ping", "ping", "ping", "event"), written);
        assertEquals(0, turn.closes);
    }

    @Test
    void aKeepAliveThatCannotBeWrittenClosesTheTurn() {
        HeldTurn turn = new HeldTurn();
        TurnPump.End end = TurnPump.run(turn, Duration.ofMillis(20), new TurnPump.Sink() {
            @Override
            public boolean event(Event event) {
                return false;
            }

            @Override
            public void keepAlive() throws IOException {
                throw new IOException("broken pipe");
            }
        });
        assertEquals(TurnPump.End.CLIENT_GONE, end);
        assertTrue(turn.closes >= 1, "closing interrupts the turn");
    }

    /** Events spaced {@code spacing} apart, none of which the client sees, then the result. */
    static final class SilentTurn implements EventStream {
        final List<Event> events;
        final Duration spacing;
        int next;

        SilentTurn(int count, Duration spacing) {
            events = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                events.add(new claude.code.api.events.StreamEvent.Ping());
            }
            events.add(RESULT);
            this.spacing = spacing;
        }

        @Override
        public boolean awaitNext(Duration timeout) {
            return true;
        }

        @Override
        public boolean hasNext() {
            return next < events.size();
        }

        @Override
        public Event next() {
            try {
                Thread.sleep(spacing);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return events.get(next++);
        }

        @Override
        public void close() {}
    }

    @Test
    void eventsThatWriteNothingStillGetAKeepAliveOncePingIntervalPassedWithoutAWrite() {
        // every event comes 30 ms after the last, the interval is 20 ms: after each one a keep-alive is due
        SilentTurn turn = new SilentTurn(3, Duration.ofMillis(30));
        List<String> written = new ArrayList<>();
        TurnPump.End end = TurnPump.run(turn, Duration.ofMillis(20), new TurnPump.Sink() {
            @Override
            public boolean event(Event event) {
                written.add(event instanceof ResultMessage ? "result" : "hidden");
                return false;
            }

            @Override
            public void keepAlive() {
                written.add("ping");
            }
        });
        assertEquals(TurnPump.End.COMPLETED, end);
        assertEquals(List.of("hidden", "ping", "hidden", "ping", "hidden", "ping", "result", "ping"), written);
    }
}
