package claude.code.api.pty;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded hand-over of one PTY's output from the poller thread (which reads the master) to
 * whoever reads {@link PtyProcess#output()}, typically a virtual thread. A {@link ReentrantLock}
 * rather than {@code synchronized}, so a virtual thread waiting here unmounts from its carrier.
 *
 * <p>Backpressure, never loss: when the ring is full the poller stops polling this master for
 * input, the kernel's buffer fills, and the child blocks in write — as on a real terminal nobody
 * reads. The consumer's next read makes room and wakes the poller.
 *
 * <p>The ring starts at {@link #INITIAL} bytes, grows (up to {@link #CAPACITY}) only while output
 * arrives faster than it is read, and drops back once drained: an idle session, which is most of
 * them in a pool, holds 4 KB here rather than 64 KB (measured by {@code make bench},
 * {@code idle_session_heap_kb}).
 */
final class OutputBuffer {
    static final int CAPACITY = 64 * 1024;
    static final int INITIAL = 4 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private byte[] ring = new byte[INITIAL]; // guarded by lock
    private final Runnable wakePoller;
    private int head;
    private int size;
    private boolean eof;
    private IOException failure;
    private boolean discarding;
    private boolean pollerPaused;

    OutputBuffer(Runnable wakePoller) {
        this.wakePoller = wakePoller;
    }

    // --- poller side ---------------------------------------------------------------------------

    /**
     * Room for more input; 0 means full, and then the poller stops reading this master until a
     * consumer read wakes it. A discarding buffer always has room.
     */
    int space() {
        lock.lock();
        try {
            if (discarding || eof) return CAPACITY;
            int space = CAPACITY - size;
            if (space == 0) pollerPaused = true;
            return space;
        } finally {
            lock.unlock();
        }
    }

    /** Appends {@code n <= space()} bytes read from the master. */
    void append(MemorySegment source, int n) {
        lock.lock();
        try {
            if (discarding || eof) return;
            if (n > CAPACITY - size) throw new IllegalStateException("poller overfilled the output buffer");
            if (n > ring.length - size) {
                grow(size + n);
            }
            int tail = (head + size) % ring.length;
            int first = Math.min(n, ring.length - tail);
            MemorySegment.copy(source, JAVA_BYTE, 0, ring, tail, first);
            if (n > first) MemorySegment.copy(source, JAVA_BYTE, first, ring, 0, n - first);
            size += n;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A bigger ring holding the same bytes, from index 0. */
    private void grow(int needed) {
        int length = ring.length;
        while (length < needed) {
            length *= 2;
        }
        byte[] bigger = new byte[Math.min(length, CAPACITY)];
        int first = Math.min(size, ring.length - head);
        System.arraycopy(ring, head, bigger, 0, first);
        System.arraycopy(ring, 0, bigger, first, size - first);
        ring = bigger;
        head = 0;
    }

    /** No more bytes will come: readers drain what is here, then see -1. */
    void markEof() {
        lock.lock();
        try {
            eof = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Reading the master failed: readers drain what is here, then get {@code failure}. */
    void fail(IOException failure) {
        lock.lock();
        try {
            if (this.failure == null) this.failure = failure;
            eof = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // --- consumer side -------------------------------------------------------------------------

    int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        boolean wake;
        int n;
        lock.lock();
        try {
            while (size == 0) {
                if (eof || discarding) {
                    if (failure != null && !discarding) throw new IOException(failure.getMessage(), failure);
                    return -1;
                }
                try {
                    readable.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for pty output");
                }
            }
            n = Math.min(len, size);
            int first = Math.min(n, ring.length - head);
            System.arraycopy(ring, head, b, off, first);
            if (n > first) System.arraycopy(ring, 0, b, off + first, n - first);
            head = (head + n) % ring.length;
            size -= n;
            if (size == 0) {
                head = 0;
                if (ring.length > INITIAL) {
                    ring = new byte[INITIAL]; // drained after a burst: do not keep the big ring
                }
            }
            wake = pollerPaused;
            pollerPaused = false;
        } finally {
            lock.unlock();
        }
        if (wake) wakePoller.run(); // outside our lock: the poller takes its own lock, then ours
        return n;
    }

    int available() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** The consumer is gone: drop what is buffered and all further output, so the child never blocks on us. */
    void discard() {
        boolean wake;
        lock.lock();
        try {
            discarding = true;
            size = 0;
            head = 0;
            ring = new byte[0]; // nothing is kept from now on
            wake = pollerPaused;
            pollerPaused = false;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
        if (wake) wakePoller.run();
    }

    /** The {@link InputStream} face of this buffer. */
    InputStream stream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = OutputBuffer.this.read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return OutputBuffer.this.read(b, off, len);
            }

            @Override
            public int available() {
                return OutputBuffer.this.available();
            }

            /** Closing the stream discards further output (the process keeps running). */
            @Override
            public void close() {
                discard();
            }
        };
    }
}
