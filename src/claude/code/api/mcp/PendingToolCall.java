package claude.code.api.mcp;

import claude.code.api.json.JsonValue;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@code tools/call} from the CLI, held open until the session answers it. The first outcome wins: a result
 * that arrives after a cancellation or timeout is dropped ({@link #complete} says so by returning false).
 */
public final class PendingToolCall {
    private final String toolName;
    private final JsonValue arguments;
    private final Optional<String> toolUseId;
    private final Optional<JsonValue> progressToken;
    final CompletableFuture<CallOutcome> outcome = new CompletableFuture<>();

    PendingToolCall(String toolName, JsonValue arguments, Optional<String> toolUseId, Optional<JsonValue> progressToken) {
        this.toolName = toolName;
        this.arguments = arguments;
        this.toolUseId = toolUseId;
        this.progressToken = progressToken;
    }

    /** The client's name, without the CLI's {@code mcp__<server>__} prefix. */
    public String toolName() {
        return toolName;
    }

    public JsonValue arguments() {
        return arguments;
    }

    /** The API's tool_use id ({@code _meta["claudecode/toolUseId"]}); empty when the CLI sent none. */
    public Optional<String> toolUseId() {
        return toolUseId;
    }

    public Optional<JsonValue> progressToken() {
        return progressToken;
    }

    public boolean complete(ToolResult result) {
        return outcome.complete(new CallOutcome.Completed(result));
    }

    public boolean fail(String message) {
        return outcome.complete(new CallOutcome.Failed(message));
    }

    /** Completes when the call ended in any way; the session watches it to learn of cancellations. */
    public CompletionStage<CallOutcome> ended() {
        return outcome.minimalCompletionStage();
    }

    boolean cancel(String reason) {
        return outcome.complete(new CallOutcome.Cancelled(reason));
    }
}
