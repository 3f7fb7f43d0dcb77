package claude.code.api.options;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a session may take for each step; every wait of a session has a bound. All positive;
 * a bad value is an {@link IllegalArgumentException} that names it.
 *
 * @param startupTimeout how long a new CLI may take to show its prompt, start-up dialogs included
 *     (the prompt normally shows 0.3-0.5 s after the spawn); then start-up fails quoting the screen
 * @param fileWaitTimeout how long a turn waits for the CLI's transcript to appear (the CLI creates
 *     it with the first prompt's records)
 * @param turnDurationTimeout how long to wait for the CLI's {@code turn_duration} record after the
 *     final message before ending the turn anyway
 * @param turnTimeout how long one turn may take in all; then it is interrupted and ends with an
 *     error result
 */
public record Timeouts(Duration startupTimeout, Duration fileWaitTimeout, Duration turnDurationTimeout,
        Duration turnTimeout) {

    /** 30 s to start, 30 s for the transcript, 5 s for {@code turn_duration}, 15 min a turn. */
    public static final Timeouts DEFAULTS =
            new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMinutes(15));

    public Timeouts {
        positive("startupTimeout", startupTimeout);
        positive("fileWaitTimeout", fileWaitTimeout);
        positive("turnDurationTimeout", turnDurationTimeout);
        positive("turnTimeout", turnTimeout);
    }

    public Timeouts withStartupTimeout(Duration v) {
        return new Timeouts(v, fileWaitTimeout, turnDurationTimeout, turnTimeout);
    }

    public Timeouts withFileWaitTimeout(Duration v) {
        return new Timeouts(startupTimeout, v, turnDurationTimeout, turnTimeout);
    }

    public Timeouts withTurnDurationTimeout(Duration v) {
        return new Timeouts(startupTimeout, fileWaitTimeout, v, turnTimeout);
    }

    public Timeouts withTurnTimeout(Duration v) {
        return new Timeouts(startupTimeout, fileWaitTimeout, turnDurationTimeout, v);
    }

    static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": must be positive, got " + d);
        }
    }
}
