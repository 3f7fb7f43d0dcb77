package claude.code.api.session;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the CLI's status file ({@link StatusFile}) says about one turn, read every {@link #STATUS_POLL}: whether the
 * CLI works on our prompt ({@code busy} since the turn's first Enter; an older {@code idle} is the previous turn's),
 * since when it is {@code idle} (the grace for the ending records, {@link #idleDeadline}), and whether a dialog has
 * blocked it ({@code waiting} for {@link #BLOCKED_GRACE}). The {@link Turn} decides what follows. Used by the turn's
 * driver thread only.
 */
final class StatusWatch {
    /** How often the status file is read during a turn. */
    static final Duration STATUS_POLL = Duration.ofMillis(100);
    /**
     * The status says idle; the records that end the turn may still be on their way: 70-270 ms on
     * a quiet machine, but more than 2 s with 16 CLIs busy on 2 CPUs (make bench, concurrent
     * conversations), where the footer had already gone back to idle.
     */
    static final Duration IDLE_GRACE = Duration.ofSeconds(5);
    /**
     * The status says idle but the screen's footer still offers {@link #BUSY_FOOTER}: the CLI is
     * still working (seen with 16 CLIs starting at once on 2 CPUs, where the ending records came
     * later than {@link #IDLE_GRACE}); the grace is extended, up to this long after the idle status.
     */
    static final Duration IDLE_WHILE_WORKING_LIMIT = Duration.ofSeconds(60);
    /** The CLI's footer while it works on a turn (also while it retries an API call). */
    static final String BUSY_FOOTER = "esc to interrupt";
    /** The status says waiting for this long: a dialog blocks the turn. */
    static final Duration BLOCKED_GRACE = Duration.ofSeconds(1);
    private static final long NONE = Long.MAX_VALUE;

    /**
     * One reading, as far as it concerns the turn.
     *
     * @param busy the CLI works on a prompt, and has since the turn's first Enter (so on ours)
     * @param idle the CLI went idle since the turn's first Enter
     * @param blocked the CLI has waited for input for {@link #BLOCKED_GRACE} or longer (the prompt accepted)
     * @param waitingFor what a waiting CLI waits for, e.g. {@code dialog open}; or {@code null}
     */
    record Reading(boolean busy, boolean idle, boolean blocked, String waitingFor) {}

    private final Supplier<Optional<StatusFile.Status>> status;
    private final Turn.Terminal terminal;
    private long lastStatusPoll;
    private long idleDeadline = NONE;
    private long idleSince = NONE;
    private long blockedSince = NONE;

    StatusWatch(Supplier<Optional<StatusFile.Status>> status, Turn.Terminal terminal) {
        this.status = status;
        this.terminal = terminal;
    }

    /**
     * Reads the status file once {@link #STATUS_POLL} has passed since the last reading; empty before that, while
     * the file gives no reading, or before the prompt is typed.
     */
    Optional<Reading> poll(long now, PromptSubmission submission) {
        if (now - lastStatusPoll < STATUS_POLL.toNanos()) {
            return Optional.empty();
        }
        lastStatusPoll = now;
        Optional<StatusFile.Status> reading = status.get();
        if (reading.isEmpty() || !submission.typed()) {
            return Optional.empty();
        }
        StatusFile.Status s = reading.get();
        boolean sinceOurEnter = s.updatedAtMillis() >= submission.firstEnterMillis();
        // A busy reading may be what accepts the prompt; accepted or not, it neither starts the idle grace nor
        // blocks, so the state before it will do.
        boolean accepted = submission.accepted();
        if (accepted && s.is("idle") && sinceOurEnter && idleDeadline == NONE) {
            idleDeadline = now + IDLE_GRACE.toNanos();
            idleSince = now;
        } else if (s.is("busy") && sinceOurEnter) {
            idleDeadline = NONE; // a late "idle" of the previous turn, followed by ours
            idleSince = NONE;
        }
        boolean blocked = false;
        if (accepted && s.is("waiting")) {
            if (blockedSince == NONE) {
                blockedSince = now;
            } else {
                blocked = now - blockedSince >= BLOCKED_GRACE.toNanos();
            }
        } else {
            blockedSince = NONE;
        }
        return Optional.of(new Reading(s.is("busy") && sinceOurEnter, s.is("idle") && sinceOurEnter, blocked,
                s.waitingFor()));
    }

    /** When the grace after the idle status ends; {@link Long#MAX_VALUE} while the CLI is not idle. */
    long idleDeadline() {
        return idleDeadline;
    }

    /**
     * At the end of the idle grace: true, and the grace extended, if the screen's footer says the CLI still works
     * (up to {@link #IDLE_WHILE_WORKING_LIMIT} after the idle status).
     */
    boolean stillWorking(long now) {
        if (now - idleSince < IDLE_WHILE_WORKING_LIMIT.toNanos() && terminal.screen().contains(BUSY_FOOTER)) {
            idleDeadline = now + STATUS_POLL.toNanos() * 5; // still working: look again
            return true;
        }
        return false;
    }
}
