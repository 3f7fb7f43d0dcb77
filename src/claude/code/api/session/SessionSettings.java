package claude.code.api.session;

import claude.code.api.cli.DialogPolicy;
import claude.code.api.cli.ProcessSettings;
import claude.code.api.events.MessageParseError;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How {@link CliSession}s start and run their turns. Every wait has a bound; none is a fixed delay
 * on the normal path.
 *
 * @param process start-up timeout, dialog policy, API retry bound, close grace
 * @param fileWaitTimeout how long a turn waits for the transcript file to appear (the CLI creates it
 *     with the first prompt's records)
 * @param waitForTurnDuration confirm a completed turn by its {@code system}/{@code turn_duration}
 *     record (it arrives in the same write as the last message); without it a turn ends at the first
 *     model message with a final stop reason, no pending tool use and no thinking as its last block
 * @param turnDurationTimeout how long to wait for {@code turn_duration} after a final message before
 *     ending the turn anyway
 * @param turnTimeout the longest a turn may run; then it is interrupted and ends with an error
 * @param submitTimeout how long the CLI may take to accept a typed prompt (its echo in the transcript
 *     or its status turning {@code busy}); a 60 KB prompt takes seconds to type
 * @param enterRetryInterval Enter is pressed again at this interval until the prompt is accepted:
 *     an Enter that reaches the TUI while it still takes in the pastes is lost
 * @param interruptTimeout how long an interrupt (ESC) may take to show in the transcript
 * @param includeMetaUser deliver {@code isMeta} user records (system reminders) as events
 * @param onParseError receives transcript lines that cannot be parsed; the turn goes on without them.
 *     Called on the tail's thread; it must not block. The default logs offset and reason (never the line)
 */
public record SessionSettings(ProcessSettings process, Duration fileWaitTimeout, boolean waitForTurnDuration,
        Duration turnDurationTimeout, Duration turnTimeout, Duration submitTimeout, Duration enterRetryInterval,
        Duration interruptTimeout, boolean includeMetaUser, Consumer<MessageParseError> onParseError) {

    private static final System.Logger LOG = System.getLogger(SessionSettings.class.getName());

    /** Logs a parse error without the line's content (it is conversation data). */
    public static final Consumer<MessageParseError> LOG_PARSE_ERRORS = e -> LOG.log(System.Logger.Level.WARNING,
            "skipped an unreadable transcript line at byte {0} of {1} ({2} chars): {3}", e.offset(), e.file(),
            e.line().length(), e.reason());

    public static final SessionSettings DEFAULTS = builder().build();

    public SessionSettings {
        Objects.requireNonNull(process, "process");
        requirePositive("fileWaitTimeout", fileWaitTimeout);
        requirePositive("turnDurationTimeout", turnDurationTimeout);
        requirePositive("turnTimeout", turnTimeout);
        requirePositive("submitTimeout", submitTimeout);
        requirePositive("enterRetryInterval", enterRetryInterval);
        requirePositive("interruptTimeout", interruptTimeout);
        Objects.requireNonNull(onParseError, "onParseError");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.process = process;
        b.fileWaitTimeout = fileWaitTimeout;
        b.waitForTurnDuration = waitForTurnDuration;
        b.turnDurationTimeout = turnDurationTimeout;
        b.turnTimeout = turnTimeout;
        b.submitTimeout = submitTimeout;
        b.enterRetryInterval = enterRetryInterval;
        b.interruptTimeout = interruptTimeout;
        b.includeMetaUser = includeMetaUser;
        b.onParseError = onParseError;
        return b;
    }

    private static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /** Defaults: see each setter. */
    public static final class Builder {
        private ProcessSettings process = ProcessSettings.DEFAULTS;
        private Duration fileWaitTimeout = Duration.ofSeconds(30);
        private boolean waitForTurnDuration = true;
        private Duration turnDurationTimeout = Duration.ofSeconds(5);
        private Duration turnTimeout = Duration.ofMinutes(15);
        private Duration submitTimeout = Duration.ofSeconds(60);
        private Duration enterRetryInterval = Duration.ofMillis(300);
        private Duration interruptTimeout = Duration.ofSeconds(10);
        private boolean includeMetaUser;
        private Consumer<MessageParseError> onParseError = LOG_PARSE_ERRORS;

        private Builder() {}

        /** Default {@link ProcessSettings#DEFAULTS}. */
        public Builder process(ProcessSettings v) { process = v; return this; }
        /** Shortcut for {@code process(process.withStartupTimeout(v))}; default 30 s. */
        public Builder startupTimeout(Duration v) { process = process.withStartupTimeout(v); return this; }
        /** Shortcut for {@code process(process.withDialogs(v))}; default {@link DialogPolicy#DEFAULT}. */
        public Builder dialogs(DialogPolicy v) { process = process.withDialogs(v); return this; }
        /** Shortcut for {@code process(process.withApiMaxRetries(v))}; default 2. */
        public Builder apiMaxRetries(int v) { process = process.withApiMaxRetries(v); return this; }
        /** Default 30 s. */
        public Builder fileWaitTimeout(Duration v) { fileWaitTimeout = v; return this; }
        /** Default true. */
        public Builder waitForTurnDuration(boolean v) { waitForTurnDuration = v; return this; }
        /** Default 5 s. */
        public Builder turnDurationTimeout(Duration v) { turnDurationTimeout = v; return this; }
        /** Default 15 min. */
        public Builder turnTimeout(Duration v) { turnTimeout = v; return this; }
        /** Default 60 s. */
        public Builder submitTimeout(Duration v) { submitTimeout = v; return this; }
        /** Default 300 ms. */
        public Builder enterRetryInterval(Duration v) { enterRetryInterval = v; return this; }
        /** Default 10 s. */
        public Builder interruptTimeout(Duration v) { interruptTimeout = v; return this; }
        /** Default false. */
        public Builder includeMetaUser(boolean v) { includeMetaUser = v; return this; }
        /** Default {@link #LOG_PARSE_ERRORS}. */
        public Builder onParseError(Consumer<MessageParseError> v) { onParseError = v; return this; }

        public SessionSettings build() {
            return new SessionSettings(process, fileWaitTimeout, waitForTurnDuration, turnDurationTimeout, turnTimeout,
                    submitTimeout, enterRetryInterval, interruptTimeout, includeMetaUser, onParseError);
        }
    }
}
