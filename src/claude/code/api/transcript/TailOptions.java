package claude.code.api.transcript;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link TranscriptTail} waits and reads.
 *
 * @param fileWaitTimeout how long to wait for the file to appear before reporting
 *     {@link TailProblem.Kind#FILE_NEVER_APPEARED} (the CLI creates its transcript only when it
 *     writes the first record)
 * @param pollInterval how often the file is checked when no watch event came. Watch events are only
 *     a hint; the poll is what keeps a tail correct where they are late, lost (overflow) or absent
 *     (network file systems, a directory that does not exist yet)
 * @param maxLineBytes the longest line accepted; a longer one ends the tail with
 *     {@link TailProblem.Kind#LINE_TOO_LONG} instead of exhausting the heap
 */
public record TailOptions(Duration fileWaitTimeout, Duration pollInterval, int maxLineBytes) {
    /**
     * 50 ms poll: on Linux inotify wakes a tail within about a millisecond, so the poll is only the
     * fallback; where it is all there is, the CLI's own flush delay (records reach the file 70-270 ms
     * after their timestamp) dwarfs 50 ms, while an idle tail costs just 20 {@code stat}s a second
     * (2,000 for 100 sessions). 30 s for the file to appear; 256 MiB lines, far above
     * the largest record the CLI writes (a tool result with images is a few MB).
     */
    public static final TailOptions DEFAULTS = new TailOptions(Duration.ofSeconds(30), Duration.ofMillis(50), 256 << 20);

    public TailOptions {
        Objects.requireNonNull(fileWaitTimeout, "fileWaitTimeout");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (fileWaitTimeout.isNegative()) {
            throw new IllegalArgumentException("fileWaitTimeout must not be negative, got " + fileWaitTimeout);
        }
        if (pollInterval.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("pollInterval must be at least 1 ms, got " + pollInterval);
        }
        if (maxLineBytes < 1 || maxLineBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxLineBytes must be in 1.." + (Integer.MAX_VALUE - 16) + ", got " + maxLineBytes);
        }
    }

    public TailOptions withFileWaitTimeout(Duration timeout) {
        return new TailOptions(timeout, pollInterval, maxLineBytes);
    }

    public TailOptions withPollInterval(Duration interval) {
        return new TailOptions(fileWaitTimeout, interval, maxLineBytes);
    }

    public TailOptions withMaxLineBytes(int max) {
        return new TailOptions(fileWaitTimeout, pollInterval, max);
    }
}
