package claude.code.api;

import claude.code.api.options.ToolChoice;
import java.util.Objects;

/**
 * What one {@link ClaudeCodeBackend#complete(java.util.List, TurnOptions)} asks for beyond its messages: settings of
 * that request alone, never of the session (a session serves the next request whatever it asks here).
 *
 * @param toolChoice how the model may use the backend's client tools on this request
 */
public record TurnOptions(ToolChoice toolChoice) {
    /** Nothing asked for: the API's defaults. */
    public static final TurnOptions DEFAULTS = new TurnOptions(ToolChoice.AUTO);

    public TurnOptions {
        Objects.requireNonNull(toolChoice, "toolChoice");
    }

    public static TurnOptions of(ToolChoice toolChoice) {
        return new TurnOptions(toolChoice);
    }
}
