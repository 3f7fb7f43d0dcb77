package claude.code.api.mcp;

/** How a {@link PendingToolCall} ended. */
public sealed interface CallOutcome {
    record Completed(ToolResult result) implements CallOutcome {}

    /** The gateway could not get a result; the CLI receives a JSON-RPC error with this message. */
    record Failed(String message) implements CallOutcome {}

    /** The wait for the client's result ran out; the CLI received an error result. */
    record TimedOut() implements CallOutcome {}

    /** The CLI gave up on the call: it disconnected or sent notifications/cancelled. */
    record Cancelled(String reason) implements CallOutcome {}
}
