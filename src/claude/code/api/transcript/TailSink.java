package claude.code.api.transcript;

/**
 * Receives what a {@link TranscriptTail} reads, on the tail's own (virtual) thread, in file order.
 * A sink may block (e.g. on a bounded queue): the tail waits, and {@link TranscriptTail#close()}
 * interrupts it. After {@code problem}, or once {@code close()} has returned, nothing more arrives.
 */
public interface TailSink {
    /**
     * One complete line, without its {@code \n}: {@code bytes[off, off + len)}, starting at byte
     * {@code offset} of the file. The array is the tail's buffer, valid only during this call.
     */
    void line(long offset, byte[] bytes, int off, int len);

    /** The tail stopped because of {@code problem}; this is the last call. */
    void problem(TailProblem problem);
}
