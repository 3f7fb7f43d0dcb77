package claude.code.api.transcript;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.BooleanSupplier;

/**
 * Cuts the bytes of a file, read in chunks from a start offset, into {@code \n}-terminated lines.
 * Works on bytes, so a UTF-8 character split across two reads is simply a line that is not
 * complete yet; a partial last line is kept until its {@code \n} arrives.
 *
 * <p>Lines are handed out as slices of the internal buffer (no copy), valid only during the
 * callback. The buffer grows to hold a long line (up to {@code maxLineBytes}) and shrinks back
 * once that line has been handed out. Not thread-safe: one tail thread owns it.
 */
final class LineBuffer {
    /** Receives one complete line, without its {@code \n}. */
    @FunctionalInterface
    interface LineConsumer {
        void line(long offset, byte[] bytes, int off, int len);
    }

    // Bounds each read: a heap buffer read goes through a temporary direct buffer of the same size,
    // cached per carrier thread, so an unbounded read size would pin megabytes of native memory.
    static final int MAX_READ = 64 * 1024;

    private final int initialCapacity;
    private final int maxLineBytes;
    private byte[] buf;
    private long bufOffset; // file offset of buf[0]
    private int start;      // first byte not yet handed out
    private int scanned;    // buf[start, scanned) holds no '\n'
    private int end;        // end of the bytes read

    LineBuffer(long startOffset, int initialCapacity, int maxLineBytes) {
        if (startOffset < 0) {
            throw new IllegalArgumentException("start offset must be >= 0, got " + startOffset);
        }
        this.initialCapacity = Math.min(initialCapacity, maxLineBytes + 1);
        this.maxLineBytes = maxLineBytes;
        this.buf = new byte[this.initialCapacity];
        this.bufOffset = startOffset;
    }

    /** The file offset the next read starts at: everything before it has been read. */
    long readOffset() {
        return bufOffset + end;
    }

    /** The file offset of the first byte not handed out as part of a line (the start of a partial line). */
    long lineOffset() {
        return bufOffset + start;
    }

    /** Bytes of the partial line held (read, no {@code \n} yet). */
    int pendingBytes() {
        return end - start;
    }

    /** The partial line is longer than {@code maxLineBytes}: it can never be handed out. */
    boolean lineTooLong() {
        return scanned - start > maxLineBytes;
    }

    /**
     * Reads what the channel holds at {@link #readOffset()}, at most {@link #MAX_READ} bytes.
     *
     * @return the number of bytes read; 0 at the end of the file (or when the line is too long)
     */
    int readFrom(FileChannel channel) throws IOException {
        if (!makeRoom()) {
            return 0;
        }
        ByteBuffer target = ByteBuffer.wrap(buf, end, Math.min(buf.length - end, MAX_READ));
        int n = channel.read(target, readOffset());
        if (n <= 0) {
            return 0;
        }
        end += n;
        return n;
    }

    /** Hands every complete line to {@code consumer}, in order, stopping early if {@code stop} says so. */
    void drainLines(LineConsumer consumer, BooleanSupplier stop) {
        int i = scanned;
        while (i < end && !stop.getAsBoolean()) {
            if (buf[i] == '\n') {
                int lineStart = start;
                start = i + 1;
                scanned = start;
                consumer.line(bufOffset + lineStart, buf, lineStart, i - lineStart);
            }
            i++;
        }
        scanned = Math.max(scanned, Math.min(i, end));
        if (start == end) {
            // Everything handed out: restart at the front, and give back the room of a past long line.
            bufOffset += end;
            start = scanned = end = 0;
            if (buf.length > 4 * initialCapacity) {
                buf = new byte[initialCapacity];
            }
        }
    }

    /** Ensures free space after {@code end}: compacts, then grows; false when the line is too long. */
    private boolean makeRoom() {
        if (end < buf.length) {
            return true;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            bufOffset += start;
            end -= start;
            scanned -= start;
            start = 0;
            return true;
        }
        int limit = maxLineBytes + 1; // the longest line plus its '\n'
        if (buf.length >= limit) {
            return false;
        }
        byte[] bigger = new byte[(int) Math.min(limit, 2L * buf.length)];
        System.arraycopy(buf, 0, bigger, 0, end);
        buf = bigger;
        return true;
    }
}
