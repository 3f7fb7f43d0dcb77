package claude.code.api.events;

import java.time.Duration;

/**
 * The end of a turn, synthesized from what came before it.
 *
 * @param duration from sending the prompt to the end of the turn
 * @param apiCalls model responses in the turn (one per tool round trip, plus the final one)
 * @param usage summed over the turn's responses
 * @param finalText the text of the last model message
 * @param stopReason of the last model message; {@code null} when interrupted or failed before any
 * @param error why the turn failed (the model API, the time limit, the CLI), or {@code null} when it did not
 * @param interrupted the turn was interrupted before it completed
 */
public record ResultMessage(String sessionId, Duration duration, int apiCalls, Usage usage, String finalText,
        String stopReason, TurnError error, boolean interrupted) implements Event {

    /** The turn failed; {@link #error()} says why. */
    public boolean isError() {
        return error != null;
    }

    /** {@link #error()}'s message, or {@code null}. */
    public String errorText() {
        return error == null ? null : error.message();
    }
}
