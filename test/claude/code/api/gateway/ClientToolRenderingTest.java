package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.AssistantMessage;
import claude.code.api.events.ContentBlock;
import claude.code.api.events.Event;
import claude.code.api.events.Message;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.StreamEvent;
import claude.code.api.events.StreamEvent.BlockHead;
import claude.code.api.events.StreamEvent.Delta;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.Usage;
import claude.code.api.events.UserMessage;
import claude.code.api.history.Fingerprint;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import claude.code.api.options.ClientTool;
import claude.code.api.options.ClientToolSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A turn that ends at calls of the client's own tools, rendered by each API as that API answers a tool call, whole
 * and streamed: fake event sequences following the backend's contract (the response's stream events with the
 * tool_use blocks under the client's names, its assistant message, a result with stop reason {@code tool_use}) fed
 * through {@link TurnView} into each dialect, as {@link ChatPipeline} does. And the client's echo of that answer in
 * its next request is the same assistant message, so the backend finds the session waiting for the results.
 */
class ClientToolRenderingTest {
    static final JsonObject SCHEMA = (JsonObject) Json.parse("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");
    static final ClientToolSet TOOLS = new ClientToolSet(List.of(new ClientTool("getWeather", "The weather", SCHEMA, false),
            new ClientTool("get_time", "The time", SCHEMA, false)));
    static final JsonObject PARIS = (JsonObject) Json.parse("{\"city\":\"Paris\",\"days\":2}");
    static final JsonObject TOKYO = (JsonObject) Json.parse("{\"city\":\"Tokyo\"}");

    /** One model response as the backend delivers it with the relay: stream events, its assistant message, the result. */
    static final class Response {
        private final String id;
        private final List<StreamEvent> stream = new ArrayList<>();
        private final List<ContentBlock> blocks = new ArrayList<>();

        Response(String id) {
            this.id = id;
            stream.add(new StreamEvent.MessageStart(id, "claude-api-model", new Usage(10, 1, 0, 0), JsonObject.EMPTY));
        }

        Response text(String... pieces) {
            int i = blocks.size();
            stream.add(new StreamEvent.BlockStart(i, new BlockHead.Text("")));
            for (String p : pieces) {
                stream.add(new StreamEvent.BlockDelta(i, new Delta.TextDelta(p)));
            }
            stream.add(new StreamEvent.BlockStop(i));
            blocks.add(new TextBlock(String.join("", pieces)));
            return this;
        }

        /** A tool use, its input streamed as the API does: an empty piece first, then the JSON text in pieces. */
        Response toolUse(String toolId, String name, String... jsonPieces) {
            int i = blocks.size();
            stream.add(new StreamEvent.BlockStart(i, new BlockHead.ToolUse(toolId, name)));
            stream.add(new StreamEvent.BlockDelta(i, new Delta.InputJsonDelta("")));
            for (String p : jsonPieces) {
                stream.add(new StreamEvent.BlockDelta(i, new Delta.InputJsonDelta(p)));
            }
            stream.add(new StreamEvent.BlockStop(i));
            String joined = String.join("", jsonPieces);
            blocks.add(new ToolUseBlock(toolId, name, joined.isEmpty() ? JsonObject.EMPTY : (JsonObject) Json.parse(joined)));
            return this;
        }

        /** The assistant message the client is to see (text and tool uses), as the backend's contract has it. */
        Message message() {
            return new Message(Message.Role.ASSISTANT, blocks);
        }

        /** The turn's events, ending at the tool calls: streamed (with the relay) or not. */
        List<Event> events(boolean streamed) {
            List<Event> out = new ArrayList<>();
            out.add(new UserMessage("u-1", List.of(new TextBlock("weather in Paris and the time in Tokyo?")), true, false));
            if (streamed) {
                out.addAll(stream);
                out.add(new StreamEvent.MessageDelta("tool_use", null, new Usage(0, 7, 0, 0)));
                out.add(new StreamEvent.MessageStop());
            }
            out.add(new AssistantMessage("a-1", id, "claude-test", List.copyOf(blocks), "tool_use", new Usage(10, 7, 0, 0),
                    null));
            out.add(new ResultMessage("0f1e2d3c-0000-4000-8000-000000000001", Duration.ofMillis(50), 1,
                    new Usage(10, 7, 0, 0), "", "tool_use", null, false));
            return out;
        }
    }

    static Response parallelCalls() {
        return new Response("msg_1").text("Let me ", "check.").toolUse("toolu_1", "getWeather", "{\"city\":", "\"Paris\",\"days\":2}")
                .toolUse("toolu_2", "get_time", "{\"ci", "ty\":\"Tokyo\"}");
    }

    static Response oneCall() {
        return new Response("msg_1").toolUse("toolu_1", "getWeather", "{\"city\":\"Paris\",", "\"days\":2}");
    }

    // --- driving a dialect as the pipeline does -------------------------------------------------------------------

    static <R extends ChatDialect.Request> JsonObject whole(ChatDialect<R> dialect, R request, List<Event> events) {
        TurnView view = new TurnView(false, "claude-test", request.turn().tools());
        List<ContentBlock> blocks = new ArrayList<>();
        try {
            for (Event e : events) {
                view.accept(e, blocks::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertNull(view.failure());
        return dialect.answer(request, new ChatDialect.Answer(view.reportedModel(), blocks, view.stopReason(), view.usage()));
    }

    static <R extends ChatDialect.Request> List<GatewayFixture.Sse> streamed(ChatDialect<R> dialect, R request,
            List<Event> events) {
        TurnView view = new TurnView(false, "claude-test", request.turn().tools());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChatStream stream = dialect.startStream(request, new SseWriter(out), "claude-api-model", "req_1");
            for (Event e : events) {
                view.stream(e, stream);
            }
            assertNull(view.failure());
            stream.finish(view.stopReason(), view.usage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return GatewayFixture.sse(out.toString(StandardCharsets.UTF_8));
    }

    static <R extends ChatDialect.Request> R parse(ChatDialect<R> dialect, String body) {
        try {
            return dialect.parse((JsonObject) Json.parse(body), new FieldPolicy());
        } catch (HttpError e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static final String ANTHROPIC_TOOLS = "[{\"name\":\"getWeather\",\"input_schema\":" + Json.write(SCHEMA) + "},"
            + "{\"name\":\"get_time\",\"input_schema\":" + Json.write(SCHEMA) + "}]";
    static final String OPENAI_TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"getWeather\",\"parameters\":"
            + Json.write(SCHEMA) + "}},{\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"parameters\":"
            + Json.write(SCHEMA) + "}}]";
    static final String RESPONSES_TOOLS = "[{\"type\":\"function\",\"name\":\"getWeather\",\"parameters\":" + Json.write(SCHEMA)
            + "},{\"type\":\"function\",\"name\":\"get_time\",\"parameters\":" + Json.write(SCHEMA) + "}]";
    static final String ASK = "{\"role\":\"user\",\"content\":\"weather in Paris and the time in Tokyo?\"}";

    static AnthropicMessages.MessagesRequest anthropic(boolean stream) {
        return parse(new AnthropicMessages(), "{\"model\":\"claude-test\",\"max_tokens\":100,\"stream\":" + stream
                + ",\"tools\":" + ANTHROPIC_TOOLS + ",\"messages\":[" + ASK + "]}");
    }

    static OpenAiChatCompletions.CompletionRequest chat(boolean stream) {
        return parse(new OpenAiChatCompletions(), "{\"model\":\"claude-test\",\"stream\":" + stream + ",\"tools\":"
                + OPENAI_TOOLS + ",\"messages\":[" + ASK + "]}");
    }

    static OpenAiChatCompletions.CompletionRequest legacyFunctions(boolean stream) {
        return parse(new OpenAiChatCompletions(), "{\"model\":\"claude-test\",\"stream\":" + stream + ",\"functions\":"
                + "[{\"name\":\"getWeather\",\"parameters\":" + Json.write(SCHEMA) + "}],\"messages\":[" + ASK + "]}");
    }

    static OpenAiResponses responses() {
        return new OpenAiResponses(new ResponseStore(100, Duration.ofMinutes(5)), "test");
    }

    static OpenAiResponses.ResponsesRequest responsesRequest(OpenAiResponses api, boolean stream) {
        return parse(api, "{\"model\":\"claude-test\",\"stream\":" + stream + ",\"tools\":" + RESPONSES_TOOLS
                + ",\"input\":\"weather in Paris and the time in Tokyo?\"}");
    }

    static List<GatewayFixture.Sse> named(List<GatewayFixture.Sse> events, String name) {
        return events.stream().filter(e -> name.equals(e.event())).toList();
    }

    static JsonObject parsedArguments(JsonObject function) {
        return (JsonObject) Json.parse(function.string("arguments"));
    }

    // --- Anthropic Messages ---------------------------------------------------------------------------------------

    @Test
    void anthropicWholeAnswerHasTheToolUseBlocksAndStopReasonToolUse() {
        for (boolean relay : List.of(true, false)) {
            JsonObject answer = whole(new AnthropicMessages(), anthropic(false), parallelCalls().events(relay));
            assertEquals("tool_use", answer.string("stop_reason"));
            assertEquals(Json.parse("[{\"type\":\"text\",\"text\":\"Let me check.\"},"
                    + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"getWeather\",\"input\":{\"city\":\"Paris\",\"days\":2}},"
                    + "{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"get_time\",\"input\":{\"city\":\"Tokyo\"}}]"),
                    answer.get("content"), "relay " + relay);
        }
    }

    @Test
    void anthropicStreamsAToolUseAsContentBlockStartWithEmptyInputThenInputJsonDeltas() {
        List<GatewayFixture.Sse> events = streamed(new AnthropicMessages(), anthropic(true), parallelCalls().events(true));
        List<GatewayFixture.Sse> starts = named(events, "content_block_start");
        assertEquals(3, starts.size());
        assertEquals(Json.parse("{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
                + "\"id\":\"toolu_1\",\"name\":\"getWeather\",\"input\":{}}}"), starts.get(1).json());
        assertEquals(Json.parse("{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\","
                + "\"id\":\"toolu_2\",\"name\":\"get_time\",\"input\":{}}}"), starts.get(2).json());
        assertEquals(List.of(PARIS, TOKYO), List.of(assembledInput(events, 1), assembledInput(events, 2)),
                "the input as a client assembles it from the partial_json pieces");
        assertEquals(List.of("{\"city\":", "\"Paris\",\"days\":2}"), named(events, "content_block_delta").stream()
                .map(GatewayFixture.Sse::json).filter(d -> d.integer("index") == 1)
                .map(d -> d.object("delta").string("partial_json")).toList(), "the model's own pieces, one delta each");
        assertEquals(List.of(0L, 1L, 2L), named(events, "content_block_stop").stream().map(e -> e.json().integer("index")).toList());
        JsonObject delta = named(events, "message_delta").getFirst().json();
        assertEquals("tool_use", delta.object("delta").string("stop_reason"));
        assertEquals(1, named(events, "message_stop").size());
    }

    @Test
    void anthropicStreamsAToolUseWithoutStreamEventsAsOneInputJsonDelta() {
        List<GatewayFixture.Sse> events = streamed(new AnthropicMessages(), anthropic(true), oneCall().events(false));
        assertEquals(1, named(events, "content_block_start").size());
        assertEquals("tool_use", named(events, "content_block_start").getFirst().json().object("content_block").string("type"));
        assertEquals(PARIS, assembledInput(events, 0));
        assertEquals("tool_use", named(events, "message_delta").getFirst().json().object("delta").string("stop_reason"));
    }

    @Test
    void anthropicEchoOfTheAnswerIsTheAssistantMessageTheSessionWaitsUnder() {
        Response response = parallelCalls();
        JsonObject answer = whole(new AnthropicMessages(), anthropic(false), response.events(true));
        AnthropicMessages.MessagesRequest followUp = parse(new AnthropicMessages(), "{\"model\":\"claude-test\","
                + "\"max_tokens\":100,\"tools\":" + ANTHROPIC_TOOLS + ",\"messages\":[" + ASK + ",{\"role\":\"assistant\","
                + "\"content\":" + Json.write(answer.get("content")) + "},{\"role\":\"user\",\"content\":["
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"sunny\"},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_2\",\"content\":\"9:00\",\"is_error\":false}]}]}");
        assertEquals(Fingerprint.of(expectedFollowUp(response)), Fingerprint.of(followUp.turn().messages()));
    }

    @Test
    void aToolUseUnderANameNotOfferedIsTheClisOwnAndStaysHidden() {
        Response cli = new Response("msg_1").text("Looking.").toolUse("toolu_9", "Bash", "{\"command\":\"ls\"}");
        JsonObject answer = whole(new AnthropicMessages(), anthropic(false), cli.events(true));
        assertEquals(1, ((JsonArray) answer.get("content")).size(), answer.toString());
        assertEquals("end_turn", answer.string("stop_reason"), "the CLI ran its own tool inside the turn");
        List<GatewayFixture.Sse> events = streamed(new AnthropicMessages(), anthropic(true), cli.events(true));
        assertTrue(events.stream().noneMatch(e -> e.data().contains("tool_use\",\"id")), "no tool_use block streamed");
    }

    @Test
    void withoutClientToolsAToolUseStopStillReadsEndTurn() {
        AnthropicMessages.MessagesRequest plain = parse(new AnthropicMessages(), "{\"model\":\"claude-test\","
                + "\"max_tokens\":100,\"messages\":[" + ASK + "]}");
        JsonObject answer = whole(new AnthropicMessages(), plain, parallelCalls().events(true));
        assertEquals("end_turn", answer.string("stop_reason"));
        assertEquals(List.of("text"), ((JsonArray) answer.get("content")).stream()
                .map(b -> ((JsonObject) b).string("type")).toList());
    }

    static JsonObject assembledInput(List<GatewayFixture.Sse> events, long index) {
        StringBuilder json = new StringBuilder();
        named(events, "content_block_delta").stream().map(GatewayFixture.Sse::json).filter(d -> d.integer("index") == index)
                .forEach(d -> {
                    assertEquals("input_json_delta", d.object("delta").string("type"));
                    json.append(d.object("delta").string("partial_json"));
                });
        return (JsonObject) Json.parse(json.toString());
    }

    static List<Message> expectedFollowUp(Response response) {
        return List.of(Message.user("weather in Paris and the time in Tokyo?"), response.message(),
                Message.user(new ToolResultBlock("toolu_1", new JsonString("sunny"), null),
                        new ToolResultBlock("toolu_2", new JsonString("9:00"), null)));
    }

    // --- OpenAI chat completions ----------------------------------------------------------------------------------

    @Test
    void chatWholeAnswerHasToolCallsWithArgumentsAsJsonTextAndFinishReasonToolCalls() {
        JsonObject choice = (JsonObject) ((JsonArray) whole(new OpenAiChatCompletions(), chat(false),
                parallelCalls().events(true)).get("choices")).get(0);
        assertEquals("tool_calls", choice.string("finish_reason"));
        JsonObject message = choice.object("message");
        assertEquals("Let me check.", message.string("content"));
        JsonArray calls = (JsonArray) message.get("tool_calls");
        assertEquals(2, calls.size());
        JsonObject first = (JsonObject) calls.get(0);
        assertEquals("toolu_1", first.string("id"));
        assertEquals("function", first.string("type"));
        assertEquals("getWeather", first.object("function").string("name"));
        assertEquals(PARIS, parsedArguments(first.object("function")));
        assertEquals(TOKYO, parsedArguments(((JsonObject) calls.get(1)).object("function")));
    }

    @Test
    void chatContentIsNullWhenTheAnswerIsOnlyToolCalls() {
        JsonObject message = ((JsonObject) ((JsonArray) whole(new OpenAiChatCompletions(), chat(false),
                oneCall().events(true)).get("choices")).get(0)).object("message");
        assertEquals(JsonNull.INSTANCE, message.get("content"));
        assertEquals(1, ((JsonArray) message.get("tool_calls")).size());
    }

    @Test
    void chatStreamsToolCallDeltasWithIndexIdAndNameFirstThenArgumentPieces() {
        List<GatewayFixture.Sse> events = streamed(new OpenAiChatCompletions(), chat(true), parallelCalls().events(true));
        List<JsonObject> deltas = chunkDeltas(events);
        List<JsonObject> calls = deltas.stream().filter(d -> d.get("tool_calls") != null)
                .map(d -> (JsonObject) ((JsonArray) d.get("tool_calls")).get(0)).toList();
        assertEquals(Json.parse("{\"index\":0,\"id\":\"toolu_1\",\"type\":\"function\",\"function\":{\"name\":\"getWeather\","
                + "\"arguments\":\"\"}}"), calls.getFirst());
        List<JsonObject> second = calls.stream().filter(c -> c.integer("index") == 1).toList();
        assertEquals("toolu_2", second.getFirst().string("id"));
        assertEquals("get_time", second.getFirst().object("function").string("name"));
        for (JsonObject piece : calls.stream().filter(c -> c.get("id") == null).toList()) {
            assertEquals(List.of("index", "function"), List.copyOf(piece.names()), "a piece: index and arguments only");
        }
        assertEquals(PARIS, assembledArguments(calls, 0), "the SDK's accumulation: arguments joined by index");
        assertEquals(TOKYO, assembledArguments(calls, 1));
        assertEquals("Let me check.", deltas.stream().filter(d -> d.get("content") instanceof JsonString)
                .map(d -> d.string("content")).reduce("", String::concat));
        assertEquals(List.of("tool_calls"), finishReasons(events));
    }

    @Test
    void chatLegacyFunctionsAnswerWithFunctionCall() {
        JsonObject choice = (JsonObject) ((JsonArray) whole(new OpenAiChatCompletions(), legacyFunctions(false),
                oneCall().events(true)).get("choices")).get(0);
        assertEquals("function_call", choice.string("finish_reason"));
        JsonObject call = choice.object("message").object("function_call");
        assertEquals("getWeather", call.string("name"));
        assertEquals(PARIS, parsedArguments(call));
        assertNull(choice.object("message").get("tool_calls"));

        List<GatewayFixture.Sse> events = streamed(new OpenAiChatCompletions(), legacyFunctions(true), oneCall().events(true));
        List<JsonObject> pieces = chunkDeltas(events).stream().filter(d -> d.get("function_call") != null)
                .map(d -> d.object("function_call")).toList();
        assertEquals("getWeather", pieces.getFirst().string("name"));
        assertEquals(PARIS, Json.parse(pieces.stream().map(p -> p.string("arguments")).reduce("", String::concat)));
        assertEquals(List.of("function_call"), finishReasons(events));
    }

    @Test
    void chatEchoOfTheAnswerWithContentNullOrEmptyAndRespacedArgumentsIsTheSameAssistantMessage() {
        Response response = parallelCalls();
        JsonObject message = ((JsonObject) ((JsonArray) whole(new OpenAiChatCompletions(), chat(false),
                response.events(true)).get("choices")).get(0)).object("message");
        String results = ",{\"role\":\"tool\",\"tool_call_id\":\"toolu_1\",\"content\":\"sunny\"},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"toolu_2\",\"content\":\"9:00\"}";
        // the SDKs echo the message as returned; re-serialised arguments get other spacing
        String respaced = Json.write(message).replace("{\\\"city\\\":", "{ \\\"city\\\" : ");
        OpenAiChatCompletions.CompletionRequest followUp = parse(new OpenAiChatCompletions(), "{\"model\":\"claude-test\","
                + "\"tools\":" + OPENAI_TOOLS + ",\"messages\":[" + ASK + "," + respaced + results + "]}");
        assertEquals(Fingerprint.of(expectedFollowUp(response)), Fingerprint.of(followUp.turn().messages()));

        Response only = oneCall();
        JsonObject onlyCalls = ((JsonObject) ((JsonArray) whole(new OpenAiChatCompletions(), chat(false),
                only.events(true)).get("choices")).get(0)).object("message");
        String calls = Json.write(onlyCalls.get("tool_calls"));
        for (String echoed : List.of("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":" + calls + "}",
                "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null,\"tool_calls\":" + calls + "}",
                "{\"role\":\"assistant\",\"tool_calls\":" + calls + "}")) {
            List<Message> messages = parse(new OpenAiChatCompletions(), "{\"model\":\"claude-test\",\"tools\":" + OPENAI_TOOLS
                    + ",\"messages\":[" + ASK + "," + echoed + ",{\"role\":\"tool\",\"tool_call_id\":\"toolu_1\","
                    + "\"content\":\"sunny\"}]}").turn().messages();
            assertEquals(Fingerprint.of(List.of(Message.user("weather in Paris and the time in Tokyo?"), only.message(),
                    Message.user(new ToolResultBlock("toolu_1", new JsonString("sunny"), null)))), Fingerprint.of(messages),
                    echoed);
        }
    }

    static List<JsonObject> chunkDeltas(List<GatewayFixture.Sse> events) {
        return events.stream().filter(e -> !e.data().equals("[DONE]") && e.data().startsWith("{"))
                .map(GatewayFixture.Sse::json).filter(c -> c.get("choices") instanceof JsonArray a && !a.isEmpty())
                .map(c -> ((JsonObject) ((JsonArray) c.get("choices")).get(0)).object("delta")).toList();
    }

    static List<String> finishReasons(List<GatewayFixture.Sse> events) {
        return events.stream().filter(e -> e.data().startsWith("{")).map(GatewayFixture.Sse::json)
                .filter(c -> c.get("choices") instanceof JsonArray a && !a.isEmpty())
                .map(c -> ((JsonObject) ((JsonArray) c.get("choices")).get(0)).get("finish_reason"))
                .filter(r -> r instanceof JsonString).map(r -> ((JsonString) r).value()).toList();
    }

    static JsonObject assembledArguments(List<JsonObject> calls, long index) {
        return (JsonObject) Json.parse(calls.stream().filter(c -> c.integer("index") == index)
                .map(c -> c.object("function").string("arguments")).reduce("", String::concat));
    }

    // --- Responses --------------------------------------------------------------------------------------------------

    @Test
    void responsesWholeAnswerHasAMessageItemThenFunctionCallItems() {
        OpenAiResponses api = responses();
        JsonObject response = whole(api, responsesRequest(api, false), parallelCalls().events(true));
        assertEquals("completed", response.string("status"));
        JsonArray output = (JsonArray) response.get("output");
        assertEquals(List.of("message", "function_call", "function_call"), output.stream()
                .map(i -> ((JsonObject) i).string("type")).toList());
        JsonObject call = (JsonObject) output.get(1);
        assertTrue(call.string("id").startsWith("fc_"), call.toString());
        assertEquals("toolu_1", call.string("call_id"));
        assertEquals("getWeather", call.string("name"));
        assertEquals("completed", call.string("status"));
        assertEquals(PARIS, parsedArguments(call));
        assertEquals("toolu_2", ((JsonObject) output.get(2)).string("call_id"));
        assertEquals("Let me check.", response.string("output_text"));
    }

    @Test
    void responsesWholeAnswerOfOnlyCallsHasNoMessageItem() {
        OpenAiResponses api = responses();
        JsonArray output = (JsonArray) whole(api, responsesRequest(api, false), oneCall().events(true)).get("output");
        assertEquals(List.of("function_call"), output.stream().map(i -> ((JsonObject) i).string("type")).toList());
    }

    @Test
    void responsesStreamsAFunctionCallItemWithItsArgumentDeltas() {
        OpenAiResponses api = responses();
        List<GatewayFixture.Sse> events = streamed(api, responsesRequest(api, true), parallelCalls().events(true));
        assertEquals(List.of("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_item.done",
                "response.completed"), events.stream().map(GatewayFixture.Sse::event).toList());
        List<JsonObject> json = events.stream().map(GatewayFixture.Sse::json).toList();
        for (int i = 0; i < json.size(); i++) {
            assertEquals(i, json.get(i).integer("sequence_number"));
        }
        JsonObject added = json.get(9).object("item");
        assertEquals(1, json.get(9).integer("output_index"));
        assertEquals("function_call", added.string("type"));
        assertEquals("toolu_1", added.string("call_id"));
        assertEquals("getWeather", added.string("name"));
        assertEquals("", added.string("arguments"));
        assertEquals("in_progress", added.string("status"));
        String itemId = added.string("id");
        assertEquals(List.of(itemId, itemId), List.of(json.get(10).string("item_id"), json.get(11).string("item_id")));
        assertEquals(PARIS, Json.parse(json.get(10).string("delta") + json.get(11).string("delta")));
        assertEquals(PARIS, Json.parse(json.get(12).string("arguments")));
        assertEquals("getWeather", json.get(12).string("name"));
        JsonObject done = json.get(13).object("item");
        assertEquals("completed", done.string("status"));
        assertEquals(2, json.get(14).integer("output_index"));
        JsonObject completed = json.getLast().object("response");
        JsonArray output = (JsonArray) completed.get("output");
        assertEquals(List.of(json.get(8).object("item"), done, json.get(18).object("item")),
                output.stream().map(o -> (JsonObject) o).toList(), "the completed response holds the items as they were done");
    }

    @Test
    void responsesFollowUpByPreviousResponseIdContinuesWithTheCallsAndTheirOutputs() {
        for (boolean stream : List.of(false, true)) {
            OpenAiResponses api = responses();
            Response response = parallelCalls();
            OpenAiResponses.ResponsesRequest first = responsesRequest(api, stream);
            if (stream) {
                streamed(api, first, response.events(true));
            } else {
                whole(api, first, response.events(true));
            }
            OpenAiResponses.ResponsesRequest followUp = parse(api, "{\"model\":\"claude-test\",\"tools\":" + RESPONSES_TOOLS
                    + ",\"previous_response_id\":\"" + first.id() + "\",\"input\":["
                    + "{\"type\":\"function_call_output\",\"call_id\":\"toolu_1\",\"output\":\"sunny\"},"
                    + "{\"type\":\"function_call_output\",\"call_id\":\"toolu_2\",\"output\":\"9:00\"}]}");
            assertEquals(Fingerprint.of(expectedFollowUp(response)), Fingerprint.of(followUp.turn().messages()),
                    "stream " + stream);
        }
    }

    @Test
    void responsesFollowUpWithTheFullInputOrItemReferencesIsTheSameConversation() {
        OpenAiResponses api = responses();
        Response response = parallelCalls();
        JsonObject answer = whole(api, responsesRequest(api, false), response.events(true));
        JsonArray output = (JsonArray) answer.get("output");
        String outputs = "{\"type\":\"function_call_output\",\"call_id\":\"toolu_1\",\"output\":\"sunny\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"toolu_2\",\"output\":\"9:00\"}";
        StringBuilder echoed = new StringBuilder();
        StringBuilder references = new StringBuilder();
        for (JsonValue item : output) {
            echoed.append(Json.write(item)).append(',');
            references.append("{\"type\":\"item_reference\",\"id\":\"").append(((JsonObject) item).string("id")).append("\"},");
        }
        String ask = "{\"role\":\"user\",\"content\":\"weather in Paris and the time in Tokyo?\"},";
        for (String input : List.of(echoed.toString(), references.toString())) {
            OpenAiResponses.ResponsesRequest followUp = parse(api, "{\"model\":\"claude-test\",\"tools\":" + RESPONSES_TOOLS
                    + ",\"input\":[" + ask + input + outputs + "]}");
            assertEquals(Fingerprint.of(expectedFollowUp(response)), Fingerprint.of(followUp.turn().messages()), input);
        }
    }

    @Test
    void responsesStreamOfOnlyACallHasNoMessageItem() {
        OpenAiResponses api = responses();
        List<GatewayFixture.Sse> events = streamed(api, responsesRequest(api, true), oneCall().events(false));
        assertFalse(events.stream().anyMatch(e -> e.event().startsWith("response.output_text")
                || e.event().startsWith("response.content_part")));
        JsonArray output = (JsonArray) events.getLast().json().object("response").get("output");
        assertEquals(1, output.size());
        assertEquals(PARIS, parsedArguments((JsonObject) output.get(0)));
    }
}
