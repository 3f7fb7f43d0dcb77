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
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import claude.code.api.options.ClientToolSet;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * OpenAI's Responses API: {@code POST /v1/responses}, whole or streamed (typed events with a
 * {@code sequence_number}). Input items: messages (text, images, PDF files under the library's rules for
 * documents), function calls and their outputs. A response is kept in a {@link ResponseStore} (unless {@code store:false}) so a later request
 * can continue it by {@code previous_response_id}: the rebuilt history is the same conversation,
 * so the pool's fingerprint finds the same CLI session.
 */
final class OpenAiResponses implements ChatDialect<OpenAiResponses.ResponsesRequest> {
    static final String API = "responses";

    /**
     * A Responses request.
     *
     * @param history the conversation before this request's input (from {@code previous_response_id})
     * @param echo the request fields a Response repeats (instructions, metadata, previous_response_id, ...)
     * @param inputItems this request's input as the input items {@code GET /v1/responses/{id}/input_items} lists
     */
    record ResponsesRequest(TurnRequest turn, boolean store, String id, long createdAt, JsonObject echo,
            JsonArray inputItems) implements ChatDialect.Request {}

    private final ResponseStore store;
    private final String instance;

    /** @param instance the gateway's name put into every id it hands out ({@code resp_<instance>_<hex>}) */
    OpenAiResponses(ResponseStore store, String instance) {
        this.store = store;
        this.instance = instance;
    }

    ResponseStore store() {
        return store;
    }

    /** The load balancer's name for this gateway, put into the ids it hands out (docs/SCALE-OUT.md). */
    static final String INSTANCE_HEADER = "x-claude-code-instance";
    private static final java.util.regex.Pattern INSTANCE = java.util.regex.Pattern.compile("[A-Za-z0-9]{1,64}");

    @Override
    public ResponsesRequest parse(JsonObject body, FieldPolicy policy, Call call) throws HttpError {
        String named = call.header(INSTANCE_HEADER);
        // HAProxy's use-server takes the part after resp_ up to the next _: letters and digits only
        return parse(body, policy, named != null && INSTANCE.matcher(named).matches() ? named : instance);
    }

    @Override
    public ResponsesRequest parse(JsonObject body, FieldPolicy policy) throws HttpError {
        return parse(body, policy, instance);
    }

    private ResponsesRequest parse(JsonObject body, FieldPolicy policy, String instance) throws HttpError {
        String model = FieldPolicy.model(body);
        List<Message> messages = new ArrayList<>();
        List<String> system = new ArrayList<>();
        String instructions = FieldPolicy.string(body, "instructions");
        if (instructions != null && !instructions.isBlank()) {
            system.add(instructions);
        }
        String previous = FieldPolicy.string(body, "previous_response_id");
        if (previous != null) {
            ResponseStore.Kept kept = store.get(previous);
            if (kept == null) {
                throw new HttpError(404, "invalid_request_error", "Previous response with id '"
                        + FieldPolicy.printable(previous) + "' not found.", "previous_response_id",
                        "previous_response_not_found");
            }
            messages.addAll(kept.history());
        }
        JsonValue input = body.get("input");
        switch (input) {
            case null -> throw HttpError.badRequest("input: missing; expected a string or an array of input items");
            case JsonString s -> messages.add(Message.user(s.value()));
            case JsonArray items -> {
                for (int i = 0; i < items.size(); i++) {
                    item(items.get(i), "input[" + i + "]", messages, system);
                }
            }
            default -> throw FieldPolicy.wrongType("input", input, "a string or an array of input items");
        }
        if (messages.isEmpty() || messages.getLast().role() != Message.Role.USER) {
            throw HttpError.badRequest("input: the last message must be a \"user\" message");
        }
        boolean stream = FieldPolicy.bool(body, "stream");
        boolean keep = body.get("store") == null || body.get("store") instanceof JsonNull || FieldPolicy.bool(body, "store");
        checkFields(body, policy);
        ToolChoice choice = ToolRequests.responsesChoice(body);
        ClientToolSet tools = ToolRequests.resolve(API, ToolRequests.responses(FieldPolicy.array(body, "tools")), choice,
                policy, "required");
        String systemText = system.isEmpty() ? null : String.join("\n\n", system);
        if (systemText != null && systemText.indexOf('\0') >= 0) {
            throw HttpError.badRequest("instructions: contains a NUL character");
        }
        return new ResponsesRequest(new TurnRequest(messages, model, systemText, stream, tools, choice), keep, "resp_" + instance + "_"
                + hex(16), Instant.now().getEpochSecond(), echo(body, keep), keep ? ResponseInputItems.of(input, store)
                : JsonArray.EMPTY);
    }

    /**
     * The request settings a Response repeats, as the client gave them, else the API's defaults for them
     * (the CLI honours few of them: the README's field table says which).
     */
    private static JsonObject echo(JsonObject body, boolean keep) {
        JsonObject.Builder echo = JsonObject.builder()
                .put("instructions", given(body, "instructions", JsonNull.INSTANCE))
                .put("previous_response_id", given(body, "previous_response_id", JsonNull.INSTANCE))
                .put("metadata", body.get("metadata") instanceof JsonObject m ? m : JsonObject.EMPTY)
                .put("store", keep)
                .put("tools", body.get("tools") instanceof JsonArray tools ? echoedTools(tools) : JsonArray.EMPTY)
                .put("tool_choice", given(body, "tool_choice", new JsonString("auto")))
                .put("parallel_tool_calls", given(body, "parallel_tool_calls", JsonBool.TRUE))
                .put("temperature", given(body, "temperature", JsonNumber.of(1)))
                .put("top_p", given(body, "top_p", JsonNumber.of(1)))
                .put("max_output_tokens", given(body, "max_output_tokens", JsonNull.INSTANCE))
                .put("max_tool_calls", given(body, "max_tool_calls", JsonNull.INSTANCE))
                .put("reasoning", given(body, "reasoning", JsonObject.builder().put("effort", JsonNull.INSTANCE)
                        .put("summary", JsonNull.INSTANCE).build()))
                .put("truncation", given(body, "truncation", new JsonString("disabled")))
                .put("user", given(body, "user", JsonNull.INSTANCE))
                .put("prompt_cache_key", given(body, "prompt_cache_key", JsonNull.INSTANCE))
                .put("safety_identifier", given(body, "safety_identifier", JsonNull.INSTANCE))
                .put("service_tier", given(body, "service_tier", new JsonString("default")))
                .put("top_logprobs", given(body, "top_logprobs", JsonNumber.of(0)))
                .put("background", false);
        JsonObject text = body.get("text") instanceof JsonObject t ? t : JsonObject.EMPTY;
        echo.put("text", text.has("format") ? text
                : text.with("format", JsonObject.builder().put("type", "text").build()));
        return echo.build();
    }

    private static JsonValue given(JsonObject body, String field, JsonValue otherwise) {
        JsonValue value = body.get(field);
        return value == null || value instanceof JsonNull ? otherwise : value;
    }

    /** The tools as given, a function tool with the fields a Response's tool always has ({@code strict} true by default). */
    private static JsonArray echoedTools(JsonArray tools) {
        JsonArray.Builder out = JsonArray.builder();
        for (JsonValue tool : tools) {
            if (tool instanceof JsonObject t && t.get("type") instanceof JsonString type && type.value().equals("function")) {
                out.add(t.toBuilder().put("description", given(t, "description", JsonNull.INSTANCE))
                        .put("parameters", given(t, "parameters", JsonNull.INSTANCE))
                        .put("strict", given(t, "strict", JsonBool.TRUE)).build());
            } else {
                out.add(tool);
            }
        }
        return out.build();
    }

    private void item(JsonValue value, String at, List<Message> messages, List<String> system) throws HttpError {
        if (!(value instanceof JsonObject item)) {
            throw HttpError.badRequest(at + ": expected an object, found " + Json.describeType(value));
        }
        String type = FieldPolicy.string(item, "type");
        if (type == null) {
            type = item.get("role") != null ? "message" : null;
        }
        if (type == null) {
            throw HttpError.badRequest(at + ".type: missing");
        }
        switch (type) {
            case "message" -> {
                String role = FieldPolicy.string(item, "role");
                if (role == null) {
                    throw HttpError.badRequest(at + ".role: missing");
                }
                switch (role) {
                    case "system", "developer" -> {
                        String text = String.join("\n\n", texts(item.get("content"), at + ".content"));
                        if (!text.isBlank()) {
                            system.add(text);
                        }
                    }
                    case "user" -> messages.add(new Message(Message.Role.USER,
                            userBlocks(item.get("content"), at + ".content")));
                    case "assistant" -> {
                        List<ContentBlock> blocks = new ArrayList<>();
                        texts(item.get("content"), at + ".content").forEach(t -> blocks.add(new TextBlock(t)));
                        messages.add(new Message(Message.Role.ASSISTANT, blocks));
                    }
                    default -> throw HttpError.badRequest(at + ".role: \"" + FieldPolicy.printable(role)
                            + "\" is not supported (user, assistant, system, developer)");
                }
            }
            case "item_reference" -> {
                String id = FieldPolicy.string(item, "id");
                Message kept = id == null ? null : store.item(id);
                if (kept == null) {
                    throw HttpError.badRequest(at + ".id: no kept output item " + (id == null ? "(missing)"
                            : "'" + FieldPolicy.printable(id) + "'"));
                }
                messages.add(kept);
            }
            case "reasoning" -> {} // the CLI's thinking cannot be handed back; passed over
            case "function_call" -> {
                String callId = required(item, "call_id", at);
                String name = required(item, "name", at);
                JsonObject input = ToolRequests.arguments(item.get("arguments"), at + ".arguments");
                messages.add(new Message(Message.Role.ASSISTANT, List.of(new ToolUseBlock(callId, name, input))));
            }
            case "function_call_output" -> {
                String callId = required(item, "call_id", at);
                JsonValue output = switch (item.get("output")) {
                    case JsonString s -> s;
                    case JsonArray parts -> {
                        JsonArray.Builder blocks = JsonArray.builder();
                        texts(parts, at + ".output").forEach(t -> blocks.add(new TextBlock(t).toJson()));
                        yield blocks.build();
                    }
                    case null -> throw HttpError.badRequest(at + ".output: missing; expected a string");
                    case JsonValue other -> throw FieldPolicy.wrongType(at + ".output", other,
                            "a string or an array of content parts");
                };
                messages.add(new Message(Message.Role.USER, List.of(new ToolResultBlock(callId, output, null))));
            }
            default -> throw HttpError.badRequest(at + ".type: \"" + FieldPolicy.printable(type)
                    + "\" is not supported (message, item_reference, reasoning, function_call, function_call_output)");
        }
    }

    private static String required(JsonObject item, String field, String at) throws HttpError {
        String value;
        try {
            value = FieldPolicy.string(item, field);
        } catch (HttpError e) {
            throw HttpError.badRequest(at + "." + e.getMessage());
        }
        if (value == null) {
            throw HttpError.badRequest(at + "." + field + ": missing; expected a string");
        }
        return value;
    }

    /**
     * A user message's content: text parts as {@link #texts}, {@code input_image} and {@code input_file} parts as
     * {@link OpenAiMediaParts}, in order (a document in the new user turn reaches the model through the backend's
     * relay, docs/CLI-BEHAVIOUR.md#relay-pdfs).
     */
    private static List<ContentBlock> userBlocks(JsonValue content, String at) throws HttpError {
        if (!(content instanceof JsonArray a)) {
            return texts(content, at).stream().<ContentBlock>map(TextBlock::new).toList();
        }
        List<ContentBlock> out = new ArrayList<>();
        for (int j = 0; j < a.size(); j++) {
            String part = at + "[" + j + "]";
            if (a.get(j) instanceof JsonObject p && p.get("type") instanceof JsonString type
                    && OpenAiMediaParts.isResponsesMedia(type.value())) {
                out.add(OpenAiMediaParts.responsesBlock(p, type.value(), part));
            } else {
                texts(JsonArray.of(a.get(j)), part, part).forEach(t -> out.add(new TextBlock(t)));
            }
        }
        return out;
    }

    private static List<String> texts(JsonValue content, String at) throws HttpError {
        return texts(content, at, null);
    }

    /** @param single the name of the one part {@code content} wraps, {@code null} when it is the client's own content */
    private static List<String> texts(JsonValue content, String at, String single) throws HttpError {
        return switch (content) {
            case null -> throw HttpError.badRequest(at + ": missing");
            case JsonString s -> List.of(s.value());
            case JsonArray a -> {
                List<String> out = new ArrayList<>();
                for (int j = 0; j < a.size(); j++) {
                    String part = single != null ? single : at + "[" + j + "]";
                    if (!(a.get(j) instanceof JsonObject p) || !(p.get("type") instanceof JsonString type)) {
                        throw HttpError.badRequest(part + ": expected a content part {\"type\":\"input_text\",\"text\":...}");
                    }
                    switch (type.value()) {
                        case "input_text", "output_text", "text" -> {
                            if (!(p.get("text") instanceof JsonString t)) {
                                throw HttpError.badRequest(part + ".text: expected a string");
                            }
                            out.add(t.value());
                        }
                        case "refusal" -> {
                            if (p.get("refusal") instanceof JsonString t) {
                                out.add(t.value());
                            }
                        }
                        case "input_image", "input_file" -> throw HttpError.badRequest(part + ".type: \"" + type.value()
                                + "\" parts are supported in user messages only");
                        default -> throw HttpError.badRequest(part + ".type: \"" + FieldPolicy.printable(type.value())
                                + "\" parts are not supported (input_text, output_text, input_image, input_file)");
                    }
                }
                yield out;
            }
            default -> throw HttpError.badRequest(at + ": expected a string or an array of content parts, found "
                    + Json.describeType(content));
        };
    }

    private static void checkFields(JsonObject body, FieldPolicy policy) throws HttpError {
        for (String field : body.names()) {
            JsonValue value = body.get(field);
            switch (field) {
                case "model", "input", "instructions", "stream", "previous_response_id", "store", "metadata", "user",
                     "reasoning", "truncation", "include", "prompt_cache_key", "client_metadata", "parallel_tool_calls",
                     "service_tier", "safety_identifier" -> {}
                case "tools", "tool_choice" -> {} // ToolRequests
                case "text" -> {
                    JsonObject text = FieldPolicy.object(body, field);
                    JsonObject format = text == null ? null : FieldPolicy.object(text, "format");
                    String type = format == null ? "text" : format.get("type") instanceof JsonString s ? s.value() : "?";
                    if (!type.equals("text")) {
                        throw HttpError.badRequest("text.format: only {\"type\":\"text\"} is supported (no JSON mode "
                                + "or structured output)");
                    }
                }
                case "temperature", "top_p" -> {
                    if (FieldPolicy.number(body, field)) {
                        policy.ignored(API, field, "the CLI has no sampling settings");
                    }
                }
                case "max_output_tokens" -> {
                    FieldPolicy.positiveInteger(body, field);
                    policy.ignored(API, field, "the CLI decides the length of its answers");
                }
                default -> {
                    if (value != null && !(value instanceof JsonNull) && !(value instanceof JsonBool b && !b.value())) {
                        policy.ignored(API, field, "not supported by the gateway");
                    }
                }
            }
        }
    }

    // --- answers ----------------------------------------------------------------------------------

    /**
     * The whole response: its text as a message item, and each call of a client tool as a {@code function_call} item
     * ({@code call_id} the tool use's id, {@code arguments} a JSON text), in the order the model made them; a response
     * without either still has its (empty) message item.
     */
    @Override
    public JsonObject withMediaFetched(JsonObject body, MediaFetch fetch) throws HttpError {
        return fetch.responses(body);
    }

    @Override
    public JsonObject answer(ResponsesRequest request, Answer answer) {
        String status = status(answer.stopReason());
        Output out = new Output();
        List<ContentBlock> run = new ArrayList<>();
        for (ContentBlock b : answer.blocks()) {
            if (b instanceof TextBlock t && !t.text().isEmpty()) {
                run.add(t);
            } else if (b instanceof ToolUseBlock u) {
                if (!run.isEmpty()) {
                    out.message("msg_" + hex(16), TurnRendering.joinedText(run), "completed");
                    run.clear();
                }
                out.functionCall("fc_" + hex(16), u);
            }
        }
        if (!run.isEmpty() || out.isEmpty()) {
            out.message("msg_" + hex(16), TurnRendering.joinedText(run), status);
        }
        JsonObject response = response(request, answer.model(), status, out.items(), usage(answer.usage()), out.text());
        keep(request, response, out);
        return response;
    }

    /**
     * A response's output items as they are made, each with the assistant message it stands for (so an
     * {@code item_reference} to it resolves), and the whole answer as one assistant message (the history a
     * {@code previous_response_id} continues).
     */
    private static final class Output {
        private final JsonArray.Builder items = JsonArray.builder();
        private final Map<String, Message> kept = new LinkedHashMap<>();
        private final List<ContentBlock> said = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();

        JsonObject message(String id, String messageText, String status) {
            JsonObject item = OpenAiResponses.message(id, messageText, status);
            items.add(item);
            kept.put(id, Message.assistant(messageText));
            said.add(new TextBlock(messageText));
            if (!messageText.isEmpty() && !text.isEmpty()) {
                text.append(TurnRendering.BLOCK_SEPARATOR);
            }
            text.append(messageText);
            return item;
        }

        JsonObject functionCall(String id, ToolUseBlock use) {
            JsonObject item = functionCallItem(id, use.id(), use.name(), Json.write(use.input()), "completed");
            items.add(item);
            kept.put(id, Message.assistant(use));
            said.add(use);
            return item;
        }

        boolean isEmpty() {
            return kept.isEmpty();
        }

        JsonArray items() {
            return items.build();
        }

        String text() {
            return text.toString();
        }
    }

    private void keep(ResponsesRequest request, JsonObject response, Output out) {
        if (!request.store()) {
            return;
        }
        List<Message> history = new ArrayList<>(request.turn().messages());
        history.add(new Message(Message.Role.ASSISTANT, out.said));
        store.put(request.id(), new ResponseStore.Kept(response, List.copyOf(history), Instant.now(), request.inputItems()),
                out.kept);
    }

    private static JsonObject functionCallItem(String id, String callId, String name, String arguments, String status) {
        return JsonObject.builder().put("type", "function_call").put("id", id).put("call_id", callId).put("name", name)
                .put("arguments", arguments).put("status", status).build();
    }

    /**
     * {@code incomplete} when the model stopped at its output limit (the Messages API's {@code max_tokens}, or the
     * context window), as the Responses API reports {@code max_output_tokens}; else {@code completed}.
     */
    static String status(String stopReason) {
        return "max_tokens".equals(stopReason) || "model_context_window_exceeded".equals(stopReason)
                ? "incomplete" : "completed";
    }

    private static JsonObject message(String id, String text, String status) {
        return JsonObject.builder().put("type", "message").put("id", id).put("status", status).put("role", "assistant")
                .put("content", text == null ? JsonArray.EMPTY : JsonArray.of(outputText(text))).build();
    }

    private static JsonObject outputText(String text) {
        return JsonObject.builder().put("type", "output_text").put("text", text).put("annotations", JsonArray.EMPTY)
                .put("logprobs", JsonArray.EMPTY).build();
    }

    private static JsonObject response(ResponsesRequest request, String model, String status, JsonArray output,
            JsonValue usage, String outputText) {
        JsonObject.Builder b = JsonObject.builder().put("id", request.id()).put("object", "response")
                .put("created_at", request.createdAt()).put("status", status).put("error", JsonNull.INSTANCE)
                .put("incomplete_details", status.equals("incomplete")
                        ? JsonObject.builder().put("reason", "max_output_tokens").build() : JsonNull.INSTANCE)
                .put("model", model).put("output", output);
        if (outputText != null) {
            b.put("output_text", outputText);
        }
        for (String name : request.echo().names()) {
            b.put(name, request.echo().get(name));
        }
        return b.put("completed_at", status.equals("completed") ? JsonNumber.of(Instant.now().getEpochSecond())
                : JsonNull.INSTANCE).put("usage", usage).build();
    }

    private static JsonObject usage(Usage u) {
        long input = u.inputTokens() + u.cacheCreationInputTokens() + u.cacheReadInputTokens();
        return JsonObject.builder().put("input_tokens", input)
                .put("input_tokens_details", JsonObject.builder().put("cached_tokens", u.cacheReadInputTokens())
                        .put("cache_write_tokens", u.cacheCreationInputTokens()).build())
                .put("output_tokens", u.outputTokens())
                .put("output_tokens_details", JsonObject.builder().put("reasoning_tokens", 0).build())
                .put("total_tokens", input + u.outputTokens()).build();
    }

    @Override
    public JsonObject errorBody(HttpError error, String requestId) {
        return OpenAiChatCompletions.openAiErrorBody(error);
    }

    private static String hex(int bytes) {
        byte[] id = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    // --- streams ----------------------------------------------------------------------------------

    @Override
    public ChatStream startStream(ResponsesRequest request, SseWriter sse, String model, String requestId)
            throws IOException {
        Events events = new Events(request, sse, model);
        JsonObject created = response(request, model, "in_progress", JsonArray.EMPTY, JsonNull.INSTANCE, null);
        events.send("response.created", JsonObject.builder().put("response", created));
        events.send("response.in_progress", JsonObject.builder().put("response", created));
        return events;
    }

    /**
     * The events of one streamed response: a message item with one output_text part, opened at the first text
     * (its {@code output_item.added} before any delta, as clients require), and a {@code function_call} item per
     * call of a client tool, its arguments as {@code function_call_arguments.delta}s; output indices in order.
     */
    private final class Events extends TextChatStream {
        private final ResponsesRequest request;
        private final SseWriter sse;
        private final String model;
        private final Output output = new Output();
        private int sequence;
        private int nextIndex;
        /** The open message item's id, {@code null} when none is open. */
        private String messageId;
        private int messageIndex;
        private final StringBuilder messageText = new StringBuilder();
        /** The function_call items' ids and output indices, by call. */
        private final List<String> callItems = new ArrayList<>();
        private final List<Integer> callIndices = new ArrayList<>();

        Events(ResponsesRequest request, SseWriter sse, String model) {
            this.request = request;
            this.sse = sse;
            this.model = model;
        }

        void send(String type, JsonObject.Builder event) throws IOException {
            JsonObject body = event.put("type", type).put("sequence_number", sequence++).build();
            sse.event(type, body);
        }

        /** One {@code output_text.delta} per piece of text, with the fields the SDKs require of it. */
        @Override
        void sendText(String piece) throws IOException {
            if (messageId == null) {
                openMessage();
            }
            messageText.append(piece);
            send("response.output_text.delta", JsonObject.builder().put("item_id", messageId).put("output_index", messageIndex)
                    .put("content_index", 0).put("delta", piece).put("logprobs", JsonArray.EMPTY));
        }

        private void openMessage() throws IOException {
            messageId = "msg_" + hex(16);
            messageIndex = nextIndex++;
            messageText.setLength(0);
            send("response.output_item.added", JsonObject.builder().put("output_index", messageIndex)
                    .put("item", message(messageId, null, "in_progress")));
            send("response.content_part.added", JsonObject.builder().put("item_id", messageId)
                    .put("output_index", messageIndex).put("content_index", 0).put("part", outputText("")));
        }

        private void closeMessage(String status) throws IOException {
            String all = messageText.toString();
            send("response.output_text.done", JsonObject.builder().put("item_id", messageId).put("output_index", messageIndex)
                    .put("content_index", 0).put("text", all).put("logprobs", JsonArray.EMPTY));
            send("response.content_part.done", JsonObject.builder().put("item_id", messageId)
                    .put("output_index", messageIndex).put("content_index", 0).put("part", outputText(all)));
            JsonObject item = output.message(messageId, all, status);
            send("response.output_item.done", JsonObject.builder().put("output_index", messageIndex).put("item", item));
            messageId = null;
        }

        @Override
        void sendCallStart(int index) throws IOException {
            if (messageId != null) {
                closeMessage("completed");
            }
            FunctionCall call = calls.get(index);
            callItems.add("fc_" + hex(16));
            callIndices.add(nextIndex++);
            send("response.output_item.added", JsonObject.builder().put("output_index", callIndices.get(index))
                    .put("item", functionCallItem(callItems.get(index), call.id, call.name, "", "in_progress")));
        }

        @Override
        void sendCallArguments(int index, String piece) throws IOException {
            send("response.function_call_arguments.delta", JsonObject.builder().put("item_id", callItems.get(index))
                    .put("output_index", callIndices.get(index)).put("delta", piece));
        }

        @Override
        void sendCallStop(int index) throws IOException {
            FunctionCall call = calls.get(index);
            send("response.function_call_arguments.done", JsonObject.builder().put("item_id", callItems.get(index))
                    .put("output_index", callIndices.get(index)).put("name", call.name).put("arguments", call.arguments()));
            JsonObject item = output.functionCall(callItems.get(index), new ToolUseBlock(call.id, call.name,
                    input(call.arguments())));
            send("response.output_item.done", JsonObject.builder().put("output_index", callIndices.get(index))
                    .put("item", item));
        }

        @Override
        public void keepAlive() throws IOException {
            sse.comment("keep-alive");
        }

        @Override
        public void finish(String stopReason, Usage usage) throws IOException {
            String status = status(stopReason);
            if (messageId == null && output.isEmpty()) {
                openMessage(); // a response without output still has its message item
            }
            if (messageId != null) {
                closeMessage(status);
            }
            JsonObject response = response(request, model, status, output.items(), usage(usage), output.text());
            keep(request, response, output);
            send("response." + status, JsonObject.builder().put("response", response));
        }

        @Override
        public void fail(HttpError error) throws IOException {
            JsonObject e = errorBody(error, null).get("error") instanceof JsonObject o ? o : JsonObject.EMPTY;
            send("error", JsonObject.builder().put("code", e.get("type")).put("message", e.get("message"))
                    .put("param", JsonNull.INSTANCE));
        }
    }

    /** A streamed call's joined arguments as the tool input they stand for (kept as history). */
    private static JsonObject input(String arguments) {
        try {
            return ToolRequests.arguments(new JsonString(arguments), "arguments");
        } catch (HttpError e) { // the model's own JSON, as the API streamed it: kept as it came
            return JsonObject.builder().put("_partial_json", arguments).build();
        }
    }
}
