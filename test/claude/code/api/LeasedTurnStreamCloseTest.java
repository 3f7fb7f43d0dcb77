package claude.code.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.Message;
import claude.code.api.session.ClaudeSession;
import claude.code.api.testing.Latches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing a turn from one thread while another reads it (the gateway does this when a client
 * goes away mid-stream) counts an interrupt, whichever thread notices the end first.
 */
class LeasedTurnStreamCloseTest {

    /** A session whose turn blocks until closed, then ends without a result, as the real one does. */
    static final class BlockingSession implements ClaudeSession {
        final CountDownLatch reading = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        final CountDownLatch readerDone = new CountDownLatch(1);
        final AtomicBoolean closed = new AtomicBoolean();

        @Override public String sessionId() { return "11111111-1111-4111-8111-111111111111"; }
        @Override public long pid() { return 4242; }
        @Override public boolean isAlive() { return !closed.get(); }
        @Override public String screen() { return ""; }
        @Override public void close() { closed.set(true); }

        @Override
        public EventStream send(String prompt) {
            return new EventStream() {
                @Override
                public boolean hasNext() {
                    reading.countDown();
                    try {
                        released.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return false; // closed: the stream ends, no result
                }

                @Override
                public boolean awaitNext(Duration timeout) {
                    return Latches.await(released, timeout);
                }

                @Override
                public Event next() {
                    throw new NoSuchElementException();
                }

                @Override
                public void close() { // like the real stream: stops the turn and waits until the reader has seen the end
                    released.countDown();
                    try {
                        readerDone.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
        }
    }

    @Test
    void aCloseThatTheReaderNoticesFirstStillCountsAsAnInterrupt(@TempDir Path tmp) throws Exception {
        BlockingSession session = new BlockingSession();
        Path cwd = Files.createDirectory(tmp.resolve("work"));
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(BackendOptions.builder(cwd).build(), launch -> session,
                Map.of("HOME", tmp.toString()), System::nanoTime)) {
            EventStream turn = backend.complete(List.of(Message.user("hello")));
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    assertFalse(turn.hasNext());
                } finally {
                    session.readerDone.countDown();
                }
            });
            assertTrue(session.reading.await(20, TimeUnit.SECONDS));
            turn.close();
            reader.join();
            assertEquals(1, backend.metrics().interruptedTurns());
            assertEquals(0, backend.metrics().failedTurns());
            assertTrue(session.closed.get(), "the session is discarded");
        }
    }
}
