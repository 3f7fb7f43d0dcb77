package claude.code.api.transcript;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Why a {@link TranscriptTail} stopped. A problem is always the last thing a tail reports.
 *
 * @param offset where reading stood: every line before it was handed out (for a line too long or a
 *     failing sink, where that line starts)
 * @param message what happened, naming the file and the sizes or offsets involved
 * @param cause the underlying exception, or {@code null}
 */
public record TailProblem(Kind kind, Path file, long offset, String message, Throwable cause) {
    public enum Kind {
        /** The file did not exist within the file-wait timeout. */
        FILE_NEVER_APPEARED,
        /** The file became shorter than what was already read (or than the start offset). */
        TRUNCATED,
        /** The path now names another file, or none: it was replaced, renamed or removed. */
        REPLACED,
        /** A line grew past {@link TailOptions#maxLineBytes()} without a {@code \n}. */
        LINE_TOO_LONG,
        /** Reading failed. */
        IO_ERROR,
        /** The sink threw; the tail stops rather than skip a line. */
        SINK_FAILED
    }

    public TailProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return "TailProblem[" + kind + " " + message + (cause == null ? "" : " (" + cause + ")") + "]";
    }
}
