package claude.code.api.options;

import java.util.Objects;

/**
 * How the model may use the client's tools on one request, as the Messages API's {@code tool_choice} says it
 * ({@code auto}, {@code none}, {@code any}, {@code {type: tool, name}}, each but {@code none} with
 * {@code disable_parallel_tool_use}). Per request, not per backend: sessions are shared by requests with any choice.
 * The relay sets it on the model API request that answers the request (docs/CLI-BEHAVIOUR.md#relay-amendments).
 *
 * @param kind what the model may or must do
 * @param name the client's name of the forced tool for {@link Kind#TOOL}, else {@code null}
 * @param disableParallelToolUse at most one tool call in the answer (never set for {@link Kind#NONE})
 */
public record ToolChoice(Kind kind, String name, boolean disableParallelToolUse) {
    public enum Kind {
        /** The model decides (the API's default). */
        AUTO,
        /** No tool call. */
        NONE,
        /** At least one tool call (OpenAI's {@code required}). */
        ANY,
        /** A call of the tool {@link #name()}. */
        TOOL
    }

    /** The API's default: the model decides, parallel calls allowed. */
    public static final ToolChoice AUTO = new ToolChoice(Kind.AUTO, null, false);

    public ToolChoice {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.TOOL) != (name != null)) {
            throw new IllegalArgumentException("toolChoice: a name goes with kind TOOL, and only with it");
        }
        if (kind == Kind.NONE && disableParallelToolUse) {
            throw new IllegalArgumentException("toolChoice: disableParallelToolUse has no meaning with kind NONE");
        }
    }

    public static ToolChoice none() {
        return new ToolChoice(Kind.NONE, null, false);
    }

    public static ToolChoice any() {
        return new ToolChoice(Kind.ANY, null, false);
    }

    /** @param name the client's name of the tool, as in the backend's {@link ClientToolSet} */
    public static ToolChoice tool(String name) {
        return new ToolChoice(Kind.TOOL, Objects.requireNonNull(name, "name"), false);
    }

    /** This choice with at most one tool call per answer. */
    public ToolChoice withParallelToolUseDisabled() {
        return new ToolChoice(kind, name, true);
    }

    /** The model must call a tool ({@link Kind#ANY}, {@link Kind#TOOL}). */
    public boolean forces() {
        return kind == Kind.ANY || kind == Kind.TOOL;
    }

    /** The API's default: nothing to set on the request. */
    public boolean isDefault() {
        return kind == Kind.AUTO && !disableParallelToolUse;
    }
}
