package claude.code.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.AssistantMessage;
import claude.code.api.events.ContentBlock;
import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.Message;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.StreamEvent;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.UserMessage;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import claude.code.api.options.ClientTool;
import claude.code.api.options.ClientToolSet;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.MockReply;
import claude.code.api.testing.RecordedRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The library's client-tool loop on the pinned CLI against the mock: {@code complete()} with tools ends at the
 * model's call of the client's tools, and the next {@code complete()} with the results goes on on the same CLI.
 */
@Timeout(240)
class ClientToolsBackendRealCliTest {
    static final JsonObject CITY = (JsonObject) Json.parse(
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
    static final ClientToolSet TOOLS = new ClientToolSet(List.of(
            new ClientTool("getWeather", "Weather of a city", CITY, false),
            new ClientTool("getTime", "Local time of a city", CITY, false)));
    /** A 1x1 PNG. */
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    MockMessagesApi api;
    ClaudeTestHome home;

    /**
     * With tool results: text quoting each ("it says: A | B"). "call two": both tools at once; "call bash": the
     * CLI's own Bash, which the session does not have; "call the tool": getWeather.
     */
    static MockReply reply(RecordedRequest request) {
        if (!request.toolResults().isEmpty()) {
            String quoted = request.toolResults().stream().map(RecordedRequest::resultText)
                    .collect(Collectors.joining(" | "));
            return new MockReply.Message(List.of(new MockReply.Text("it says: " + quoted)), "end_turn", Duration.ZERO, null);
        }
        String prompt = request.promptText();
        if (prompt.contains("call two")) {
            return new MockReply.Message(List.of(new MockReply.Text("Looking both up."),
                    new MockReply.ToolUse("toolu_w2", "mcp__c__getWeather", city("Oslo")),
                    new MockReply.ToolUse("toolu_t2", "mcp__c__getTime", city("Lima"))), "tool_use", Duration.ZERO, null);
        }
        if (prompt.contains("call bash")) {
            return new MockReply.Message(List.of(new MockReply.ToolUse("toolu_b1", "Bash", (JsonObject) Json.parse(
                    "{\"command\":\"touch ran-bash\",\"description\":\"touch\"}"))), "tool_use", Duration.ZERO, null);
        }
        if (prompt.contains("call the tool")) {
            return new MockReply.Message(List.of(new MockReply.ToolUse("toolu_c1", "mcp__c__getWeather", city("Oslo"))),
                    "tool_use", Duration.ZERO, null);
        }
        return new MockReply.Message(List.of(new MockReply.Text("sunny")), "end_turn", Duration.ZERO, null);
    }

    static JsonObject city(String name) {
        return JsonObject.builder().put("city", name).build();
    }


    @BeforeEach
    void start() {
        api = MockMessagesApi.start(ClientToolsBackendRealCliTest::reply);
        home = ClaudeTestHome.builder(api).bypassPermissionsAccepted().build();
    }

    @AfterEach
    void stop() {
        try {
            assertEquals(List.of(), home.strayProcesses(), "no CLI of this test left running");
        } finally {
            home.close();
            api.close();
        }
    }

    BackendOptions.Builder options() {
        return home.backendOptions().maxSessions(2).tools(TOOLS);
    }

    static List<Event> run(ClaudeCodeBackend backend, List<Message> messages) {
        List<Event> events = new ArrayList<>();
        try (EventStream turn = backend.complete(messages)) {
            turn.forEachRemaining(events::add);
        }
        ResultMessage result = assertInstanceOf(ResultMessage.class, events.getLast());
        assertFalse(result.isError(), () -> "turn failed: " + result.errorText());
        return events;
    }

    static AssistantMessage lastAssistant(List<Event> events) {
        return (AssistantMessage) events.reversed().stream().filter(e -> e instanceof AssistantMessage).findFirst()
                .orElseThrow();
    }

    static List<Message> then(List<Message> history, AssistantMessage answer, ContentBlock... results) {
        List<Message> next = new ArrayList<>(history);
        next.add(new Message(Message.Role.ASSISTANT, answer.content()));
        next.add(Message.of(Message.Role.USER, results));
        return next;
    }

    static ToolResultBlock result(String id, String text) {
        return new ToolResultBlock(id, new JsonString(text), null);
    }

    @Test
    void aCallOfTheClientsToolEndsTheAnswerWithToolUseUnderTheClientsNameAndTheResultsContinueOnTheSameCli() {
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build())) {
            List<Message> history = List.of(Message.user("call the tool for Oslo"));
            List<Event> first = run(backend, history);

            ResultMessage end = (ResultMessage) first.getLast();
            assertEquals("tool_use", end.stopReason());
            AssistantMessage call = lastAssistant(first);
            assertEquals("tool_use", call.stopReason());
            assertEquals(List.of(new ToolUseBlock("toolu_c1", "getWeather", city("Oslo"))), call.content());
            assertTrue(first.stream().anyMatch(e -> e instanceof StreamEvent.BlockStart(int i,
                    StreamEvent.BlockHead.ToolUse(String id, String name)) && name.equals("getWeather")),
                    "the streamed tool_use block carries the client's name: " + first);
            assertFalse(first.stream().anyMatch(e -> e.toString().contains("mcp__c__")), "no CLI name reaches the caller");
            assertFalse(first.stream().anyMatch(e -> e instanceof UserMessage u && u.hasToolResult()),
                    "nothing of the CLI's own handling of the call");
            assertEquals(1, backend.metrics().sessionsAwaitingClientTools());
            assertEquals(1, backend.metrics().clientToolCalls());
            long pid = backend.liveSessions().values().iterator().next().pid();

            List<Event> second = run(backend, then(history, call, result("toolu_c1", "12 C and sunny")));

            ResultMessage done = (ResultMessage) second.getLast();
            assertEquals("it says: 12 C and sunny", done.finalText());
            assertEquals("end_turn", done.stopReason());
            assertFalse(second.stream().anyMatch(e -> e instanceof UserMessage u && u.hasToolResult()),
                    "the CLI's record of the client's result is not an event of the continuation: " + second);
            assertEquals(1, backend.metrics().spawns(), "one CLI for both steps");
            assertEquals(pid, backend.liveSessions().values().iterator().next().pid());
            assertEquals(0, backend.metrics().sessionsAwaitingClientTools());
        }
        List<RecordedRequest> requests = api.mainLoopRequests();
        assertEquals(2, requests.size());
        assertEquals(1, requests.stream().map(r -> r.sessionId().orElseThrow()).distinct().count(), "one CLI session");
        for (RecordedRequest r : requests) {
            assertEquals(Set.of("mcp__c__getWeather", "mcp__c__getTime"), r.body().array("tools").stream()
                    .map(t -> ((JsonObject) t).string("name")).collect(Collectors.toSet()), "only the client's tools");
        }
        List<JsonObject> results = requests.get(1).toolResults();
        assertEquals(1, results.size());
        assertEquals("toolu_c1", results.getFirst().string("tool_use_id"));
        assertEquals("12 C and sunny", RecordedRequest.resultText(results.getFirst()));
    }

    @Test
    void twoParallelCallsReachTheCallerInOneAnswerAndTheirResultsReachTheModelInOneMessageInOrder() {
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build())) {
            List<Message> history = List.of(Message.user("call two tools"));
            AssistantMessage call = lastAssistant(run(backend, history));
            assertEquals(List.of(new TextBlock("Looking both up."), new ToolUseBlock("toolu_w2", "getWeather", city("Oslo")),
                    new ToolUseBlock("toolu_t2", "getTime", city("Lima"))), call.content());
            assertEquals(2, backend.metrics().clientToolCalls());
            // echoed as an OpenAI client would: the text joined, the input re-serialised (another member order)
            Message echoed = Message.of(Message.Role.ASSISTANT, new TextBlock("Looking both up."),
                    new ToolUseBlock("toolu_w2", "getWeather", (JsonObject) Json.parse("{ \"city\" : \"Oslo\" }")),
                    new ToolUseBlock("toolu_t2", "getTime", city("Lima")));
            List<Message> next = new ArrayList<>(history);
            next.add(echoed);
            next.add(Message.of(Message.Role.USER, result("toolu_t2", "09:00"), result("toolu_w2", "rain")));
            ResultMessage done = (ResultMessage) run(backend, next).getLast();
            assertEquals("it says: rain | 09:00", done.finalText(), "the results in the model's order of the calls");
            assertEquals(1, backend.metrics().spawns());
        }
        List<JsonObject> results = api.mainLoopRequests().getLast().toolResults();
        assertEquals(List.of("toolu_w2", "toolu_t2"), results.stream().map(r -> r.string("tool_use_id")).toList());
    }

    @Test
    void anErrorResultKeepsIsErrorAndAnImageResultReachesTheModelAsAnImageBlock() {
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build())) {
            List<Message> history = List.of(Message.user("call two tools"));
            AssistantMessage call = lastAssistant(run(backend, history));
            JsonValue image = JsonArray.of(JsonObject.builder().put("type", "image").put("source", JsonObject.builder()
                    .put("type", "base64").put("media_type", "image/png").put("data", PNG).build()).build());
            ResultMessage done = (ResultMessage) run(backend, then(history, call,
                    new ToolResultBlock("toolu_w2", new JsonString("no such city"), true),
                    new ToolResultBlock("toolu_t2", image, null))).getLast();
            assertEquals("it says: error: no such city | [image/png]", done.finalText());
        }
        List<JsonObject> results = api.mainLoopRequests().getLast().toolResults();
        assertTrue(results.get(0).findBool("is_error").orElse(false), results.get(0).toString());
        JsonObject block = (JsonObject) ((JsonArray) results.get(1).get("content")).stream()
                .filter(b -> ((JsonObject) b).string("type").equals("image")).findFirst().orElseThrow();
        assertEquals(PNG, block.object("source").string("data"), "the image's bytes reach the model");
    }

    @Test
    void resultsThatMissAnOpenIdAreRefusedNamingItAndTheSessionStillWaits() {
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build())) {
            List<Message> history = List.of(Message.user("call two tools"));
            AssistantMessage call = lastAssistant(run(backend, history));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend.complete(then(history, call, result("toolu_w2", "rain"))));
            assertTrue(e.getMessage().contains("without `tool_result` blocks immediately after: toolu_t2"), e.getMessage());
            assertEquals(1, backend.metrics().sessionsAwaitingClientTools());
            ResultMessage done = (ResultMessage) run(backend, then(history, call, result("toolu_w2", "rain"),
                    result("toolu_t2", "noon"))).getLast();
            assertEquals("it says: rain | noon", done.finalText());
        }
    }

    @Test
    void aResultThatDoesNotComeInTimeStopsTheSessionWhichIsCountedAndNeverReused() throws Exception {
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().clientToolTimeout(Duration.ofSeconds(2)).build())) {
            List<Message> history = List.of(Message.user("call the tool for Oslo"));
            AssistantMessage call = lastAssistant(run(backend, history));
            long pid = backend.liveSessions().values().iterator().next().pid();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((backend.metrics().clientToolTimeouts() == 0 || ProcessHandle.of(pid).isPresent())
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1, backend.metrics().clientToolTimeouts());
            assertFalse(ProcessHandle.of(pid).isPresent(), "the CLI went on without the client: it is stopped and reaped");
            assertEquals(0, backend.metrics().sessionsAwaitingClientTools());
            ResultMessage late = (ResultMessage) run(backend, then(history, call, result("toolu_c1", "too late"))).getLast();
            assertEquals("it says: too late", late.finalText(), "late results continue on a new session");
            assertEquals(2, backend.metrics().spawns());
            assertFalse(backend.liveSessions().values().stream().anyMatch(s -> s.pid() == pid),
                    "the stopped session was dropped, not reused");
        }
    }

    @Test
    void textBesideTheResultsReachesTheModelAfterThemInOneUserMessageOnTheSameCli() {
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build())) {
            List<Message> history = List.of(Message.user("call the tool for Oslo"));
            AssistantMessage call = lastAssistant(run(backend, history));
            ResultMessage done = (ResultMessage) run(backend, then(history, call, result("toolu_c1", "rain"),
                    new TextBlock("and tomorrow?"))).getLast();
            assertEquals("it says: rain", done.finalText());
            assertEquals(1, backend.metrics().spawns(), "the waiting CLI took the results and the text");
        }
        JsonObject last = (JsonObject) api.mainLoopRequests().getLast().body().array("messages").stream()
                .reduce((a, b) -> b).orElseThrow();
        List<JsonObject> content = ((JsonArray) last.get("content")).stream().map(b -> (JsonObject) b).toList();
        assertEquals("tool_result", content.getFirst().string("type"), last.toString());
        assertEquals("toolu_c1", content.getFirst().string("tool_use_id"));
        JsonObject text = content.getLast();
        assertEquals("text", text.string("type"), last.toString());
        assertEquals("and tomorrow?", text.string("text"), "the client's text follows its result, last in the message");
    }

    @Test
    void closingTheBackendWhileCallsAreOpenEndsThemAndStopsTheCli() {
        ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build());
        try {
            run(backend, List.of(Message.user("call the tool for Oslo")));
            assertEquals(1, backend.metrics().sessionsAwaitingClientTools());
        } finally {
            backend.close();
        }
        assertEquals(List.of(), home.strayProcesses(), "the waiting CLI is stopped with the backend");
    }

    @Test
    void aToolsSessionNeverRunsABuiltInToolOfTheCli() throws Exception {
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build())) {
            ResultMessage done = (ResultMessage) run(backend, List.of(Message.user("call bash"))).getLast();
            assertTrue(done.finalText().startsWith("it says: error: "), done.finalText());
        }
        assertFalse(Files.exists(home.workspace().resolve("ran-bash")), "Bash did not run");
        Set<String> offered = api.mainLoopRequests().getFirst().body().array("tools").stream()
                .map(t -> ((JsonObject) t).string("name")).collect(Collectors.toSet());
        assertEquals(Set.of("mcp__c__getWeather", "mcp__c__getTime"), offered);
    }
}
