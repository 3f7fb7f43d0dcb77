package claude.code.api.pty;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one platform thread that does all blocking for every live PTY: a single {@code poll()} over
 * a wake pipe, each master (readable: output; writable: a writer waits) and each child's pidfd
 * (readable: the child terminated).
 *
 * <p><b>Why one shared thread and not one per PTY.</b> A blocking downcall pins a virtual thread's
 * carrier, so blocking must happen on platform threads; with a thread (or two, counting a reaper)
 * per PTY, a pool of 50 sessions costs 50–100 platform threads that sit in read/waitpid. One poll
 * loop costs one thread however many PTYs run, and pidfds let the same loop see exits, so there is
 * no waitpid thread either. Its cost is that all output funnels through one thread; the loop only
 * copies bytes into per-PTY buffers (a few microseconds per chunk), far above what terminal apps
 * produce. The thread exists only while PTYs are registered: it stops, closing its wake pipe, when
 * the last one is removed, and the next registration starts a fresh one.
 *
 * <p><b>Detaching a master before it is closed.</b> On Linux, closing a master while another thread
 * is inside {@code read} or {@code poll} on it does not release the terminal (those calls hold a
 * reference to the open file), so the child is never hung up. {@link #detachMaster} therefore wakes
 * the loop through the pipe and waits until the loop has started an iteration without that master;
 * only then may the caller close it. This also guarantees the loop never touches a descriptor
 * number that was closed and reused.
 *
 * <p><b>Exit without reaping.</b> When a pidfd fires the loop reads the status with
 * {@code waitid(WNOWAIT)}, completing the exit future, but reaps only when the owner asks
 * ({@link #requestReap}). The unreaped child keeps its pid, hence its process-group id, from being
 * reused, so signalling the group ({@code kill(-pid)}) stays safe until {@code close()} is done.
 * Without pidfds (kernel before 5.3) the loop polls with a short timeout and checks such children
 * each round instead.
 */
final class PtyPoller {
    /** Poll timeout while a child without pidfd is watched. */
    static final int EXIT_POLL_MILLIS = 20;
    private static final int CHUNK = 16 * 1024;

    private static final PtyPoller SHARED = new PtyPoller();

    static PtyPoller shared() {
        return SHARED;
    }

    /** One PTY as the loop sees it. Fields without a comment are guarded by the poller's lock. */
    final class Channel {
        final int pid;
        final int master;
        /** -1 when pidfds are unavailable; owned (closed) by the loop. */
        final int pidfd;
        final OutputBuffer output;
        /** Completed by the loop with the exit code (status, or 128 + signal). */
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        private final Condition changed = lock.newCondition();
        private boolean readEof;
        private boolean detachRequested;
        private boolean detached;
        private int writeWaiters;
        private long writableEpoch;
        private boolean exitObserved;
        private boolean reapRequested;
        private boolean reaped;
        /** Set if the loop died: the owner must reap the child itself. */
        private boolean orphaned;

        private Channel(int pid, int master, int pidfd, OutputBuffer output) {
            this.pid = pid;
            this.master = master;
            this.pidfd = pidfd;
            this.output = output;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final List<Channel> channels = new ArrayList<>();
    private Thread thread;
    private int wakeRead = -1;
    private int wakeWrite = -1;
    private boolean wakePending;
    /** Number of loop threads started so far; tests use it to see that PTYs share one. */
    private long threadsStarted;

    /** Adds a PTY to the loop, starting the loop thread if none runs. */
    Channel register(int pid, int master, int pidfd, OutputBuffer output) throws IOException {
        lock.lock();
        try {
            if (thread == null) {
                int[] pipe = LibC.pipe2(Platform.O_CLOEXEC | Platform.O_NONBLOCK);
                wakeRead = pipe[0];
                wakeWrite = pipe[1];
                wakePending = false;
                thread = Thread.ofPlatform().daemon().name("pty-poller").unstarted(this::run);
                threadsStarted++;
                thread.start();
            }
            Channel channel = new Channel(pid, master, pidfd, output);
            channels.add(channel);
            wake();
            return channel;
        } finally {
            lock.unlock();
        }
    }

    /** Makes the loop start its next iteration (and so re-read everyone's state). */
    void wake() {
        lock.lock();
        try {
            if (thread == null || wakePending) return;
            wakePending = true;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment oneByte = arena.allocate(1);
                oneByte.set(JAVA_BYTE, 0, (byte) 1);
                // EAGAIN (pipe full) is fine: the loop is then certain to wake anyway.
                LibC.write(wakeWrite, oneByte, 1);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Returns once the loop will never again poll, read or write {@code c.master}. */
    void detachMaster(Channel c) {
        lock.lock();
        try {
            if (c.detached) return;
            c.detachRequested = true;
            wake();
            while (!c.detached) c.changed.awaitUninterruptibly();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until the master may accept more input (or it was detached). */
    void awaitWritable(Channel c) throws IOException {
        lock.lock();
        try {
            if (c.detachRequested || c.detached) throw new IOException("write: the pty is closed");
            long epoch = c.writableEpoch;
            c.writeWaiters++;
            try {
                wake();
                while (c.writableEpoch == epoch && !c.detachRequested && !c.detached) {
                    try {
                        c.changed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting to write to the pty");
                    }
                }
            } finally {
                c.writeWaiters--;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Allows the loop to reap the child once it has exited; waits up to {@code nanos} for that. */
    boolean requestReapAndWait(Channel c, long nanos) {
        lock.lock();
        try {
            c.reapRequested = true;
            wake();
            while (!c.reaped && !c.orphaned && nanos > 0) {
                try {
                    nanos = c.changed.awaitNanos(nanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return c.reaped;
                }
            }
            return c.reaped;
        } finally {
            lock.unlock();
        }
    }

    boolean isOrphaned(Channel c) {
        lock.lock();
        try {
            return c.orphaned;
        } finally {
            lock.unlock();
        }
    }

    long threadsStarted() {
        lock.lock();
        try {
            return threadsStarted;
        } finally {
            lock.unlock();
        }
    }

    /** The loop's wake pipe, {-1, -1} while no loop runs (tests check it is close-on-exec and closed). */
    int[] wakePipe() {
        lock.lock();
        try {
            return new int[] {wakeRead, wakeWrite};
        } finally {
            lock.unlock();
        }
    }

    // --- the loop ------------------------------------------------------------------------------

    private void run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment chunk = arena.allocate(CHUNK);
            MemorySegment pollfds = arena.allocate(Platform.POLLFD_SIZE * 16, 8);
            MemorySegment wakeBuf = arena.allocate(64);
            List<Channel> slotChannel = new ArrayList<>();
            List<Boolean> slotIsPidfd = new ArrayList<>();
            while (true) {
                slotChannel.clear();
                slotIsPidfd.clear();
                int timeout = -1;
                lock.lock();
                try {
                    wakePending = false;
                    housekeeping();
                    if (channels.isEmpty()) {
                        stop();
                        return;
                    }
                    long needed = (1 + 2L * channels.size()) * Platform.POLLFD_SIZE;
                    if (pollfds.byteSize() < needed) pollfds = arena.allocate(needed * 2, 8);
                    int n = 0;
                    setPollfd(pollfds, n++, wakeRead, Platform.POLLIN);
                    slotChannel.add(null);
                    slotIsPidfd.add(false);
                    for (Channel c : channels) {
                        // A detached master is off limits (its owner may have closed it); a full buffer
                        // means no POLLIN, which is the backpressure; nothing wanted means not polled at
                        // all, as a hung-up master would report POLLHUP on every round.
                        short events = 0;
                        if (!c.detached && !c.readEof && c.output.space() > 0) events |= Platform.POLLIN;
                        if (!c.detached && c.writeWaiters > 0) events |= Platform.POLLOUT;
                        if (events != 0) {
                            setPollfd(pollfds, n++, c.master, events);
                            slotChannel.add(c);
                            slotIsPidfd.add(false);
                        }
                        if (!c.exitObserved) {
                            if (c.pidfd >= 0) {
                                setPollfd(pollfds, n++, c.pidfd, Platform.POLLIN);
                                slotChannel.add(c);
                                slotIsPidfd.add(true);
                            } else {
                                timeout = EXIT_POLL_MILLIS;
                            }
                        }
                    }
                } finally {
                    lock.unlock();
                }

                int ready = LibC.poll(pollfds, slotChannel.size(), timeout);
                for (int i = 0; ready > 0 && i < slotChannel.size(); i++) {
                    short revents = pollfds.get(JAVA_SHORT, i * Platform.POLLFD_SIZE + 6);
                    if (revents == 0) continue;
                    ready--;
                    Channel c = slotChannel.get(i);
                    if (c == null) {
                        while (LibC.read(wakeRead, wakeBuf, wakeBuf.byteSize()) > 0) {
                            // drain
                        }
                    } else if (slotIsPidfd.get(i)) {
                        observeExit(c);
                    } else {
                        if ((revents & Platform.POLLNVAL) != 0) {
                            throw new IllegalStateException("pty master fd " + c.master + " was closed while polled");
                        }
                        if ((revents & (Platform.POLLIN | Platform.POLLHUP | Platform.POLLERR)) != 0) readMaster(c, chunk);
                        if ((revents & (Platform.POLLOUT | Platform.POLLHUP | Platform.POLLERR)) != 0) wakeWriters(c);
                    }
                }
                if (timeout >= 0) {
                    for (Channel c : snapshot()) {
                        if (c.pidfd < 0) observeExit(c);
                    }
                }
            }
        } catch (Throwable t) {
            die(t);
        }
    }

    private static void setPollfd(MemorySegment pollfds, int index, int fd, short events) {
        long base = index * Platform.POLLFD_SIZE;
        pollfds.set(JAVA_INT, base, fd);
        pollfds.set(JAVA_SHORT, base + 4, events);
        pollfds.set(JAVA_SHORT, base + 6, (short) 0);
    }

    private List<Channel> snapshot() {
        lock.lock();
        try {
            return new ArrayList<>(channels);
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock, at the top of each iteration: acknowledge detaches, reap, forget finished PTYs. */
    private void housekeeping() throws IOException {
        for (var it = channels.iterator(); it.hasNext(); ) {
            Channel c = it.next();
            if (c.detachRequested && !c.detached) {
                c.detached = true; // the previous poll, and any read, are over
                c.changed.signalAll();
            }
            if (c.reapRequested && c.exitObserved && !c.reaped) {
                if (LibC.reap(c.pid)) {
                    c.reaped = true;
                    c.changed.signalAll();
                }
            }
            if (c.detached && c.reaped) {
                if (c.pidfd >= 0) LibC.close(c.pidfd);
                it.remove();
            }
        }
    }

    /** The last PTY is gone: close the wake pipe and let this thread end (under the lock). */
    private void stop() throws IOException {
        int r = wakeRead;
        int w = wakeWrite;
        wakeRead = wakeWrite = -1;
        thread = null;
        LibC.close(r);
        LibC.close(w);
    }

    private void readMaster(Channel c, MemorySegment chunk) {
        int space = c.output.space();
        if (space == 0) return;
        long n = LibC.read(c.master, chunk, Math.min(space, chunk.byteSize()));
        if (n > 0) {
            c.output.append(chunk, (int) n);
            return;
        }
        if (n == -Platform.EAGAIN) return;
        // EIO: every slave descriptor is closed — the end of output. (0 does not happen on a Linux
        // master, but would mean the same.) Bytes the child wrote before closing were read first:
        // the kernel returns buffered input before it reports EIO.
        if (n == 0 || n == -Platform.EIO) {
            c.output.markEof();
        } else {
            c.output.fail(LibC.error("read(pty master)", (int) -n));
        }
        lock.lock();
        try {
            c.readEof = true;
        } finally {
            lock.unlock();
        }
    }

    private void wakeWriters(Channel c) {
        lock.lock();
        try {
            c.writableEpoch++;
            c.changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void observeExit(Channel c) throws IOException {
        int code;
        lock.lock();
        try {
            if (c.exitObserved) return;
            code = LibC.peekExit(c.pid);
            if (code < 0) return;
            c.exitObserved = true; // the next iteration's housekeeping may reap it
        } finally {
            lock.unlock();
        }
        c.exit.complete(code); // outside the lock: dependants run in this thread
    }

    /**
     * The loop failed unexpectedly (a bug, or poll failing with ENOMEM). Hand every PTY back to its
     * owner, which then kills and reaps its child without us, and stop.
     */
    private void die(Throwable t) {
        IOException failure = new IOException("pty poller failed: " + t, t);
        List<Channel> lost;
        lock.lock();
        try {
            lost = new ArrayList<>(channels);
            channels.clear();
            for (Channel c : lost) {
                c.orphaned = true;
                c.detached = true;
                c.changed.signalAll();
                if (c.pidfd >= 0) closeQuietly(c.pidfd);
            }
            if (thread == Thread.currentThread()) {
                closeQuietly(wakeRead);
                closeQuietly(wakeWrite);
                wakeRead = wakeWrite = -1;
                thread = null;
            }
        } finally {
            lock.unlock();
        }
        for (Channel c : lost) {
            c.output.fail(failure);
            c.exit.completeExceptionally(failure);
        }
    }

    private static void closeQuietly(int fd) {
        try {
            LibC.close(fd);
        } catch (IOException ignored) {
            // Already failing; nothing better to do with a second error.
        }
    }

    /** For hang guards: how long to wait for something the kernel does at once (exit after SIGKILL, a reap). */
    static final long KERNEL_GUARD_NANOS = TimeUnit.SECONDS.toNanos(5);
}
