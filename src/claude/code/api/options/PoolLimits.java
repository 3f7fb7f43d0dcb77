package claude.code.api.options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How many CLI processes a backend keeps and for how long. A bad value is an
 * {@link IllegalArgumentException} that names it.
 *
 * @param maxSessions live CLI processes at most (idle + running a turn + being started), at least
 *     1; each takes about 200 MB
 * @param idleTtl an idle session unused this long is closed; positive
 * @param acquireTimeout how long a request may wait for a free session slot before it fails with
 *     {@code PoolExhaustedException}; zero refuses at once
 * @param prestartSessions fresh CLIs kept started ahead of need (0 to {@code maxSessions}): a
 *     request that would start a fresh session (a first message, or any miss in
 *     {@link HistoryMode#CONCAT_MESSAGE} mode) takes one of them instead, so it does not wait for the
 *     CLI to start; the one taken is replaced in the background. They are live processes (about
 *     200 MB each) in addition to {@code maxSessions}, started when the backend is created; seeded
 *     misses ({@link HistoryMode#NATIVE_JSONL} with history) cannot use them
 */
public record PoolLimits(int maxSessions, Duration idleTtl, Duration acquireTimeout, int prestartSessions) {

    /** The memory one CLI process is budgeted at when sizing {@link #defaultMaxSessions()}. */
    public static final long BYTES_PER_SESSION = 200L * 1024 * 1024;

    public PoolLimits {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions: must be at least 1, got " + maxSessions);
        }
        Timeouts.positive("idleTtl", idleTtl);
        Objects.requireNonNull(acquireTimeout, "acquireTimeout");
        if (acquireTimeout.isNegative()) {
            throw new IllegalArgumentException("acquireTimeout: must not be negative, got " + acquireTimeout);
        }
        if (prestartSessions < 0 || prestartSessions > maxSessions) {
            throw new IllegalArgumentException("prestartSessions: must be 0.." + maxSessions
                    + " (maxSessions), got " + prestartSessions);
        }
    }

    /** {@link #defaultMaxSessions()} sessions, closed after 15 idle minutes, a 30 s wait, none started ahead. */
    public static PoolLimits defaults() {
        return new PoolLimits(defaultMaxSessions(), Duration.ofMinutes(15), Duration.ofSeconds(30), 0);
    }

    /**
     * The default {@link #maxSessions()}: half of this machine's memory at
     * {@link #BYTES_PER_SESSION} each, between 1 and 64; 4 when the memory size is unknown.
     */
    public static int defaultMaxSessions() {
        long total = totalMemoryBytes();
        if (total <= 0) {
            return 4;
        }
        return (int) Math.max(1, Math.min(64, total / 2 / BYTES_PER_SESSION));
    }

    private static long totalMemoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: the caller falls back
        }
        return -1;
    }
}
