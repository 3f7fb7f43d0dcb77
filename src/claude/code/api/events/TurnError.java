package claude.code.api.events;

import java.time.Duration;
import java.util.Objects;

/**
 * Why a turn ended in an error ({@link ResultMessage#error()}). Sealed: switch over it.
 */
public sealed interface TurnError permits TurnError.ApiFailed, TurnError.TimedOut, TurnError.SessionFailed {

    /** What went wrong, for people (it may quote the CLI's screen). */
    String message();

    /** The model API failed and the CLI gave up after its own retries. */
    record ApiFailed(ApiError error) implements TurnError {
        public ApiFailed {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public String message() {
            return error.message();
        }
    }

    /**
     * The turn ran longer than its bound ({@code Timeouts.turnTimeout}) and was interrupted.
     *
     * @param limit the bound it ran over
     */
    record TimedOut(Duration limit, String message) implements TurnError {
        public TimedOut {
            Objects.requireNonNull(limit, "limit");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * The CLI or its transcript failed the turn: the process exited, the transcript could no longer
     * be followed, the prompt was not accepted, the CLI stopped at a dialog, the session was closed.
     */
    record SessionFailed(String message) implements TurnError {
        public SessionFailed {
            Objects.requireNonNull(message, "message");
        }
    }
}
