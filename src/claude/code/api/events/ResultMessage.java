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
 * @param isError the turn failed (API error, CLI exit, timeout); {@code errorText} says why
 * @param interrupted the turn was interrupted before it completed
 */
public record ResultMessage(String sessionId, Duration duration, int apiCalls, Usage usage, String finalText,
        String stopReason, boolean isError, String errorText, boolean interrupted) implements Event {}
