package claude.code.api.gateway;

import claude.code.api.events.ApiError;
import claude.code.api.events.AssistantMessage;
import claude.code.api.events.ContentBlock;
import claude.code.api.events.Event;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.StreamEvent;
import claude.code.api.events.StreamEvent.BlockHead;
import claude.code.api.events.StreamEvent.Delta;
import claude.code.api.events.SystemMessage;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.TurnError;
import claude.code.api.events.TurnRendering;
import claude.code.api.events.Usage;
import claude.code.api.events.UserMessage;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonParseException;
import claude.code.api.options.ClientToolSet;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * A turn's events as a client sees them: the blocks of one assistant message
 * ({@link TurnRendering}, the same rendering the backend registers sessions under), the model to
 * report, the usage and stop reason, and how the turn ended. The same for every API.
 *
 * <p>With the model-API relay a turn also carries each main-conversation API call's
 * {@link StreamEvent}s, before the {@link AssistantMessage} of that call. A stream ({@link #stream})
 * hands them on as partial blocks, and then leaves out the assistant message with the same
 * message id, which would repeat them; a call without stream events shows its assistant message's
 * blocks as whole blocks. A whole answer ({@link #accept}) is always made of the assistant
 * messages. The visibility rule is {@link TurnRendering#render} for both: thinking and non-empty
 * text are shown; the CLI's own tool use is hidden or, with tool activity, shown as the same text
 * block the whole path shows (the tool input's deltas are gathered and rendered at the block's
 * end); any other block type is hidden. The calls' blocks are handed on in order, so a dialect
 * that numbers blocks as it writes them numbers them across the calls: the client sees one message.
 *
 * <p>The client's own tools ({@link ClientToolSet}, the request's) are the exception: a session for a tool set has
 * the CLI's tools off, and a tool use under one of the client's names is the client's call, which its turn ends at
 * (the backend's contract: that response's tool_use blocks streamed and in its assistant message, stop reason
 * {@code tool_use}, then the result). Such a block is handed on as it is, a {@link BlockHead.ToolUse} head with its
 * {@link Delta.InputJsonDelta}s or a whole {@link ToolUseBlock}, and the answer's stop reason stays {@code tool_use}:
 * the client runs the tools and sends their results.
 */
final class TurnView {
    /** Receives each whole block as it becomes visible. */
    @FunctionalInterface
    interface BlockSink {
        void block(ContentBlock block) throws IOException;
    }

    /**
     * Receives the blocks of a streamed answer: whole blocks, and blocks streamed piece by piece
     * ({@link #blockStart}, {@link #blockDelta}s, {@link #blockStop}; never two open at once).
     */
    interface PartialSink extends BlockSink {
        /** A shown block begins: a text, thinking or redacted thinking head. */
        void blockStart(BlockHead head) throws IOException;

        /** A piece of the open block: a text, thinking or signature delta. */
        void blockDelta(Delta delta) throws IOException;

        /** The open block is complete. */
        void blockStop() throws IOException;
    }

    /** What happens to the deltas of the API's open block. */
    private enum Open {
        /** No block is open. */
        NONE,
        /** Shown: its deltas are handed on. */
        SHOWN,
        /** A text block that has had no text yet: shown from its first text (an empty one is not). */
        TEXT_PENDING,
        /** A tool use shown as tool activity: its input is gathered until the block ends. */
        TOOL_GATHERED,
        /** A call of a client tool: shown, its input deltas handed on. */
        CLIENT_TOOL,
        /** Hidden: its deltas are dropped. */
        HIDDEN
    }

    private final boolean toolActivity;
    private final String askedModel;
    private final ClientToolSet clientTools;
    /** Ids of the client tool calls shown, so an assistant message repeating a streamed one's call never shows it twice. */
    private final Set<String> clientCalls = new HashSet<>();
    /** The latest model response called client tools: a {@code tool_use} stop is the client's to act on. */
    private boolean clientToolsCalled;
    private String answeredModel;
    private String apiModel;
    private ApiError lastApiError;
    private ResultMessage result;

    /** Message ids of the API calls whose stream events were seen. */
    private final Set<String> streamedMessages = new HashSet<>();
    private Usage streamedUsage = Usage.ZERO;
    private String streamedStopReason;
    private Usage callStartUsage = Usage.ZERO;
    private Usage callDeltaUsage;
    private Open open = Open.NONE;
    private int openIndex = -1;
    private ToolUseBlock gatheredTool;
    private final StringBuilder gatheredInput = new StringBuilder();

    /**
     * @param toolActivity show the CLI's own tool calls and results as text blocks
     * @param askedModel the model asked for (the request's, else the gateway's, else {@code default})
     */
    TurnView(boolean toolActivity, String askedModel) {
        this(toolActivity, askedModel, ClientToolSet.NONE);
    }

    /** @param clientTools the client's tools the turn's request offered: calls of these are the client's to run */
    TurnView(boolean toolActivity, String askedModel, ClientToolSet clientTools) {
        this.toolActivity = toolActivity;
        this.askedModel = askedModel;
        this.clientTools = clientTools;
    }

    private boolean clientTool(String name) {
        return !clientTools.isEmpty() && clientTools.contains(name);
    }

    /** Takes the next event of a turn answered whole, and hands the blocks it makes visible to {@code sink}. */
    void accept(Event event, BlockSink sink) throws IOException {
        take(event, sink, null);
    }

    /** Takes the next event of a streamed turn, and hands what it makes visible to {@code sink}, partial blocks too. */
    void stream(Event event, PartialSink sink) throws IOException {
        take(event, sink, sink);
    }

    private void take(Event event, BlockSink sink, PartialSink partial) throws IOException {
        switch (event) {
            case AssistantMessage a when a.isApiError() -> lastApiError = a.apiError();
            case AssistantMessage a when partial != null && a.messageId() != null
                    && streamedMessages.contains(a.messageId()) -> {} // its stream events showed it
            case AssistantMessage a -> {
                answered(a.model());
                for (ContentBlock b : a.content()) {
                    if (b instanceof ToolUseBlock u && clientTool(u.name())) {
                        clientToolsCalled = true;
                        if (clientCalls.add(u.id())) {
                            sink.block(u);
                        }
                    } else {
                        emit(TurnRendering.render(b, true, toolActivity), sink);
                    }
                }
            }
            case UserMessage u when !u.prompt() && !u.meta() && u.hasToolResult() -> {
                for (ContentBlock b : u.content()) {
                    emit(TurnRendering.render(b, false, toolActivity), sink);
                }
            }
            case UserMessage u -> {}
            case SystemMessage s -> {}
            case ResultMessage r -> result = r;
            case StreamEvent p -> partial(p, partial);
        }
    }

    private void answered(String model) {
        if (model != null && !model.isBlank() && !model.startsWith("<")) {
            answeredModel = model;
        }
    }

    /** One stream event: the call's model, usage and stop reason always; its blocks only for a stream. */
    private void partial(StreamEvent event, PartialSink sink) throws IOException {
        switch (event) {
            case StreamEvent.MessageStart s -> {
                closeOpen(sink); // a call cut short without its block's end
                if (s.id() != null) {
                    streamedMessages.add(s.id());
                }
                if (s.model() != null && !s.model().isBlank()) {
                    apiModel = s.model();
                }
                callStartUsage = s.usage() == null ? Usage.ZERO : s.usage();
                callDeltaUsage = null;
                clientToolsCalled = false;
            }
            case StreamEvent.BlockStart s -> {
                closeOpen(sink);
                openIndex = s.index();
                if (s.block() instanceof BlockHead.ToolUse u && clientTool(u.name())) {
                    clientToolsCalled = true;
                }
                open = sink == null ? Open.HIDDEN : start(s.block(), sink);
            }
            case StreamEvent.BlockDelta d when d.index() == openIndex -> delta(d.delta(), sink);
            case StreamEvent.BlockDelta d -> {} // not the open block (the API streams one block at a time)
            case StreamEvent.BlockStop s when s.index() == openIndex -> closeOpen(sink);
            case StreamEvent.BlockStop s -> {}
            case StreamEvent.MessageDelta d -> {
                if (d.stopReason() != null) {
                    streamedStopReason = d.stopReason();
                }
                if (d.usage() != null) {
                    callDeltaUsage = d.usage();
                }
            }
            case StreamEvent.MessageStop s -> {
                closeOpen(sink);
                streamedUsage = streamedUsage.plus(callUsage());
                callStartUsage = Usage.ZERO;
                callDeltaUsage = null;
            }
            case StreamEvent.StreamError e -> closeOpen(sink); // the turn's end says what failed
            case StreamEvent.Ping p -> {}
            case StreamEvent.UnknownEvent u -> {}
        }
    }

    /** The open block's treatment, per {@link TurnRendering#render}'s rule for the block it becomes. */
    private Open start(BlockHead head, PartialSink sink) throws IOException {
        return switch (head) {
            case BlockHead.Text t when t.text() == null || t.text().isEmpty() -> Open.TEXT_PENDING;
            case BlockHead.Text t -> {
                sink.blockStart(new BlockHead.Text(""));
                sink.blockDelta(new Delta.TextDelta(t.text()));
                yield Open.SHOWN;
            }
            case BlockHead.Thinking t -> {
                sink.blockStart(t);
                yield Open.SHOWN;
            }
            case BlockHead.RedactedThinking r -> {
                sink.blockStart(r);
                yield Open.SHOWN;
            }
            case BlockHead.ToolUse u when clientTool(u.name()) -> {
                clientCalls.add(u.id());
                sink.blockStart(u);
                yield Open.CLIENT_TOOL;
            }
            case BlockHead.ToolUse u when toolActivity -> {
                gatheredTool = new ToolUseBlock(u.id(), u.name(), JsonObject.EMPTY);
                gatheredInput.setLength(0);
                yield Open.TOOL_GATHERED;
            }
            case BlockHead.ToolUse u -> Open.HIDDEN;
            case BlockHead.Other o -> Open.HIDDEN; // server tools and unknown types: render() hides them too
        };
    }

    private void delta(Delta delta, PartialSink sink) throws IOException {
        switch (open) {
            case SHOWN -> {
                if (!(delta instanceof Delta.Unknown) && !(delta instanceof Delta.InputJsonDelta)) {
                    sink.blockDelta(delta);
                }
            }
            case TEXT_PENDING -> {
                if (delta instanceof Delta.TextDelta t && !t.text().isEmpty()) {
                    sink.blockStart(new BlockHead.Text(""));
                    sink.blockDelta(t);
                    open = Open.SHOWN;
                }
            }
            case TOOL_GATHERED -> {
                if (delta instanceof Delta.InputJsonDelta j) {
                    gatheredInput.append(j.partialJson());
                }
            }
            case CLIENT_TOOL -> {
                if (delta instanceof Delta.InputJsonDelta j && !j.partialJson().isEmpty()) {
                    sink.blockDelta(j);
                }
            }
            case HIDDEN, NONE -> {}
        }
    }

    /** Ends the open block: a shown one is stopped, a gathered tool use becomes its whole rendered block. */
    private void closeOpen(PartialSink sink) throws IOException {
        Open was = open;
        open = Open.NONE;
        openIndex = -1;
        switch (was) {
            case SHOWN, CLIENT_TOOL -> sink.blockStop();
            case TOOL_GATHERED -> {
                ToolUseBlock use = new ToolUseBlock(gatheredTool.id(), gatheredTool.name(), gatheredInput());
                emit(TurnRendering.render(use, true, toolActivity), sink);
            }
            case TEXT_PENDING, HIDDEN, NONE -> {}
        }
    }

    /**
     * The gathered tool input, as the transcript would hold it: the joined deltas parsed (no delta at
     * all is the API's empty input); pieces that are not a JSON object are shown under {@code _partial_json}
     * rather than dropped.
     */
    private JsonObject gatheredInput() {
        String text = gatheredInput.toString();
        if (text.isBlank()) {
            return JsonObject.EMPTY;
        }
        try {
            if (Json.parse(text) instanceof JsonObject o) {
                return o;
            }
        } catch (JsonParseException e) {
            // fall through: shown as it came
        }
        return JsonObject.builder().put("_partial_json", text).build();
    }

    /** The call's usage: message_delta's counts are cumulative but may omit the input counts, message_start's stand then. */
    private Usage callUsage() {
        Usage s = callStartUsage;
        Usage d = callDeltaUsage;
        if (d == null) {
            return s;
        }
        return new Usage(pick(d.inputTokens(), s.inputTokens()), pick(d.outputTokens(), s.outputTokens()),
                pick(d.cacheCreationInputTokens(), s.cacheCreationInputTokens()),
                pick(d.cacheReadInputTokens(), s.cacheReadInputTokens()));
    }

    private static long pick(long fromDelta, long fromStart) {
        return fromDelta != 0 ? fromDelta : fromStart;
    }

    private static void emit(ContentBlock block, BlockSink sink) throws IOException {
        if (block != null) {
            sink.block(block);
        }
    }

    /**
     * The model an answer reports, one rule for every API: the model that produced the answer
     * (as both real APIs report the resolved model, not the alias asked for: the API's own
     * {@code message_start} when the relay streams it, else the assistant message's), until a
     * model message has come (a stream's first event; a turn without one) the model asked for.
     */
    String reportedModel() {
        return apiModel != null ? apiModel : answeredModel != null ? answeredModel : askedModel;
    }

    ResultMessage result() {
        return result;
    }

    /** Whether API calls of this turn came as stream events (the model-API relay was on). */
    boolean streamed() {
        return !streamedMessages.isEmpty();
    }

    /**
     * The usage to report: summed over the turn's API calls, from the API's own events when they
     * were streamed, else the turn's result (summed the same way from the transcript).
     */
    Usage usage() {
        return streamed() ? streamedUsage : result.usage();
    }

    /**
     * The stop reason to report: the last model response's (the API's own {@code message_delta}
     * when streamed, else the result's), except that a missing one reads {@code end_turn}, and so does
     * {@code tool_use} unless that response called the client's tools (the CLI's own tools were run inside
     * the turn; the client's are the client's to run).
     */
    String stopReason() {
        String r = streamedStopReason != null ? streamedStopReason : result == null ? null : result.stopReason();
        return r == null || (r.equals("tool_use") && !clientToolsCalled) ? "end_turn" : r;
    }

    /** Whether the answer ends at calls of the client's tools, which the client is to run and answer. */
    boolean awaitsClientTools() {
        return clientToolsCalled && "tool_use".equals(stopReason());
    }

    /** The error to report when the turn did not complete, else {@code null}. */
    HttpError failure() {
        if (result == null) {
            return new HttpError(502, "api_error", "the claude session ended without finishing the turn");
        }
        if (result.isError()) {
            if (result.error() instanceof TurnError.ApiFailed(ApiError api) && api.fromResponse()) {
                return Errors.fromUpstream(api); // read from the API's response (the relay): as the API gave it
            }
            // before the interrupt check: a turn ended by the turn timeout is interrupted too, and its error says why
            return Errors.fromTurn(lastApiError, result.errorText());
        }
        if (result.interrupted()) {
            return new HttpError(502, "api_error", "the turn was interrupted");
        }
        return null;
    }
}
