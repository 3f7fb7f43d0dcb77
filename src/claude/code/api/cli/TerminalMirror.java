package claude.code.api.cli;

import claude.code.api.terminal.TerminalScreen;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps a {@link TerminalScreen} in step with a PTY's output: one virtual thread reads the output
 * and feeds it to the screen, and anyone may wait for the screen to change. Reading never stops
 * while the process runs, so the CLI is never blocked on a full terminal.
 *
 * <p>Changes are counted ({@link #version()}), so a waiter can tell "something new since I last
 * looked" without comparing screens.
 */
final class TerminalMirror implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TerminalMirror.class.getName());
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final TerminalScreen screen;
    private final InputStream output;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread reader;
    private long version;
    private boolean ended;

    TerminalMirror(InputStream output, int columns, int rows, String name) {
        this.screen = new TerminalScreen(columns, rows);
        this.output = output;
        this.reader = Thread.ofVirtual().name("claude-screen " + name).unstarted(this::pump);
    }

    void start() {
        reader.start();
    }

    private void pump() {
        byte[] buffer = new byte[4 * 1024]; // small: one per live session (idle_session_heap_kb)
        try {
            int n;
            while ((n = output.read(buffer)) >= 0) {
                screen.feed(buffer, 0, n);
                signal(false);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "terminal output ended with {0}", e.toString());
        } finally {
            signal(true);
        }
    }

    private void signal(boolean end) {
        lock.lock();
        try {
            version++;
            ended |= end;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many output chunks have been applied so far. */
    long version() {
        lock.lock();
        try {
            return version;
        } finally {
            lock.unlock();
        }
    }

    /** The terminal has no writer left (the process exited, or the PTY was closed). */
    boolean ended() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the version differs from {@code seen}, the output ends, or {@code timeout} passes.
     *
     * @return the version now
     */
    long awaitChange(long seen, Duration timeout) throws InterruptedException {
        long nanos = Math.max(0, timeout.toNanos());
        lock.lock();
        try {
            while (version == seen && !ended && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            return version;
        } finally {
            lock.unlock();
        }
    }

    /** The screen as plain text (see {@link TerminalScreen#text()}). */
    String text() {
        return screen.text();
    }

    void resize(int columns, int rows) {
        screen.resize(columns, rows);
    }

    /** Waits for the reader to end; call after the PTY is closed (its output then ends at once). */
    @Override
    public void close() {
        boolean interrupted = false;
        try {
            if (reader.isAlive() && !reader.join(STOP_TIMEOUT)) {
                LOG.log(System.Logger.Level.WARNING, "the terminal reader did not end within {0}", STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
