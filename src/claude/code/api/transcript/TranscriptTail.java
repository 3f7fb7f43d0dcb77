package claude.code.api.transcript;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Follows one transcript file from a byte offset and pushes each complete line into a
 * {@link TailSink}, like {@code tail -F} for JSONL.
 *
 * <ul>
 *   <li>The file may not exist yet: the tail waits up to {@link TailOptions#fileWaitTimeout()}.
 *   <li>Only {@code \n}-terminated lines are handed out; a partial last line (or a UTF-8 character
 *       split between two writes) waits for the rest. Lines of any length up to
 *       {@link TailOptions#maxLineBytes()} work.
 *   <li>It wakes on the process-wide {@link DirectoryWatcher} (inotify on Linux), and also every
 *       {@link TailOptions#pollInterval()}, since watch events are only hints.
 *   <li>Every check compares the path's file key (device + inode) and size with what it reads, so
 *       truncation and replacement are reported ({@link TailProblem}) rather than read as garbage.
 *       A truncation followed by regrowth past the read offset between two checks is not visible
 *       in the size; the CLI only ever appends, so that would take a foreign writer.
 * </ul>
 *
 * <p>Each tail runs on one virtual thread, which is also the thread that calls the sink. The tail
 * holds one file descriptor (once the file exists) and one subscription to the shared watcher;
 * {@link #close()} releases both and returns only when the thread has ended.
 */
public final class TranscriptTail implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TranscriptTail.class.getName());
    // A hang guard for close(): the thread ends at once unless the sink ignores interrupts.
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int INITIAL_BUFFER = 4 * 1024; // grows for longer lines; one per live session

    private final Path file;
    private final TailOptions options;
    private final TailSink sink;
    private final LineBuffer lines;
    private final Semaphore wakeups = new Semaphore(0);
    private final Thread thread;
    private volatile boolean closed;
    private volatile long position;
    // Owned by the tail thread.
    private FileChannel channel;
    private Object fileKey;
    private DirectoryWatcher.Subscription subscription;
    private boolean unwatchable;

    private TranscriptTail(Path file, long startOffset, TailOptions options, TailSink sink) {
        this.file = file.toAbsolutePath().normalize();
        this.options = options;
        this.sink = sink;
        this.lines = new LineBuffer(startOffset, INITIAL_BUFFER, options.maxLineBytes());
        this.position = startOffset;
        this.thread = Thread.ofVirtual().name("transcript-tail " + this.file.getFileName()).unstarted(this::run);
    }

    /**
     * Starts following {@code file} from byte {@code startOffset}, which should be the start of a line
     * (0, or the size of a seed the CLI appends to). Returns at once; lines and problems arrive on the
     * tail's thread.
     */
    public static TranscriptTail open(Path file, long startOffset, TailOptions options, TailSink sink) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(sink, "sink");
        if (file.getFileName() == null) {
            throw new IllegalArgumentException("not a file path: " + file);
        }
        TranscriptTail tail = new TranscriptTail(file, startOffset, options, sink);
        tail.thread.start();
        return tail;
    }

    public Path file() {
        return file;
    }

    /** The offset just past the last line passed to the sink: where a new tail would resume. */
    public long position() {
        return position;
    }

    /** False once the tail has stopped, by {@link #close()} or after a problem. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /**
     * Stops the tail: interrupts its thread (and a sink blocked in it), waits for it to end, closes
     * the file and drops the watch subscription. Idempotent; may be called from the sink.
     */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        if (Thread.currentThread() == thread) {
            return; // called from the sink: the loop sees `closed` when the callback returns
        }
        boolean interrupted = false;
        while (true) {
            try {
                if (!thread.join(STOP_TIMEOUT)) {
                    LOG.log(System.Logger.Level.WARNING, "transcript tail of {0} did not stop within {1}: its sink ignores interrupts",
                            file, STOP_TIMEOUT);
                }
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            if (awaitFile() && !closed) {
                follow();
            }
        } catch (ClosedByInterruptException | InterruptedException e) {
            if (!closed) {
                report(TailProblem.Kind.IO_ERROR, "reading " + file + " was interrupted", e);
            }
        } catch (IOException e) {
            report(TailProblem.Kind.IO_ERROR, "reading " + file + " failed: " + e, e);
        } catch (SinkFailure e) {
            report(TailProblem.Kind.SINK_FAILED, e.offset, "the sink failed on the line at offset " + e.offset + " of " + file,
                    e.getCause());
        } catch (RuntimeException | Error e) {
            // Whatever went wrong, the owner must hear of it: a silent end would leave its turn waiting.
            report(TailProblem.Kind.IO_ERROR, "following " + file + " failed: " + e, e);
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            release();
        }
    }

    /** Waits for the file to exist and opens it; false (after reporting) if it never came. */
    private boolean awaitFile() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + options.fileWaitTimeout().toNanos();
        while (!closed) {
            subscribe(); // before looking, so a creation in between is not missed
            if (tryOpen()) {
                if (fileSize() < lines.readOffset()) {
                    report(TailProblem.Kind.TRUNCATED, file + " is " + fileSize() + " bytes, shorter than the start offset "
                            + lines.readOffset(), null);
                    return false;
                }
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                report(TailProblem.Kind.FILE_NEVER_APPEARED, file + " did not appear within " + options.fileWaitTimeout(), null);
                return false;
            }
            awaitWakeup(Math.min(left, options.pollInterval().toNanos()));
        }
        return false;
    }

    private void follow() throws IOException, InterruptedException {
        while (!closed && check()) {
            awaitWakeup(options.pollInterval().toNanos());
        }
    }

    /** One round: compare the path with the open file, read what is new; false once stopped. */
    private boolean check() throws IOException {
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return drainThenReport(TailProblem.Kind.REPLACED, file + " was removed or renamed");
        }
        // A file system without file keys (none on Linux) cannot tell a replacement; the size check still runs.
        if (fileKey != null && !fileKey.equals(now.fileKey())) {
            return drainThenReport(TailProblem.Kind.REPLACED, file + " was replaced by another file");
        }
        if (now.size() < lines.readOffset()) {
            report(TailProblem.Kind.TRUNCATED, file + " was truncated to " + now.size() + " bytes after "
                    + lines.readOffset() + " bytes were read", null);
            return false;
        }
        return readAvailable();
    }

    /** Hands out the complete lines the open file still holds, then reports the problem. */
    private boolean drainThenReport(TailProblem.Kind kind, String message) throws IOException {
        if (readAvailable()) {
            int partial = lines.pendingBytes();
            report(kind, message + (partial == 0 ? "" : "; its last " + partial + " bytes had no final newline"), null);
        }
        return false;
    }

    /** Reads to the current end of the file; false if a line was too long (reported). */
    private boolean readAvailable() throws IOException {
        while (!closed && lines.readFrom(channel) > 0) {
            lines.drainLines(this::deliver, () -> closed);
            if (lines.lineTooLong()) {
                break;
            }
        }
        if (lines.lineTooLong()) {
            report(TailProblem.Kind.LINE_TOO_LONG, lines.lineOffset(), "the line at offset " + lines.lineOffset() + " of "
                    + file + " is longer than " + options.maxLineBytes() + " bytes", null);
            return false;
        }
        return true;
    }

    private void deliver(long offset, byte[] bytes, int off, int len) {
        // Set first, so that whoever the sink hands the line to sees a position past it.
        position = offset + len + 1;
        try {
            sink.line(offset, bytes, off, len);
        } catch (RuntimeException | Error e) {
            if (closed) {
                return; // a sink interrupted by close() may throw; nobody is listening any more
            }
            throw new SinkFailure(offset, e);
        }
    }

    /** Opens the file if it exists; checks it is the same file before and after opening. */
    private boolean tryOpen() throws IOException {
        BasicFileAttributes before;
        try {
            before = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return false;
        }
        FileChannel opened;
        try {
            opened = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        BasicFileAttributes after;
        try {
            after = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException | RuntimeException e) {
            opened.close();
            if (e instanceof NoSuchFileException) {
                return false;
            }
            throw e;
        }
        if (!Objects.equals(before.fileKey(), after.fileKey())) {
            opened.close(); // replaced while opening: try again on the next round
            return false;
        }
        channel = opened;
        fileKey = after.fileKey();
        return true;
    }

    private long fileSize() throws IOException {
        return channel.size();
    }

    /**
     * Subscribes to the file's directory once it exists; until then, or if watching is impossible
     * (e.g. the inotify watch limit is reached), the poll alone drives the tail.
     */
    private void subscribe() {
        Path dir = file.getParent();
        boolean exists = dir != null && Files.isDirectory(dir);
        if (subscription != null && !exists) {
            // The directory went away (its watch with it): subscribe afresh once it is back.
            subscription.close();
            subscription = null;
        }
        if (subscription != null || unwatchable || !exists) {
            return;
        }
        try {
            subscription = DirectoryWatcher.shared().subscribe(dir, file.getFileName(), this::wake);
        } catch (NoSuchFileException e) {
            // removed again in between: retried on the next round
        } catch (IOException | RuntimeException e) {
            unwatchable = true;
            LOG.log(System.Logger.Level.WARNING, "cannot watch " + dir + "; following " + file.getFileName()
                    + " by polling every " + options.pollInterval(), e);
        }
    }

    private void wake() {
        // At most one pending permit: one read catches up with any number of events.
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    private void awaitWakeup(long nanos) throws InterruptedException {
        wakeups.tryAcquire(nanos, TimeUnit.NANOSECONDS);
        wakeups.drainPermits();
    }

    /** Reports a problem found where reading stands: everything before the offset was handed out. */
    private void report(TailProblem.Kind kind, String message, Throwable cause) {
        report(kind, lines.lineOffset(), message, cause);
    }

    private void report(TailProblem.Kind kind, long offset, String message, Throwable cause) {
        if (closed) {
            return;
        }
        TailProblem problem = new TailProblem(kind, file, offset, message, cause);
        try {
            sink.problem(problem);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "the sink failed on " + problem, e);
        }
    }

    private void release() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + file + " failed", e);
            }
            channel = null;
        }
    }

    /** Carries a sink's exception out of the line loop. */
    private static final class SinkFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long offset;

        SinkFailure(long offset, Throwable cause) {
            super(cause);
            this.offset = offset;
        }
    }

    @Override
    public String toString() {
        return "TranscriptTail[" + file + " @" + position + (closed ? ", closed" : "") + "]";
    }
}
