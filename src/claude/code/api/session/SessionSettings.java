package claude.code.api.session;

import claude.code.api.cli.DialogPolicy;
import claude.code.api.cli.ProcessSettings;
import claude.code.api.events.MessageParseError;
import claude.code.api.options.HistoryOptions;
import claude.code.api.options.Timeouts;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How {@link CliSession}s start and run their turns: the backend's {@link Timeouts} and
 * {@link HistoryOptions}, taken whole, and the session's own knobs. Every wait has a bound; none is
 * a fixed delay on the normal path.
 *
 * @param timeouts start-up, transcript, {@code turn_duration} and turn bounds
 * @param history whether a turn waits for {@code turn_duration} and delivers meta records (its
 *     {@code mode} is the backend's business)
 * @param dialogs which start-up dialogs to answer
 * @param submitTimeout how long the CLI may take to accept a typed prompt (its echo in the transcript
 *     or its status turning {@code busy}); a 60 KB prompt takes seconds to type
 * @param enterRetryInterval Enter is pressed again at this interval until the prompt is accepted:
 *     an Enter that reaches the TUI while it still takes in the pastes is lost
 * @param interruptTimeout how long an interrupt (ESC) may take to show in the transcript
 * @param onParseError receives transcript lines that cannot be parsed; the turn goes on without them.
 *     Called on the tail's thread; it must not block. The default logs offset and reason (never the line)
 */
public record SessionSettings(Timeouts timeouts, HistoryOptions history, DialogPolicy dialogs,
        Duration submitTimeout, Duration enterRetryInterval, Duration interruptTimeout,
        Consumer<MessageParseError> onParseError) {

    private static final System.Logger LOG = System.getLogger(SessionSettings.class.getName());

    /** Logs a parse error without the line's content (it is conversation data). */
    public static final Consumer<MessageParseError> LOG_PARSE_ERRORS = e -> LOG.log(System.Logger.Level.WARNING,
            "skipped an unreadable transcript line at byte {0} of {1} ({2} chars): {3}", e.offset(), e.file(),
            e.line().length(), e.reason());

    public static final SessionSettings DEFAULTS = builder().build();

    public SessionSettings {
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(dialogs, "dialogs");
        requirePositive("submitTimeout", submitTimeout);
        requirePositive("enterRetryInterval", enterRetryInterval);
        requirePositive("interruptTimeout", interruptTimeout);
        Objects.requireNonNull(onParseError, "onParseError");
    }

    /** How the session's process is started and stopped. */
    public ProcessSettings process() {
        return ProcessSettings.DEFAULTS.withStartupTimeout(timeouts.startupTimeout()).withDialogs(dialogs);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.timeouts = timeouts;
        b.history = history;
        b.dialogs = dialogs;
        b.submitTimeout = submitTimeout;
        b.enterRetryInterval = enterRetryInterval;
        b.interruptTimeout = interruptTimeout;
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
        private Timeouts timeouts = Timeouts.DEFAULTS;
        private HistoryOptions history = HistoryOptions.DEFAULTS;
        private DialogPolicy dialogs = DialogPolicy.DEFAULT;
        private Duration submitTimeout = Duration.ofSeconds(60);
        private Duration enterRetryInterval = Duration.ofMillis(300);
        private Duration interruptTimeout = Duration.ofSeconds(10);
        private Consumer<MessageParseError> onParseError = LOG_PARSE_ERRORS;

        private Builder() {}

        /** Default {@link Timeouts#DEFAULTS}. */
        public Builder timeouts(Timeouts v) { timeouts = v; return this; }
        /** Default {@link HistoryOptions#DEFAULTS}. */
        public Builder history(HistoryOptions v) { history = v; return this; }
        /** Default {@link DialogPolicy#DEFAULT}. */
        public Builder dialogs(DialogPolicy v) { dialogs = v; return this; }
        /** Default 60 s. */
        public Builder submitTimeout(Duration v) { submitTimeout = v; return this; }
        /** Default 300 ms. */
        public Builder enterRetryInterval(Duration v) { enterRetryInterval = v; return this; }
        /** Default 10 s. */
        public Builder interruptTimeout(Duration v) { interruptTimeout = v; return this; }
        /** Default {@link #LOG_PARSE_ERRORS}. */
        public Builder onParseError(Consumer<MessageParseError> v) { onParseError = v; return this; }

        public SessionSettings build() {
            return new SessionSettings(timeouts, history, dialogs, submitTimeout, enterRetryInterval, interruptTimeout,
                    onParseError);
        }
    }
}
