package claude.code.api.pty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Test helper: reads a PTY's whole output on a virtual thread (as the real consumer will) and lets
 * a test wait, with a hang guard, until the text so far satisfies a condition or the output ends.
 */
final class Capture {
    static final Duration GUARD = Duration.ofSeconds(20);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean ended;
    private IOException failure;
    private final Thread reader;

    private Capture(InputStream in) {
        reader = Thread.ofVirtual().name("capture").start(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) append(buf, n);
            } catch (IOException e) {
                lock.lock();
                try {
                    failure = e;
                } finally {
                    lock.unlock();
                }
            } finally {
                lock.lock();
                try {
                    ended = true;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        });
    }

    static Capture of(PtyProcess process) {
        return new Capture(process.output());
    }

    private void append(byte[] buf, int n) {
        lock.lock();
        try {
            bytes.write(buf, 0, n);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The output so far, decoded, with the terminal's CRLF turned back into LF. */
    String text() {
        lock.lock();
        try {
            return bytes.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code text()} contains {@code expected}; fails with the text seen if it never does. */
    String await(String expected) throws InterruptedException {
        return await(t -> t.contains(expected), "output containing " + expected);
    }

    String await(Predicate<String> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD.toNanos();
        lock.lock();
        try {
            while (true) {
                String text = bytes.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
                if (condition.test(text)) return text;
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    throw new AssertionError("expected " + what + (ended ? " before the end of output" : " within " + GUARD)
                            + ", got: " + text);
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the end of output (read returned -1) and returns everything, decoded. */
    String awaitEnd() throws InterruptedException {
        return new String(awaitEndBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    byte[] awaitEndBytes() throws InterruptedException {
        if (!reader.join(GUARD)) throw new AssertionError("output did not end within " + GUARD + ", got: " + text());
        lock.lock();
        try {
            if (failure != null) throw new AssertionError("reading output failed", failure);
            return bytes.toByteArray();
        } finally {
            lock.unlock();
        }
    }
}
