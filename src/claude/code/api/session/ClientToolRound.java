package claude.code.api.session;

import claude.code.api.events.AssistantMessage;
import claude.code.api.events.ContentBlock;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.StreamEvent;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.mcp.PendingToolCall;
import claude.code.api.options.ClientTool;
import claude.code.api.options.ClientToolSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One turn's round of the client's tools: a relayed main-loop message that calls only the client's tools
 * ({@link #begin}) and the CLI's {@code tools/call}s ({@link SessionSignal.ClientToolCall}, {@link #called}). Once
 * there is a call for each of the message's tool_use ids, the turn ends for the caller ({@link #end}): its stream
 * gets the message under the client's tool names ({@link ClientToolUse#forClient}) and a result with stop reason
 * {@code tool_use}, and {@link #awaiting} holds the open calls, in the message's order. Built from the relay and
 * the calls, never from the transcript (which may hold the tool_use record until the result). Used by the
 * {@link Turn}'s driver thread only.
 */
final class ClientToolRound {
    private static final System.Logger LOG = System.getLogger(ClientToolRound.class.getName());

    private final String sessionId;
    /** The client's tools (names the model calls as {@code mcp__c__<name>}); none: the CLI runs its own. */
    private final ClientToolSet tools;
    /** The CLI's calls of the client's tools so far, by tool_use id. */
    private final Map<String, PendingToolCall> calls = new LinkedHashMap<>();
    /** The relayed message that calls the client's tools, until every call of it has come; or null. */
    private AssistantMessage clientMessage;
    /** The calls the turn ended at (see {@link Turn.Outcome#awaiting}). */
    private List<PendingToolCall> awaiting = List.of();

    ClientToolRound(String sessionId, ClientToolSet tools) {
        this.sessionId = sessionId;
        this.tools = tools;
    }

    /**
     * A relayed message that calls only the client's tools begins the round: true if it did, and the client gets
     * it once the CLI called every one of its tools.
     */
    boolean begin(AssistantMessage message) {
        if (!ClientToolUse.callsOnlyClientTools(message, tools)) {
            return false;
        }
        clientMessage = message;
        return true;
    }

    /** The CLI called one of the client's tools; false if the call cannot be paired with its tool_use (failed). */
    boolean called(PendingToolCall call) {
        if (call.toolUseId().isEmpty()) { // the pinned CLI always names it (docs/CLI-BEHAVIOUR.md#mcp-tools)
            call.fail("the tools/call carries no _meta claudecode/toolUseId: it cannot be paired with its tool_use");
            return false;
        }
        calls.put(call.toolUseId().get(), call);
        return true;
    }

    /**
     * The turn's end for the caller at the client's tools: once the CLI called every tool of {@link #clientMessage},
     * the message under the client's names goes to {@code stream}, then (returned) the result so far with stop
     * reason {@code tool_use}; null until then.
     */
    ResultMessage end(QueuedEventStream stream, Supplier<ResultMessage> resultSoFar) {
        if (clientMessage == null) {
            return null;
        }
        Optional<AssistantMessage> forClient = ClientToolUse.forClient(clientMessage, tools, calls.keySet());
        if (forClient.isEmpty()) {
            return null;
        }
        List<PendingToolCall> open = new ArrayList<>();
        for (ContentBlock block : clientMessage.content()) {
            if (block instanceof ToolUseBlock use) {
                open.add(calls.get(use.id()));
            }
        }
        awaiting = List.copyOf(open);
        stream.push(forClient.get());
        ResultMessage r = resultSoFar.get();
        LOG.log(System.Logger.Level.DEBUG, "session {0}: the turn waits for the client's results of {1} tool calls",
                sessionId, open.size());
        return new ResultMessage(r.sessionId(), r.duration(), r.apiCalls(), r.usage(), clientMessage.text(), "tool_use",
                null, false);
    }

    /** The calls the turn ended at, in the model's order; empty unless {@link #end} ended it. */
    List<PendingToolCall> awaiting() {
        return awaiting;
    }

    /** A relayed event as the client sees it: a tool_use block of its own tools under the client's name. */
    StreamEvent clientNamed(StreamEvent event) {
        if (!tools.isEmpty() && event instanceof StreamEvent.BlockStart(int index, StreamEvent.BlockHead.ToolUse use)) {
            Optional<ClientTool> tool = ClientToolUse.clientTool(use.name(), tools);
            if (tool.isPresent()) {
                return new StreamEvent.BlockStart(index, new StreamEvent.BlockHead.ToolUse(use.id(), tool.get().name()));
            }
        }
        return event;
    }
}
