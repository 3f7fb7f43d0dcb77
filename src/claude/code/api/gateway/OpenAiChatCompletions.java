package claude.code.api.gateway;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.Message;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.Usage;
import claude.code.api.events.TurnRendering;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonBool;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonNumber;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonParseException;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import claude.code.api.options.ClientToolSet;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * OpenAI chat completions: {@code POST /v1/chat/completions}, whole or streamed ({@code data:}
 * chunks, then {@code data: [DONE]}). System and developer messages become the system prompt;
 * user, assistant and tool messages become the Anthropic-shaped conversation (assistant
 * {@code tool_calls} as tool use blocks, {@code tool} messages as tool results).
 */
final class OpenAiChatCompletions implements ChatDialect<OpenAiChatCompletions.CompletionRequest> {
    static final String API = "chat.completions";

    /**
     * A chat completion request.
     *
     * @param includeUsage (streams) end with a chunk holding the usage ({@code stream_options.include_usage})
     * @param legacyFunctions the tools came as the legacy {@code functions}: a call is answered as {@code function_call}
     */
    record CompletionRequest(TurnRequest turn, boolean includeUsage, boolean legacyFunctions) implements ChatDialect.Request {
        CompletionRequest(TurnRequest turn, boolean includeUsage) {
            this(turn, includeUsage, false);
        }
    }

    /** The ids of the legacy function calls answered, for the follow-ups that answer them without one. */
    private final LegacyCallIds legacyCalls = new LegacyCallIds(4096);

    @Override
    public CompletionRequest parse(JsonObject body, FieldPolicy policy) throws HttpError {
        String model = FieldPolicy.model(body);
        JsonArray raw = FieldPolicy.array(body, "messages");
        if (raw == null) {
            throw HttpError.badRequest("messages: missing; expected an array of messages");
        }
        List<String> system = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        int lastTurn = -1;
        String lastRole = null;
        for (int i = 0; i < raw.size(); i++) {
            String at = "messages[" + i + "]";
            if (!(raw.get(i) instanceof JsonObject m)) {
                throw HttpError.badRequest(at + ": expected an object, found " + Json.describeType(raw.get(i)));
            }
            String role = FieldPolicy.string(m, "role");
            if (role == null) {
                throw HttpError.badRequest(at + ".role: missing");
            }
            switch (role) {
                case "system", "developer" -> {
                    String text = joinedText(texts(m.get("content"), at + ".content"));
                    if (!text.isBlank()) {
                        system.add(text);
                    }
                }
                case "user" -> {
                    messages.add(new Message(Message.Role.USER, userBlocks(m.get("content"), at + ".content")));
                    lastTurn = i;
                    lastRole = role;
                }
                case "assistant" -> {
                    List<ContentBlock> blocks = new ArrayList<>();
                    if (m.get("content") != null && !(m.get("content") instanceof JsonNull)) {
                        texts(m.get("content"), at + ".content").forEach(t -> blocks.add(new TextBlock(t)));
                    }
                    blocks.addAll(toolCalls(m, at));
                    ToolUseBlock legacy = legacyCall(m, at, messages);
                    if (legacy != null) {
                        blocks.add(legacy);
                    }
                    messages.add(new Message(Message.Role.ASSISTANT, blocks));
                    lastTurn = i;
                    lastRole = role;
                }
                case "function" -> { // the legacy result of the function_call just before: by its id
                    ToolUseBlock call = answeredCall(messages, FieldPolicy.string(m, "name"), at);
                    String text = joinedText(texts(m.get("content"), at + ".content"));
                    messages.add(new Message(Message.Role.USER, List.of(new ToolResultBlock(call.id(), new JsonString(text), null))));
                    lastTurn = i;
                    lastRole = role;
                }
                case "tool" -> {
                    String id = FieldPolicy.string(m, "tool_call_id");
                    if (id == null) {
                        throw HttpError.badRequest(at + ".tool_call_id: missing");
                    }
                    String text = joinedText(texts(m.get("content"), at + ".content"));
                    messages.add(new Message(Message.Role.USER, List.of(new ToolResultBlock(id, new JsonString(text), null))));
                    lastTurn = i;
                    lastRole = role;
                }
                default -> throw HttpError.badRequest(at + ".role: \"" + FieldPolicy.printable(role)
                        + "\" is not supported (system, developer, user, assistant, tool, function)");
            }
        }
        if (messages.isEmpty()) {
            throw HttpError.badRequest("messages: needs at least one user message");
        }
        if (!"user".equals(lastRole) && !"tool".equals(lastRole) && !"function".equals(lastRole)) { // the results of the client's calls
            throw HttpError.badRequest("messages[" + lastTurn + "].role: the last message must be \"user\", \"tool\" or "
                    + "\"function\", not \"" + lastRole + "\"");
        }
        boolean stream = FieldPolicy.bool(body, "stream");
        boolean includeUsage = false;
        JsonObject streamOptions = FieldPolicy.object(body, "stream_options");
        if (streamOptions != null) {
            includeUsage = FieldPolicy.bool(streamOptions, "include_usage");
        }
        checkFields(body, policy);
        ToolChoice choice = ToolRequests.openAiChatChoice(body);
        JsonArray functions = FieldPolicy.array(body, "functions");
        boolean legacy = functions != null && FieldPolicy.array(body, "tools") == null;
        ToolRequests.Offer offer = legacy ? ToolRequests.openAiFunctions(functions)
                : ToolRequests.openAiChat(FieldPolicy.array(body, "tools"));
        ClientToolSet tools = ToolRequests.resolve(API, offer, choice, policy, "required");
        String systemText = system.isEmpty() ? null : String.join("\n\n", system);
        if (systemText != null && systemText.indexOf('\0') >= 0) {
            throw HttpError.badRequest("messages: a system message contains a NUL character");
        }
        return new CompletionRequest(new TurnRequest(messages, model, systemText, stream, tools, choice), includeUsage,
                legacy && !tools.isEmpty());
    }

    /** A user message's content: text as {@link #texts}, media parts as {@link OpenAiMediaParts}, in order. */
    private static List<ContentBlock> userBlocks(JsonValue content, String at) throws HttpError {
        if (!(content instanceof JsonArray a)) {
            return texts(content, at).stream().<ContentBlock>map(TextBlock::new).toList();
        }
        List<ContentBlock> out = new ArrayList<>();
        for (int j = 0; j < a.size(); j++) {
            if (a.get(j) instanceof JsonObject p && p.get("type") instanceof JsonString type && OpenAiMediaParts.isMedia(type.value())) {
                out.add(OpenAiMediaParts.block(p, type.value(), at + "[" + j + "]"));
            } else {
                out.add(new TextBlock(textPart(a.get(j), at + "[" + j + "]")));
            }
        }
        return out;
    }

    /** A content value: a string, or an array of {@code text} parts (other parts cannot reach the CLI). */
    private static List<String> texts(JsonValue content, String at) throws HttpError {
        return switch (content) {
            case null -> throw HttpError.badRequest(at + ": missing");
            case JsonString s -> List.of(s.value());
            case JsonArray a -> {
                List<String> out = new ArrayList<>();
                for (int j = 0; j < a.size(); j++) {
                    out.add(textPart(a.get(j), at + "[" + j + "]"));
                }
                yield out;
            }
            case JsonValue other -> throw HttpError.badRequest(at + ": expected a string or an array of content parts, found "
                    + Json.describeType(other));
        };
    }

    /** The text of a {@code text} or {@code refusal} part. */
    private static String textPart(JsonValue value, String part) throws HttpError {
        if (!(value instanceof JsonObject p) || !(p.get("type") instanceof JsonString type)) {
            throw HttpError.badRequest(part + ": expected a content part {\"type\":\"text\",\"text\":...}");
        }
        if (!type.value().equals("text") && !type.value().equals("refusal")) {
            throw HttpError.badRequest(part + ".type: \"" + FieldPolicy.printable(type.value())
                    + "\" parts are not supported (text only)");
        }
        String field = type.value().equals("text") ? "text" : "refusal";
        if (!(p.get(field) instanceof JsonString t)) {
            throw HttpError.badRequest(part + "." + field + ": expected a string");
        }
        return t.value();
    }

    private static String joinedText(List<String> texts) {
        return String.join("\n\n", texts);
    }

    private static List<ContentBlock> toolCalls(JsonObject m, String at) throws HttpError {
        JsonArray calls;
        try {
            calls = FieldPolicy.array(m, "tool_calls");
        } catch (HttpError e) {
            throw HttpError.badRequest(at + "." + e.getMessage());
        }
        if (calls == null) {
            return List.of();
        }
        List<ContentBlock> out = new ArrayList<>();
        for (int k = 0; k < calls.size(); k++) {
            String call = at + ".tool_calls[" + k + "]";
            if (!(calls.get(k) instanceof JsonObject c) || !(c.get("id") instanceof JsonString id)
                    || !(c.get("function") instanceof JsonObject function)
                    || !(function.get("name") instanceof JsonString name)) {
                throw HttpError.badRequest(call + ": expected {\"id\":...,\"type\":\"function\",\"function\":{\"name\":...,\"arguments\":...}}");
            }
            JsonObject input = ToolRequests.arguments(function.get("arguments"), call + ".function.arguments");
            out.add(new ToolUseBlock(id.value(), name.value(), input));
        }
        return out;
    }

    /**
     * An assistant message's legacy {@code function_call {name, arguments}} as a tool use, with the id of the call
     * this gateway answered the conversation so far with ({@link LegacyCallIds}); {@code null} without one.
     */
    private ToolUseBlock legacyCall(JsonObject m, String at, List<Message> before) throws HttpError {
        JsonObject call;
        try {
            call = FieldPolicy.object(m, "function_call");
        } catch (HttpError e) {
            throw HttpError.badRequest(at + "." + e.getMessage());
        }
        if (call == null) {
            return null;
        }
        if (!(call.get("name") instanceof JsonString name)) {
            throw HttpError.badRequest(at + ".function_call: expected {\"name\":...,\"arguments\":...}");
        }
        JsonObject input = ToolRequests.arguments(call.get("arguments"), at + ".function_call.arguments");
        return new ToolUseBlock(legacyCalls.idOf(before, name.value()), name.value(), input);
    }

    /** The legacy call a {@code function} message named {@code name} answers: the last block of the message before. */
    private static ToolUseBlock answeredCall(List<Message> before, String name, String at) throws HttpError {
        if (name == null) {
            throw HttpError.badRequest(at + ".name: missing; a \"function\" message names the function it answers");
        }
        Message previous = before.isEmpty() ? null : before.getLast();
        if (previous != null && previous.role() == Message.Role.ASSISTANT && !previous.content().isEmpty()
                && previous.content().getLast() instanceof ToolUseBlock call && call.name().equals(name)) {
            return call;
        }
        throw HttpError.badRequest(at + ": a \"function\" message answers the function_call of the assistant message "
                + "just before it, and that has no function_call of \"" + FieldPolicy.printable(name) + "\"");
    }

    private static void checkFields(JsonObject body, FieldPolicy policy) throws HttpError {
        for (String field : body.names()) {
            switch (field) {
                case "model", "messages", "stream", "stream_options", "user", "metadata", "store" -> {}
                case "n" -> {
                    long n = FieldPolicy.positiveInteger(body, field);
                    if (n > 1) {
                        throw HttpError.badRequest("n: only 1 choice can be generated (a CLI session answers once)");
                    }
                }
                case "stop" -> {
                    JsonValue stop = body.get(field);
                    boolean set = stop instanceof JsonString s ? !s.value().isEmpty() : stop instanceof JsonArray a && !a.isEmpty();
                    if (set) {
                        throw HttpError.badRequest("stop: not supported: the CLI cannot stop at a sequence, and an answer "
                                + "that runs past it would be wrong");
                    }
                    if (!(stop == null || stop instanceof JsonNull || stop instanceof JsonString || stop instanceof JsonArray)) {
                        throw FieldPolicy.wrongType(field, stop, "a string or an array");
                    }
                }
                case "response_format" -> {
                    JsonObject format = FieldPolicy.object(body, field);
                    String type = format == null ? "text" : format.get("type") instanceof JsonString s ? s.value() : "?";
                    if (!type.equals("text")) {
                        throw HttpError.badRequest("response_format: only {\"type\":\"text\"} is supported (no JSON mode "
                                + "or structured output)");
                    }
                }
                case "tools", "functions", "tool_choice", "function_call", "parallel_tool_calls" -> {} // ToolRequests
                case "logprobs" -> {
                    if (FieldPolicy.bool(body, field)) {
                        throw HttpError.badRequest("logprobs: not available through the CLI");
                    }
                }
                case "top_logprobs" -> {
                    if (body.get(field) instanceof JsonNumber n && !n.text().equals("0")) {
                        throw HttpError.badRequest("top_logprobs: not available through the CLI");
                    }
                }
                case "modalities" -> {
                    JsonArray a = FieldPolicy.array(body, field);
                    if (a != null && a.stream().anyMatch(v -> !(v instanceof JsonString s && s.value().equals("text")))) {
                        throw HttpError.badRequest("modalities: only \"text\" is supported");
                    }
                }
                case "audio" -> {
                    if (body.get(field) != null && !(body.get(field) instanceof JsonNull)) {
                        throw HttpError.badRequest("audio: not supported");
                    }
                }
                case "temperature", "top_p", "presence_penalty", "frequency_penalty", "seed" -> {
                    if (FieldPolicy.number(body, field)) {
                        policy.ignored(API, field, "the CLI has no sampling settings");
                    }
                }
                case "max_tokens", "max_completion_tokens" -> {
                    FieldPolicy.positiveInteger(body, field);
                    policy.ignored(API, field, "the CLI decides the length of its answers");
                }
                default -> {
                    if (body.get(field) != null && !(body.get(field) instanceof JsonNull)
                            && !(body.get(field) instanceof JsonBool b && !b.value())) {
                        policy.ignored(API, field, "not supported by the gateway");
                    }
                }
            }
        }
    }

    // --- answers ----------------------------------------------------------------------------------

    /**
     * The whole answer: the text joined into {@code content}, the client tool calls as {@code tool_calls} (their
     * {@code arguments} a JSON text), {@code content} {@code null} when there is no text beside them, as OpenAI
     * answers; for a request with the legacy {@code functions}, the call as {@code function_call}.
     */
    @Override
    public JsonObject withMediaFetched(JsonObject body, MediaFetch fetch) throws HttpError {
        return fetch.chat(body);
    }

    @Override
    public JsonObject answer(CompletionRequest request, Answer answer) {
        String text = TurnRendering.joinedText(answer.blocks());
        List<ToolUseBlock> uses = answer.blocks().stream().filter(b -> b instanceof ToolUseBlock)
                .map(b -> (ToolUseBlock) b).toList();
        JsonObject.Builder message = JsonObject.builder().put("role", "assistant")
                .put("content", text.isEmpty() && !uses.isEmpty() ? JsonNull.INSTANCE : new JsonString(text))
                .put("refusal", JsonNull.INSTANCE);
        if (!uses.isEmpty() && request.legacyFunctions()) {
            if (uses.size() > 1) {
                legacyDropped(uses.size());
            }
            message.put("function_call", function(uses.getFirst().name(), Json.write(uses.getFirst().input())));
            legacyCalls.record(request.turn().messages(), uses.getFirst().name(), uses.getFirst().id());
        } else if (!uses.isEmpty()) {
            JsonArray.Builder calls = JsonArray.builder();
            for (ToolUseBlock u : uses) {
                calls.add(JsonObject.builder().put("id", u.id()).put("type", "function")
                        .put("function", function(u.name(), Json.write(u.input()))).build());
            }
            message.put("tool_calls", calls.build());
        }
        JsonObject choice = JsonObject.builder().put("index", 0).put("message", message.build())
                .put("logprobs", JsonNull.INSTANCE).put("finish_reason", finishReason(answer.stopReason(), request)).build();
        return JsonObject.builder().put("id", completionId()).put("object", "chat.completion")
                .put("created", Instant.now().getEpochSecond()).put("model", answer.model())
                .put("choices", JsonArray.of(choice)).put("usage", usage(answer.usage())).build();
    }

    /** OpenAI's error body (the request id is in the {@code request-id} header only). */
    @Override
    public JsonObject errorBody(HttpError error, String requestId) {
        return openAiErrorBody(error);
    }

    /** The error body of every OpenAI route: the error's own param and code where it has them. */
    static JsonObject openAiErrorBody(HttpError error) {
        return JsonObject.builder().put("error", JsonObject.builder()
                .put("message", error.getMessage() == null ? "" : error.getMessage()).put("type", error.type)
                .put("param", error.param == null ? JsonNull.INSTANCE : new JsonString(error.param))
                .put("code", errorCode(error)).build()).build();
    }

    private static JsonValue errorCode(HttpError error) {
        if (error.code != null) {
            return new JsonString(error.code);
        }
        return switch (error.type) {
            case "request_too_large" -> new JsonString("request_too_large");
            case "rate_limit_error" -> new JsonString("rate_limit_exceeded");
            case "authentication_error" -> new JsonString("invalid_api_key");
            default -> JsonNull.INSTANCE;
        };
    }

    private static String completionId() {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return "chatcmpl-" + HexFormat.of().formatHex(id);
    }

    private static final System.Logger LOG = System.getLogger(OpenAiChatCompletions.class.getName());

    /**
     * The model called several of a legacy {@code functions} request's functions at once, which a legacy answer cannot
     * carry (one {@code function_call}): the first is sent, and the conversation cannot go on (its session waits for
     * every result). Said in the log rather than dropped silently.
     */
    private static void legacyDropped(int calls) {
        LOG.log(System.Logger.Level.WARNING, "chat.completions: the model called " + (calls > 2 ? calls : "at least 2")
                + " functions at once, and a legacy \"functions\" answer carries one function_call: only the first is "
                + "sent (send \"tools\" for parallel calls)");
    }

    private static JsonObject function(String name, String arguments) {
        return JsonObject.builder().put("name", name).put("arguments", arguments).build();
    }

    /** {@code tool_use} (the answer ends at calls of the client's tools: {@link TurnView#stopReason()}) is {@code tool_calls}. */
    private static String finishReason(String stopReason, CompletionRequest request) {
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "refusal" -> "content_filter";
            case "tool_use" -> request.legacyFunctions() ? "function_call" : "tool_calls";
            default -> "stop";
        };
    }

    private static JsonObject usage(Usage u) {
        long prompt = u.inputTokens() + u.cacheCreationInputTokens() + u.cacheReadInputTokens();
        return JsonObject.builder().put("prompt_tokens", prompt).put("completion_tokens", u.outputTokens())
                .put("total_tokens", prompt + u.outputTokens())
                .put("prompt_tokens_details", JsonObject.builder().put("cached_tokens", u.cacheReadInputTokens()).build())
                .build();
    }

    /**
     * Streams {@code chat.completion.chunk}s: one with the role, one per text delta of a streamed
     * block (with the model-API relay) or per whole text block (text blocks after the first begin
     * with a blank line, as in the whole answer's joined content), one with the finish reason, the usage chunk when asked for, then {@code [DONE]}; comment lines while
     * nothing happens; an error chunk when the turn fails.
     */
    @Override
    public ChatStream startStream(CompletionRequest request, SseWriter sse, String model, String requestId)
            throws IOException {
        ChunkSequence chunks = new ChunkSequence(sse, completionId(), Instant.now().getEpochSecond(), model,
                request, requestId);
        chunks.chunk(JsonObject.builder().put("role", "assistant").put("content", "").build(), null);
        return chunks;
    }

    /** The chunks of one completion: all share its id, creation time and model. */
    private final class ChunkSequence extends TextChatStream {
        private final SseWriter sse;
        private final String id;
        private final long created;
        private final String model;
        private final CompletionRequest request;
        private final String requestId;

        ChunkSequence(SseWriter sse, String id, long created, String model, CompletionRequest request, String requestId) {
            this.sse = sse;
            this.id = id;
            this.created = created;
            this.model = model;
            this.request = request;
            this.requestId = requestId;
        }

        /** One chunk per piece of text. */
        @Override
        void sendText(String piece) throws IOException {
            chunk(JsonObject.builder().put("content", piece).build(), null);
        }

        /**
         * A tool call's first chunk: {@code tool_calls[{index, id, type, function: {name, arguments: ""}}]} (the legacy
         * {@code function_call: {name, arguments: ""}}); later chunks carry only the index and a piece of the arguments.
         */
        @Override
        void sendCallStart(int index) throws IOException {
            FunctionCall call = calls.get(index);
            if (request.legacyFunctions()) {
                if (index == 0) { // a legacy answer has one function call
                    legacyCalls.record(request.turn().messages(), call.name, call.id);
                    chunk(JsonObject.builder().put("function_call", function(call.name, "")).build(), null);
                } else if (index == 1) {
                    legacyDropped(2);
                }
                return;
            }
            chunk(toolCall(JsonObject.builder().put("index", index).put("id", call.id).put("type", "function")
                    .put("function", function(call.name, ""))), null);
        }

        @Override
        void sendCallArguments(int index, String piece) throws IOException {
            if (request.legacyFunctions()) {
                if (index == 0) {
                    chunk(JsonObject.builder().put("function_call", JsonObject.builder().put("arguments", piece).build())
                            .build(), null);
                }
                return;
            }
            chunk(toolCall(JsonObject.builder().put("index", index)
                    .put("function", JsonObject.builder().put("arguments", piece).build())), null);
        }

        private static JsonObject toolCall(JsonObject.Builder call) {
            return JsonObject.builder().put("tool_calls", JsonArray.of(call.build())).build();
        }

        @Override
        public void keepAlive() throws IOException {
            sse.comment("keep-alive");
        }

        @Override
        public void finish(String stopReason, Usage usage) throws IOException {
            chunk(JsonObject.EMPTY, finishReason(stopReason, request));
            if (request.includeUsage()) {
                sse.data(Json.write(JsonObject.builder().put("id", id).put("object", "chat.completion.chunk")
                        .put("created", created).put("model", model).put("choices", JsonArray.EMPTY)
                        .put("usage", usage(usage)).build()));
            }
            sse.data("[DONE]");
        }

        @Override
        public void fail(HttpError error) throws IOException {
            sse.data(Json.write(errorBody(error, requestId)));
        }

        void chunk(JsonObject delta, String finishReason) throws IOException {
            JsonObject choice = JsonObject.builder().put("index", 0).put("delta", delta).put("logprobs", JsonNull.INSTANCE)
                    .put("finish_reason", finishReason).build();
            sse.data(Json.write(JsonObject.builder().put("id", id).put("object", "chat.completion.chunk")
                    .put("created", created).put("model", model).put("choices", JsonArray.of(choice)).build()));
        }
    }
}
