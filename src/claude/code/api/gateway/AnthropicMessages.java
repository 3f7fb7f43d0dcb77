package claude.code.api.gateway;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.DocumentBlock;
import claude.code.api.events.ImageBlock;
import claude.code.api.events.Message;
import claude.code.api.events.RedactedThinkingBlock;
import claude.code.api.events.StreamEvent.BlockHead;
import claude.code.api.events.StreamEvent.Delta;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.Usage;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import claude.code.api.options.ClientToolSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Anthropic Messages API: {@code POST /v1/messages}, whole or streamed (its event sequence),
 * and {@code POST /v1/messages/count_tokens}. Its error shape is also the gateway's own, for
 * routes outside any API ({@code /health}, {@code /admin}, unknown paths).
 */
final class AnthropicMessages implements ChatDialect<AnthropicMessages.MessagesRequest> {
    static final String API = "messages";
    private static final JsonObject PING = JsonObject.builder().put("type", "ping").build();

    /** A Messages request holds nothing beyond the turn. */
    record MessagesRequest(TurnRequest turn) implements ChatDialect.Request {}

    /** Reads a Messages request; fields the CLI cannot honour are refused or ignored (see {@link FieldPolicy}). */
    @Override
    public MessagesRequest parse(JsonObject body, FieldPolicy policy) throws HttpError {
        String model = FieldPolicy.model(body);
        List<Message> messages = messages(body);
        String system = system(body.get("system"));
        boolean stream = FieldPolicy.bool(body, "stream");
        checkFields(body, policy);
        ToolChoice choice = ToolRequests.anthropicChoice(body);
        ClientToolSet tools = ToolRequests.resolve(API, ToolRequests.anthropic(FieldPolicy.array(body, "tools")), choice,
                policy, "any");
        return new MessagesRequest(new TurnRequest(messages, model, system, stream, tools, choice));
    }

    static List<Message> messages(JsonObject body) throws HttpError {
        try {
            return Message.listFromJson(body.get("messages"));
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    /** {@code system}: a string or text blocks (joined by a blank line); {@code null} when absent or empty. */
    static String system(JsonValue system) throws HttpError {
        String text = switch (system) {
            case null -> null;
            case JsonNull n -> null;
            case JsonString s -> s.value();
            case JsonArray a -> {
                List<String> parts = new ArrayList<>();
                for (int i = 0; i < a.size(); i++) {
                    if (!(a.get(i) instanceof JsonObject block) || !(block.get("type") instanceof JsonString type)) {
                        throw HttpError.badRequest("system[" + i + "]: expected a text block {\"type\":\"text\",\"text\":...}");
                    }
                    if (!type.value().equals("text")) {
                        throw HttpError.badRequest("system[" + i + "].type: only text blocks can be a system prompt, found \""
                                + FieldPolicy.printable(type.value()) + "\"");
                    }
                    if (!(block.get("text") instanceof JsonString t)) {
                        throw HttpError.badRequest("system[" + i + "].text: expected a string");
                    }
                    parts.add(t.value());
                }
                yield String.join("\n\n", parts);
            }
            case JsonValue other -> throw FieldPolicy.wrongType("system", other, "a string or an array of text blocks");
        };
        if (text != null && text.indexOf('\0') >= 0) {
            throw HttpError.badRequest("system: contains a NUL character");
        }
        return text == null || text.isBlank() ? null : text;
    }

    private static void checkFields(JsonObject body, FieldPolicy policy) throws HttpError {
        for (String field : body.names()) {
            switch (field) {
                case "model", "messages", "system", "stream", "metadata" -> {}
                case "max_tokens" -> {
                    FieldPolicy.positiveInteger(body, field);
                    policy.ignored(API, field, "the CLI decides the length of its answers");
                }
                case "temperature", "top_p", "top_k" -> {
                    if (FieldPolicy.number(body, field)) {
                        policy.ignored(API, field, "the CLI has no sampling settings");
                    }
                }
                case "stop_sequences" -> {
                    JsonArray a = FieldPolicy.array(body, field);
                    if (a != null && !a.isEmpty()) {
                        throw HttpError.badRequest("stop_sequences: not supported: the CLI cannot stop at a sequence, "
                                + "and an answer that runs past it would be wrong");
                    }
                }
                case "tools", "tool_choice" -> {} // ToolRequests
                case "mcp_servers", "container" -> {
                    if (body.get(field) != null && !(body.get(field) instanceof JsonNull)) {
                        throw HttpError.badRequest(field + ": not supported by the gateway (configure MCP servers and "
                                + "the environment on the gateway's claude instead)");
                    }
                }
                case "output_format" -> {
                    if (body.get(field) != null && !(body.get(field) instanceof JsonNull)) {
                        throw HttpError.badRequest("output_format: structured output is not supported by the gateway");
                    }
                }
                case "output_config" -> {
                    JsonObject config = FieldPolicy.object(body, field);
                    if (config != null && config.get("format") != null && !(config.get("format") instanceof JsonNull)) {
                        throw HttpError.badRequest("output_config.format: structured output is not supported by the gateway");
                    }
                    if (config != null) {
                        policy.ignored(API, field, "the CLI decides its output settings");
                    }
                }
                default -> policy.ignored(API, field, "not supported by the gateway");
            }
        }
    }

    /**
     * {@code POST /v1/messages/count_tokens}: an estimate, UTF-8 bytes of the text / 4, plus images and
     * documents by the API's rules of thumb ({@link MediaTokens}).
     */
    @Override
    public JsonObject countTokens(JsonObject body) throws HttpError {
        List<Message> messages = messages(body);
        String system = system(body.get("system"));
        long bytes = system == null ? 0 : system.getBytes(StandardCharsets.UTF_8).length;
        long media = 0;
        for (Message m : messages) {
            for (ContentBlock b : m.content()) {
                switch (b) {
                    case TextBlock t -> bytes += t.text().getBytes(StandardCharsets.UTF_8).length;
                    case ThinkingBlock t -> bytes += t.thinking().getBytes(StandardCharsets.UTF_8).length;
                    case ImageBlock i -> media += MediaTokens.image(i);
                    case DocumentBlock d -> media += MediaTokens.document(d);
                    default -> bytes += Json.writeUtf8(b.toJson()).length;
                }
            }
        }
        return JsonObject.builder().put("input_tokens", Math.max(1, (bytes + 3) / 4) + media).build();
    }

    // --- answers ----------------------------------------------------------------------------------

    /** The whole answer as one message. */
    @Override
    public JsonObject withMediaFetched(JsonObject body, MediaFetch fetch) throws HttpError {
        return fetch.anthropic(body);
    }

    @Override
    public JsonObject answer(MessagesRequest request, Answer answer) {
        return message(messageId(), answer.model(), answer.blocks(), answer.stopReason(), answer.usage());
    }

    @Override
    public JsonObject errorBody(HttpError error, String requestId) {
        return JsonObject.builder().put("type", "error")
                .put("error", JsonObject.builder().put("type", error.type)
                        .put("message", error.getMessage() == null ? "" : error.getMessage()).build())
                .put("request_id", requestId).build();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String messageId() {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return "msg_" + HexFormat.of().formatHex(id);
    }

    private static JsonObject message(String id, String model, List<ContentBlock> blocks, String stopReason, Usage usage) {
        JsonArray.Builder content = JsonArray.builder();
        blocks.forEach(b -> content.add(b.toJson()));
        return JsonObject.builder().put("id", id).put("type", "message").put("role", "assistant").put("model", model)
                .put("content", content.build()).put("stop_reason", stopReason).put("stop_sequence", JsonNull.INSTANCE)
                .put("usage", usage(usage)).build();
    }

    private static JsonObject usage(Usage u) {
        return JsonObject.builder().put("input_tokens", u.inputTokens())
                .put("cache_creation_input_tokens", u.cacheCreationInputTokens())
                .put("cache_read_input_tokens", u.cacheReadInputTokens()).put("output_tokens", u.outputTokens()).build();
    }

    /**
     * Streams the turn with the API's event sequence: {@code message_start}, {@code ping}, per
     * block {@code content_block_start} / {@code _delta}s / {@code _stop}, {@code message_delta}
     * (stop reason, usage), {@code message_stop}; {@code ping} while nothing happens; an
     * {@code error} event when the turn fails.
     */
    @Override
    public ChatStream startStream(MessagesRequest request, SseWriter sse, String model, String requestId) throws IOException {
        sse.event("message_start", JsonObject.builder().put("type", "message_start")
                .put("message", message(messageId(), model, List.of(), null, Usage.ZERO)).build());
        sse.event("ping", PING);
        return new EventSequence(sse, requestId);
    }

    /**
     * The events after {@code message_start}; blocks, whole or streamed, are numbered in the order
     * they are sent, so the indices run on across the turn's API calls. A whole block is sent as
     * the API streams one: its start, its text (or thinking and signature) as one delta, its stop.
     */
    private final class EventSequence implements ChatStream {
        private final SseWriter sse;
        private final String requestId;
        private int nextIndex;
        private int openIndex = -1;

        EventSequence(SseWriter sse, String requestId) {
            this.sse = sse;
            this.requestId = requestId;
        }

        @Override
        public void block(ContentBlock block) throws IOException {
            switch (block) {
                case TextBlock t -> {
                    blockStart(new BlockHead.Text(""));
                    blockDelta(new Delta.TextDelta(t.text()));
                }
                case ThinkingBlock t -> {
                    blockStart(new BlockHead.Thinking("", ""));
                    blockDelta(new Delta.ThinkingDelta(t.thinking()));
                    blockDelta(new Delta.SignatureDelta(t.signature()));
                }
                case RedactedThinkingBlock r -> blockStart(new BlockHead.RedactedThinking(r.data()));
                case ToolUseBlock u -> { // as the API streams a tool use: its input's JSON text in a delta
                    blockStart(new BlockHead.ToolUse(u.id(), u.name()));
                    blockDelta(new Delta.InputJsonDelta(Json.write(u.input())));
                }
                default -> throw new IllegalArgumentException("not a block clients see: " + block.type());
            }
            blockStop();
        }

        @Override
        public void blockStart(BlockHead head) throws IOException {
            JsonObject start = switch (head) {
                case BlockHead.Text t -> JsonObject.builder().put("type", "text").put("text", orEmpty(t.text())).build();
                case BlockHead.Thinking t -> JsonObject.builder().put("type", "thinking").put("thinking", orEmpty(t.thinking()))
                        .put("signature", orEmpty(t.signature())).build();
                case BlockHead.RedactedThinking r -> JsonObject.builder().put("type", "redacted_thinking")
                        .put("data", orEmpty(r.data())).build();
                // a client tool's call; its input comes as input_json_delta pieces
                case BlockHead.ToolUse u -> JsonObject.builder().put("type", "tool_use").put("id", u.id())
                        .put("name", u.name()).put("input", JsonObject.EMPTY).build();
                case BlockHead.Other o -> throw new IllegalArgumentException("not a block clients see: " + o.type());
            };
            openIndex = nextIndex++;
            sse.event("content_block_start", JsonObject.builder().put("type", "content_block_start").put("index", openIndex)
                    .put("content_block", start).build());
        }

        @Override
        public void blockDelta(Delta delta) throws IOException {
            JsonObject d = switch (delta) {
                case Delta.TextDelta t -> JsonObject.builder().put("type", "text_delta").put("text", t.text()).build();
                case Delta.ThinkingDelta t -> JsonObject.builder().put("type", "thinking_delta").put("thinking", t.thinking())
                        .build();
                case Delta.SignatureDelta t -> JsonObject.builder().put("type", "signature_delta")
                        .put("signature", t.signature()).build();
                case Delta.InputJsonDelta j -> JsonObject.builder().put("type", "input_json_delta")
                        .put("partial_json", j.partialJson()).build();
                case Delta.Unknown u -> u.delta();
            };
            sse.event("content_block_delta", JsonObject.builder().put("type", "content_block_delta").put("index", openIndex)
                    .put("delta", d).build());
        }

        @Override
        public void blockStop() throws IOException {
            sse.event("content_block_stop", JsonObject.builder().put("type", "content_block_stop").put("index", openIndex)
                    .build());
            openIndex = -1;
        }

        @Override
        public void keepAlive() throws IOException {
            sse.event("ping", PING);
        }

        @Override
        public void finish(String stopReason, Usage usage) throws IOException {
            sse.event("message_delta", JsonObject.builder().put("type", "message_delta")
                    .put("delta", JsonObject.builder().put("stop_reason", stopReason).put("stop_sequence", JsonNull.INSTANCE)
                            .build())
                    .put("usage", usage(usage)).build());
            sse.event("message_stop", JsonObject.builder().put("type", "message_stop").build());
        }

        @Override
        public void fail(HttpError error) throws IOException {
            sse.event("error", errorBody(error, requestId));
        }
    }
}
