package claude.code.api.gateway;

import claude.code.api.FakeSessions;
import claude.code.api.events.ApiError;
import claude.code.api.events.AssistantMessage;
import claude.code.api.events.ContentBlock;
import claude.code.api.events.Event;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.StreamEvent;
import claude.code.api.events.StreamEvent.BlockHead;
import claude.code.api.events.StreamEvent.Delta;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.TurnError;
import claude.code.api.events.Usage;
import claude.code.api.events.UserMessage;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A turn's events as the backend delivers them with the model-API relay on (the contract of
 * issue 13): per main-conversation API call its {@link StreamEvent}s, then that call's
 * {@link AssistantMessage} records (one per block, as the CLI writes them, all with the call's
 * message id), tool results as user records, and the {@link ResultMessage} last.
 */
final class RelayTurn {
    /** The model the API's {@code message_start} names; the fake CLI's records name {@code claude-test}. */
    static final String API_MODEL = "claude-api-model-20260101";

    private final FakeSessions.Session session;
    private final List<Event> events = new ArrayList<>();
    private Usage usage = Usage.ZERO;
    private String lastStop;
    private int calls;

    private RelayTurn(FakeSessions.Session session) {
        this.session = session;
        events.add(new UserMessage("u-prompt", List.of(new TextBlock(session.prompts.getLast())), true, false));
    }

    static RelayTurn of(FakeSessions.Session session) {
        return new RelayTurn(session);
    }

    /** One API call: its blocks streamed, then its records. */
    final class Call {
        private final String id;
        private final Usage startUsage;
        private final List<StreamEvent> stream = new ArrayList<>();
        private final List<ContentBlock> blocks = new ArrayList<>();

        Call(String id, Usage startUsage) {
            this.id = id;
            this.startUsage = startUsage;
            stream.add(new StreamEvent.MessageStart(id, API_MODEL, startUsage, JsonObject.EMPTY));
            stream.add(new StreamEvent.Ping());
        }

        private int index() {
            return blocks.size();
        }

        Call text(String... pieces) {
            int i = index();
            stream.add(new StreamEvent.BlockStart(i, new BlockHead.Text("")));
            for (String p : pieces) {
                stream.add(new StreamEvent.BlockDelta(i, new Delta.TextDelta(p)));
            }
            stream.add(new StreamEvent.BlockStop(i));
            blocks.add(new TextBlock(String.join("", pieces)));
            return this;
        }

        Call thinking(List<String> pieces, String signature) {
            int i = index();
            stream.add(new StreamEvent.BlockStart(i, new BlockHead.Thinking("", "")));
            for (String p : pieces) {
                stream.add(new StreamEvent.BlockDelta(i, new Delta.ThinkingDelta(p)));
            }
            stream.add(new StreamEvent.BlockDelta(i, new Delta.SignatureDelta(signature)));
            stream.add(new StreamEvent.BlockStop(i));
            blocks.add(new ThinkingBlock(String.join("", pieces), signature));
            return this;
        }

        /** A tool use of the CLI's own tools; its input streamed in pieces of JSON text. */
        Call toolUse(String toolId, String name, String... jsonPieces) {
            int i = index();
            stream.add(new StreamEvent.BlockStart(i, new BlockHead.ToolUse(toolId, name)));
            for (String p : jsonPieces) {
                stream.add(new StreamEvent.BlockDelta(i, new Delta.InputJsonDelta(p)));
            }
            stream.add(new StreamEvent.BlockStop(i));
            blocks.add(new ToolUseBlock(toolId, name, (JsonObject) Json.parse(String.join("", jsonPieces))));
            return this;
        }

        /** Ends the call: message_delta (stop reason, cumulative output usage), message_stop, then its records. */
        RelayTurn end(String stopReason, long outputTokens) {
            stream.add(new StreamEvent.MessageDelta(stopReason, null, new Usage(0, outputTokens, 0, 0)));
            stream.add(new StreamEvent.MessageStop());
            events.addAll(stream);
            for (ContentBlock b : blocks) {
                events.add(new AssistantMessage("a-" + id + "-" + events.size(), id, "claude-test", List.of(b), stopReason,
                        startUsage, null));
            }
            usage = usage.plus(new Usage(startUsage.inputTokens(), outputTokens, startUsage.cacheCreationInputTokens(),
                    startUsage.cacheReadInputTokens()));
            lastStop = stopReason;
            calls++;
            return RelayTurn.this;
        }
    }

    Call call(String id, Usage startUsage) {
        return new Call(id, startUsage);
    }

    /** A call whose events are not streamed (as without the relay): its records only. */
    RelayTurn unstreamed(String id, ContentBlock block) {
        events.add(new AssistantMessage("a-" + id, id, "claude-test", List.of(block), "end_turn", new Usage(1, 1, 0, 0), null));
        calls++;
        return this;
    }

    RelayTurn toolResult(String toolId, String text) {
        events.add(new UserMessage("u-" + toolId, List.of(new ToolResultBlock(toolId, new JsonString(text), null)), false,
                false));
        return this;
    }

    /** The raw events added so far, then more (for a call cut short). */
    RelayTurn raw(StreamEvent... more) {
        events.addAll(List.of(more));
        return this;
    }

    /** The turn completed. */
    List<Event> completed() {
        events.add(new ResultMessage(session.sessionId(), Duration.ofMillis(50), calls, usage, "", lastStop, null, false));
        return List.copyOf(events);
    }

    /** The turn failed: the upstream answered with an error, read from its response by the relay. */
    List<Event> failed(int status, String type, String message, int retryAfterSeconds) {
        ApiError error = new ApiError("upstream", status, type, message,
                retryAfterSeconds > 0 ? Integer.toString(retryAfterSeconds) : null, true);
        events.add(new ResultMessage(session.sessionId(), Duration.ofMillis(50), calls, usage, "", null,
                new TurnError.ApiFailed(error), false));
        return List.copyOf(events);
    }
}
