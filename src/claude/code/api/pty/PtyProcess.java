package claude.code.api.pty;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * A child process running in its own pseudo-terminal: it is the leader of a new session and
 * process group, with the terminal as its controlling terminal and as its stdin, stdout and stderr.
 *
 * <p>Every method may be called from virtual threads: nothing here blocks in native code. Reading
 * and exit detection happen on one shared platform thread (see {@code PtyPoller}); callers wait on
 * Java locks and futures, which unmount a virtual thread instead of pinning its carrier.
 *
 * <p>{@link #close()} must be called (try-with-resources): it hangs up the terminal, stops the
 * process group (SIGHUP, a grace period, SIGKILL) and reaps the child. Until then the exited child
 * stays a zombie on purpose — its pid is then also its process-group id, and holding it keeps that
 * id from being reused, so {@link #signal} can never hit an unrelated process group.
 */
public final class PtyProcess implements AutoCloseable {

    /** Time {@link #close()} gives the process group to exit after the hang-up before it sends SIGKILL. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(2);

    /** The signals a terminal driver sends; {@link #signal} delivers them to the whole process group. */
    public enum Signal {
        HUP(Platform.SIGHUP), INT(Platform.SIGINT), QUIT(Platform.SIGQUIT), TERM(Platform.SIGTERM),
        KILL(Platform.SIGKILL), WINCH(Platform.SIGWINCH);

        final int number;

        Signal(int number) {
            this.number = number;
        }
    }

    /** Runs {@link #onExit()} dependants off the poller thread, so user code can never stall it. */
    private static final Executor CALLBACKS = task -> Thread.ofVirtual().name("pty-exit").start(task);
    private static final int WRITE_CHUNK = 64 * 1024;
    /** {@link #awaitInputRead}: pauses between queries, doubling from the first to the last. */
    private static final long POLL_START_NANOS = 50_000, POLL_MAX_NANOS = 1_000_000;

    private final PtySpec spec;
    private final int pid;
    private final int master;
    private final OutputBuffer output;
    private final InputStream outputStream;
    private final PtyPoller poller;
    private final PtyPoller.Channel channel;
    /** Serializes write() calls, so each one's bytes reach the terminal contiguously. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Guards the master descriptor against being closed while a write or ioctl uses it. */
    private final ReentrantLock fdLock = new ReentrantLock();
    private boolean masterClosed;
    /** Read-held while signalling; write-held to release the pid for reaping. */
    private final ReentrantReadWriteLock pidLock = new ReentrantReadWriteLock();
    private boolean pidReleased;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private PtyProcess(PtySpec spec, int pid, int master, OutputBuffer output, PtyPoller poller,
            PtyPoller.Channel channel) {
        this.spec = spec;
        this.pid = pid;
        this.master = master;
        this.output = output;
        this.outputStream = output.stream();
        this.poller = poller;
        this.channel = channel;
    }

    /**
     * Starts {@code spec.command()} in a new pseudo-terminal.
     *
     * @throws IOException naming the failed call and the reason, e.g.
     *     {@code posix_spawn(/bin/nope): No such file or directory (errno 2)}
     */
    public static PtyProcess start(PtySpec spec) throws IOException {
        return start(spec, true, true);
    }

    /** With switches that force the fallbacks (closefrom, pidfd), so tests cover them on any machine. */
    static PtyProcess start(PtySpec spec, boolean useClosefrom, boolean usePidfd) throws IOException {
        Objects.requireNonNull(spec, "spec");
        Platform.requireSupported();
        Spawner.Spawned spawned = Spawner.spawn(spec, useClosefrom);
        int pidfd = -1;
        try {
            pidfd = usePidfd ? LibC.pidfdOpen(spawned.pid()) : -1;
            PtyPoller poller = PtyPoller.shared();
            OutputBuffer output = new OutputBuffer(poller::wake);
            PtyPoller.Channel channel = poller.register(spawned.pid(), spawned.master(), pidfd, output);
            return new PtyProcess(spec, spawned.pid(), spawned.master(), output, poller, channel);
        } catch (IOException | RuntimeException | Error e) {
            // The child runs but cannot be watched: kill its group, reap it, release everything.
            try {
                reapWithoutPoller(spawned.pid());
                if (pidfd >= 0) LibC.close(pidfd);
                LibC.close(spawned.master());
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The child's process id, which is also its session and process-group id. */
    public long pid() {
        return pid;
    }

    public PtySpec spec() {
        return spec;
    }

    /**
     * Everything the child writes to the terminal, in order. Blocks until output arrives; returns -1
     * once the terminal has no writer left (EIO on the master: every slave descriptor closed — usually
     * the child exited; a background process still holding the terminal keeps it open) or once this
     * process is closed. Output is buffered (64 KiB) and then held back in the kernel, so a slow reader
     * slows the child down but loses nothing. Closing this stream discards all further output.
     */
    public InputStream output() {
        return outputStream;
    }

    /** Types {@code bytes} into the terminal, as a keyboard would. */
    public void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    /**
     * Types {@code len} bytes into the terminal. Blocks (without pinning a virtual thread) while the
     * terminal's input queue is full; concurrent calls are serialized.
     *
     * @throws IOException if this process is closed, or write(2) fails. (Once the child has closed the
     *     terminal, Linux accepts and drops what is written rather than failing.)
     */
    public void write(byte[] bytes, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, bytes.length);
        writeLock.lock();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Math.max(1, Math.min(len, WRITE_CHUNK)));
            int end = off + len;
            while (off < end) {
                int chunk = (int) Math.min(end - off, buffer.byteSize());
                MemorySegment.copy(bytes, off, buffer, ValueLayout.JAVA_BYTE, 0, chunk);
                long n;
                fdLock.lock();
                try {
                    if (masterClosed) throw new IOException("write: the pty is closed");
                    n = LibC.write(master, buffer, chunk);
                } finally {
                    fdLock.unlock();
                }
                if (n >= 0) {
                    off += (int) n;
                } else if (n == -Platform.EAGAIN) {
                    poller.awaitWritable(channel);
                } else {
                    throw LibC.error("write(pty master)", (int) -n);
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * The number of bytes typed into the terminal that the child has not read yet. 0 is exact:
     * every byte written before this call has been read. (While the terminal is in canonical,
     * line-by-line mode only complete lines count.)
     *
     * <p>The kernel moves what the master receives into the terminal's input queue asynchronously,
     * and {@code FIONREAD} counts only the queue, so right after a write it can still read 0. A
     * {@code poll} on the slave that finds nothing to read first waits for that move to finish
     * (microseconds), so the count is taken after such a poll. (A count above 0 taken after a poll
     * that found input may miss the bytes of a write still being moved.) The slave is opened for this one query and closed
     * again: a slave descriptor held open would keep the terminal from ever reporting that the child
     * is gone (see {@link #output()}).
     *
     * @throws IOException if this process is closed, or the query fails
     */
    public int unreadInput() throws IOException {
        fdLock.lock();
        try (Arena arena = Arena.ofConfined()) {
            if (masterClosed) throw new IOException("ioctl(FIONREAD): the pty is closed");
            int slave = LibC.openSlave(master);
            int count;
            try {
                MemorySegment pollfd = arena.allocate(Platform.POLLFD_SIZE, 4);
                pollfd.set(ValueLayout.JAVA_INT, 0, slave);
                pollfd.set(ValueLayout.JAVA_SHORT, 4, Platform.POLLIN);
                int tries = 0;
                while (true) {
                    pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                    boolean readable = LibC.pollNow(pollfd, 1) > 0
                            && (pollfd.get(ValueLayout.JAVA_SHORT, 6) & Platform.POLLIN) != 0;
                    count = LibC.bytesReadable(slave);
                    // Not readable: the poll moved pending input in first, so the count is exact.
                    // Readable but 0: the child read it in between; ask again (a bounded number of times,
                    // for a child that keeps reading what another thread keeps writing).
                    if (!readable || count > 0 || ++tries == 100) break;
                }
            } catch (IOException | RuntimeException e) {
                try {
                    LibC.close(slave);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            LibC.close(slave);
            return count;
        } finally {
            fdLock.unlock();
        }
    }

    /**
     * Waits until the child has read everything typed into the terminal so far
     * ({@link #unreadInput()} is 0), so that what is written next reaches an empty input queue and
     * the child gets it in one read (if it is at most 1,792 bytes, the block in which the kernel
     * moves input into the queue). A program that parses escape sequences needs that: if a sequence
     * straddles two of its reads and the second comes late, it may take the first part for a lone
     * key and the rest for text.
     *
     * <p>Sleeps between queries (a virtual thread unmounts; the pauses grow from 50 µs to 1 ms) and
     * ends early when the child exits.
     *
     * @return true once the input is drained; false if {@code timeout} passed first, or the child
     *     exited with input unread
     * @throws InterruptedIOException if the thread is interrupted (the interrupt is kept)
     * @throws IOException if this process is closed, or the query fails
     */
    public boolean awaitInputRead(Duration timeout) throws IOException {
        long start = System.nanoTime();
        long limit = Math.max(0, timeout.toNanos());
        long pause = POLL_START_NANOS;
        while (true) {
            long elapsed = System.nanoTime() - start;
            if (unreadInput() == 0) return true;
            if (elapsed >= limit || channel.exit.isDone()) return false;
            try {
                Thread.sleep(Duration.ofNanos(Math.min(pause, limit - elapsed)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the child to read its input");
            }
            pause = Math.min(pause * 2, POLL_MAX_NANOS);
        }
    }

    /** Sets the terminal size ({@code TIOCSWINSZ}); the kernel sends SIGWINCH to the foreground group. */
    public void resize(int columns, int rows) throws IOException {
        PtySpec.checkSize(columns, rows);
        fdLock.lock();
        try {
            if (masterClosed) throw new IOException("ioctl(TIOCSWINSZ): the pty is closed");
            LibC.setWindowSize(master, columns, rows);
        } finally {
            fdLock.unlock();
        }
    }

    /**
     * Sends {@code signal} to the child's process group. Harmless after the child exited (its group
     * may still have members; the zombie keeps the id ours).
     *
     * @throws IllegalStateException once {@link #close()} has reaped the child
     */
    public void signal(Signal signal) throws IOException {
        Objects.requireNonNull(signal, "signal");
        pidLock.readLock().lock();
        try {
            if (pidReleased) throw new IllegalStateException("pty process " + pid + " is closed");
            signalGroup(signal.number);
        } finally {
            pidLock.readLock().unlock();
        }
    }

    /** kill(-pid): ESRCH (no process left in the group) is not an error here. */
    private void signalGroup(int signal) throws IOException {
        LibC.kill(-pid, signal);
    }

    /** Whether the child has not terminated yet. */
    public boolean isAlive() {
        return !channel.exit.isDone();
    }

    /**
     * Completes with the exit code when the child terminates: its exit status, or 128 + the signal
     * number that killed it (as a shell reports it). Dependent actions run on a virtual thread.
     */
    public CompletableFuture<Integer> onExit() {
        return channel.exit.thenApplyAsync(Function.identity(), CALLBACKS);
    }

    /** Waits for the child to terminate; returns the exit code (see {@link #onExit()}). */
    public int waitFor() throws InterruptedException {
        try {
            return channel.exit.get();
        } catch (ExecutionException e) {
            throw new UncheckedIOException(new IOException("exit status unknown", e.getCause()));
        }
    }

    /** Waits up to {@code timeout} for the child to terminate; empty if it still runs. */
    public OptionalInt waitFor(Duration timeout) throws InterruptedException {
        try {
            return OptionalInt.of(channel.exit.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return OptionalInt.empty();
        } catch (ExecutionException e) {
            throw new UncheckedIOException(new IOException("exit status unknown", e.getCause()));
        }
    }

    /** {@link #close(Duration)} with {@link #DEFAULT_GRACE}. */
    @Override
    public void close() {
        close(DEFAULT_GRACE);
    }

    /**
     * Stops the child and releases everything; idempotent, and concurrent calls wait for the first.
     *
     * <ol>
     *   <li>Stop reading: the poller lets go of the master (a master closed while a read or poll is
     *       blocked on it would not hang up the terminal on Linux).
     *   <li>Close the master: the kernel hangs up the terminal — SIGHUP to the session leader, EOF
     *       to every reader. Terminal programs take this as "the window was closed" and exit at once
     *       (the Claude CLI in well under 0.3 s), so it is the gentlest stop there is.
     *   <li>SIGHUP to the process group, for members the hang-up does not reach directly.
     *   <li>Wait up to {@code grace} for the child to exit.
     *   <li>SIGKILL to the group — always, so members that ignore SIGHUP and outlive the leader die
     *       too. (Members that moved to another group or session are beyond reach, as for a shell.)
     *   <li>Reap the child ({@code waitpid} on its pid only).
     * </ol>
     * If the calling thread is interrupted, the grace period is cut short; the interrupt is kept.
     */
    public void close(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (!closing.compareAndSet(false, true)) {
            closed.join();
            return;
        }
        boolean interrupted = false;
        IOException failure = null;
        try {
            poller.detachMaster(channel);
            fdLock.lock();
            try {
                masterClosed = true;
                LibC.close(master);
            } catch (IOException e) {
                failure = e;
            } finally {
                fdLock.unlock();
            }
            output.markEof();
            try {
                if (!channel.exit.isDone()) {
                    signalGroup(Platform.SIGHUP);
                    interrupted = awaitExit(grace.toNanos());
                }
                signalGroup(Platform.SIGKILL);
            } catch (IOException e) {
                failure = first(failure, e);
            }
            interrupted |= awaitExit(PtyPoller.KERNEL_GUARD_NANOS);
            pidLock.writeLock().lock();
            try {
                pidReleased = true;
            } finally {
                pidLock.writeLock().unlock();
            }
            // If the child is stuck in the kernel past the guard, the poller reaps it when it exits.
            poller.requestReapAndWait(channel, PtyPoller.KERNEL_GUARD_NANOS);
            if (poller.isOrphaned(channel)) {
                try {
                    reapWithoutPoller(pid);
                } catch (IOException e) {
                    failure = first(failure, e);
                }
            }
        } finally {
            closed.complete(null);
            if (interrupted) Thread.currentThread().interrupt();
        }
        if (failure != null) throw new UncheckedIOException("closing pty process " + pid, failure);
    }

    private static IOException first(IOException failure, IOException e) {
        if (failure == null) return e;
        failure.addSuppressed(e);
        return failure;
    }

    /** Waits for the exit future; returns whether the wait was interrupted. */
    private boolean awaitExit(long nanos) {
        try {
            channel.exit.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            return true;
        } catch (ExecutionException | TimeoutException e) {
            // Timed out, or the poller died (then the orphan path reaps).
        }
        return false;
    }

    /**
     * Reaps a child the poller is not watching (start failed after the spawn, or the poller died):
     * after SIGKILL it exits promptly, so poll WNOHANG with short sleeps, bounded by the guard.
     */
    private static void reapWithoutPoller(int pid) throws IOException {
        LibC.kill(-pid, Platform.SIGKILL);
        long deadline = System.nanoTime() + PtyPoller.KERNEL_GUARD_NANOS;
        while (!LibC.reap(pid)) {
            if (System.nanoTime() - deadline > 0) throw new IOException("waitpid(" + pid + "): still running after SIGKILL");
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("waitpid(" + pid + "): interrupted", e);
            }
        }
    }

    /** Package-private views for tests. */
    int masterFd() {
        return master;
    }

    @Override
    public String toString() {
        return "PtyProcess[pid=" + pid + ", command=" + spec.command().getFirst() + (isAlive() ? ", alive]" : ", exited]");
    }
}
