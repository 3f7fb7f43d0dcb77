package claude.code.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.Message;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import claude.code.api.options.ClientTool;
import claude.code.api.options.ClientToolSet;
import claude.code.api.options.ToolChoice;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.MockReply;
import claude.code.api.testing.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay's side of client tools through the backend, on the pinned CLI against the mock: the request's tool choice
 * on the model API request, and a conversation whose tool calls no session waits for, continued on a new session
 * with exactly the API's messages (docs/CLI-BEHAVIOUR.md#relay-amendments). The mock answers with text, so no turn
 * waits for a client's result (that round trip is not this test's).
 */
@Timeout(180)
class ClientToolsRelayRealCliTest {
    static final ClientToolSet TOOLS = new ClientToolSet(List.of(new ClientTool("getWeather", "Weather of a city",
            (JsonObject) Json.parse("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"), false)));

    MockMessagesApi api;
    ClaudeTestHome home;
    ClaudeCodeBackend backend;

    @BeforeEach
    void start() {
        api = MockMessagesApi.start(request -> new MockReply.Message(List.of(new MockReply.Text("answer "
                + request.sequence())), "end_turn", Duration.ZERO, null));
        home = ClaudeTestHome.builder(api).bypassPermissionsAccepted().build();
        backend = new ClaudeCodeBackend(home.backendOptions().maxSessions(2).tools(TOOLS).build());
    }

    @AfterEach
    void stop() {
        try {
            backend.close();
            assertEquals(List.of(), home.strayProcesses(), "no CLI of this test left running");
        } finally {
            home.close();
            api.close();
        }
    }

    static ResultMessage run(EventStream stream) {
        List<Event> events = new ArrayList<>();
        try (stream) {
            stream.forEachRemaining(events::add);
        }
        ResultMessage result = assertInstanceOf(ResultMessage.class, events.getLast());
        assertFalse(result.isError(), result.toString());
        return result;
    }

    JsonObject onlyMainLoopRequest() {
        List<RecordedRequest> main = api.mainLoopRequests();
        assertEquals(1, main.size(), main.toString());
        return main.getFirst().body();
    }

    @Test
    void aForcedToolReachesTheModelRequestUnderItsMcpNameWithoutThinking() {
        run(backend.complete(List.of(Message.user("weather in Oslo?")), TurnOptions.of(ToolChoice.tool("getWeather"))));
        JsonObject request = onlyMainLoopRequest();
        assertEquals(Json.parse("{\"type\":\"tool\",\"name\":\"mcp__c__getWeather\"}"), request.get("tool_choice"));
        assertFalse(request.has("thinking"), "the API refuses thinking with a forced tool");
        assertFalse(Json.write(request).contains("clear_thinking"), "nor the context edit that needs thinking");
    }

    @Test
    void anyWithParallelUseDisabledReachesTheModelRequestAsTheApiSpellsIt() {
        run(backend.complete(List.of(Message.user("weather somewhere?")),
                TurnOptions.of(ToolChoice.any().withParallelToolUseDisabled())));
        assertEquals(Json.parse("{\"type\":\"any\",\"disable_parallel_tool_use\":true}"),
                onlyMainLoopRequest().get("tool_choice"));
    }

    @Test
    void noneReachesTheModelRequestAndKeepsTheCliThinking() {
        run(backend.complete(List.of(Message.user("no tools please")), TurnOptions.of(ToolChoice.none())));
        JsonObject request = onlyMainLoopRequest();
        assertEquals(Json.parse("{\"type\":\"none\"}"), request.get("tool_choice"));
        assertTrue(request.has("thinking"), request.names().toString());
    }

    @Test
    void withoutAToolChoiceTheRequestHasNone() {
        run(backend.complete(List.of(Message.user("plain"))));
        assertFalse(onlyMainLoopRequest().has("tool_choice"));
    }

    /** A conversation whose assistant called a client tool, and the client's result: the session that ran it is gone. */
    static List<Message> answeredToolCall() {
        return List.of(Message.user("first question"), Message.assistant("first answer"), Message.user("weather in Oslo?"),
                new Message(Message.Role.ASSISTANT, List.of(new TextBlock("let me look"), new ToolUseBlock("toolu_gone1",
                        "getWeather", (JsonObject) Json.parse("{\"city\":\"Oslo\"}")))),
                new Message(Message.Role.USER, List.of(new ToolResultBlock("toolu_gone1", JsonString.of("12 C and sunny"), null))));
    }

    /** The exact messages the API would get for {@link #answeredToolCall()}: the tool under the name the model saw. */
    static final String EXPECTED_HISTORY = """
            [{"role":"user","content":[{"type":"text","text":"first question"}]},\
            {"role":"assistant","content":[{"type":"text","text":"first answer"}]},\
            {"role":"user","content":[{"type":"text","text":"weather in Oslo?"}]},\
            {"role":"assistant","content":[{"type":"text","text":"let me look"},\
            {"type":"tool_use","id":"toolu_gone1","name":"mcp__c__getWeather","input":{"city":"Oslo"}}]},\
            {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_gone1","content":"12 C and sunny"}]}]""";

    /** The request's messages without the CLI's own {@code role: system} entries (its environment context). */
    static JsonArray conversation(RecordedRequest request) {
        return JsonArray.of(request.messages().stream().filter(m -> !"system".equals(m.string("role", null)))
                .map(JsonValue.class::cast).toList());
    }

    @Test
    void resultsNoSessionWaitsForContinueOnANewSessionWithExactlyTheApisMessagesAndNoMarker() {
        List<Message> messages = answeredToolCall();
        ResultMessage first = run(backend.complete(messages));
        RecordedRequest continuation = api.mainLoopRequests().getLast();
        assertEquals(Json.parse(EXPECTED_HISTORY), conversation(continuation));
        String raw = new String(api.rawBody(continuation), StandardCharsets.UTF_8);
        assertFalse(raw.contains("continue-"), "the typed marker never reaches the model");

        // the next turn on the same session: the CLI's history holds the marker, the model still sees the true one
        List<Message> next = new ArrayList<>(messages);
        next.add(Message.assistant(first.finalText()));
        next.add(Message.user("thanks, and tomorrow?"));
        run(backend.complete(next));
        List<RecordedRequest> main = api.mainLoopRequests();
        assertEquals(2, main.size(), main.toString());
        assertEquals(continuation.sessionId(), main.get(1).sessionId(), "the same session: a pool hit");
        JsonArray history = conversation(main.get(1));
        assertEquals(Json.parse(EXPECTED_HISTORY), JsonArray.of(history.elements().subList(0, 5)));
        assertEquals(first.finalText(), history.object(5).array("content").object(0).string("text"));
        assertEquals("thanks, and tomorrow?", history.object(6).array("content").object(0).string("text"));
        assertEquals(7, history.size(), history.toString());
        assertFalse(new String(api.rawBody(main.get(1)), StandardCharsets.UTF_8).contains("continue-"));
    }

    @Test
    void textBesideResultsOfAGoneSessionFollowsTheToolResultInOneUserMessage() {
        List<Message> messages = new ArrayList<>(answeredToolCall());
        messages.set(4, new Message(Message.Role.USER, List.of(new ToolResultBlock("toolu_gone1",
                JsonString.of("12 C and sunny"), null), new TextBlock("answer in one word"))));
        run(backend.complete(messages, TurnOptions.of(ToolChoice.none())));
        RecordedRequest continuation = onlyMainLoop();
        JsonArray history = conversation(continuation);
        assertEquals(Json.parse("[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_gone1\",\"content\":\"12 C and sunny\"},"
                + "{\"type\":\"text\",\"text\":\"answer in one word\"}]"), history.object(4).get("content"));
        assertEquals(5, history.size(), history.toString());
        assertEquals(Json.parse("{\"type\":\"none\"}"), continuation.body().get("tool_choice"), "its own tool choice too");
    }

    @Test
    void withConcatMessageNothingIsSeededAndTheMarkerStandsForTheWholeConversation() {
        try (ClaudeCodeBackend concat = new ClaudeCodeBackend(home.backendOptions().maxSessions(1).tools(TOOLS)
                .historyMode(claude.code.api.options.HistoryMode.CONCAT_MESSAGE).build())) {
            run(concat.complete(answeredToolCall()));
        }
        RecordedRequest continuation = onlyMainLoop();
        assertEquals(Json.parse(EXPECTED_HISTORY), conversation(continuation));
        assertFalse(new String(api.rawBody(continuation), StandardCharsets.UTF_8).contains("continue-"));
    }

    RecordedRequest onlyMainLoop() {
        List<RecordedRequest> main = api.mainLoopRequests();
        assertEquals(1, main.size(), main.toString());
        return main.getFirst();
    }
}
