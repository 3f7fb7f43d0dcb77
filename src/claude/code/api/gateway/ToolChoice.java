package claude.code.api.gateway;

/**
 * A request's {@code tool_choice} (and its parallel-calls setting), the same for every API.
 *
 * @param name the forced tool's name for {@link Kind#TOOL}, else {@code null}
 * @param parallel whether the model may call several tools in one message ({@code disable_parallel_tool_use} negated,
 *     OpenAI's {@code parallel_tool_calls})
 */
record ToolChoice(Kind kind, String name, boolean parallel) {
    enum Kind {
        /** The model decides (every API's default). */
        AUTO,
        /** No tool calls. */
        NONE,
        /** At least one tool call (Anthropic {@code any}, OpenAI {@code required}). */
        ANY,
        /** A call of the tool {@link #name()}. */
        TOOL
    }

    static final ToolChoice AUTO = new ToolChoice(Kind.AUTO, null, true);

    ToolChoice withParallel(boolean parallel) {
        return new ToolChoice(kind, name, parallel);
    }

    /** The choice as the backend takes it (a {@code none} has no parallel calls to disable). */
    claude.code.api.options.ToolChoice forBackend() {
        claude.code.api.options.ToolChoice choice = switch (kind) {
            case AUTO -> claude.code.api.options.ToolChoice.AUTO;
            case NONE -> claude.code.api.options.ToolChoice.none();
            case ANY -> claude.code.api.options.ToolChoice.any();
            case TOOL -> claude.code.api.options.ToolChoice.tool(name);
        };
        return parallel || kind == Kind.NONE ? choice : choice.withParallelToolUseDisabled();
    }
}
