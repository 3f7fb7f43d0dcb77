package claude.code.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.EventStream;
import claude.code.api.events.Message;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.options.HistoryMode;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The backend on the real CLI against the mock Messages API. */
class BackendRealCliTest {
    static final Duration GUARD = Duration.ofSeconds(60);

    MockMessagesApi api;
    ClaudeTestHome home;

    @BeforeEach
    void start() {
        api = MockMessagesApi.start();
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

    /** Real sessions, pointed at the mock: the home's environment (test key, mock URL) is kept. */
    BackendOptions.Builder options() {
        return home.backendOptions().maxSessions(4);
    }

    static ResultMessage run(ClaudeCodeBackend backend, List<Message> messages) {
        try (EventStream turn = backend.complete(messages)) {
            ResultMessage result = turn.result();
            assertFalse(result.isError(), () -> "turn failed: " + result.errorText());
            return result;
        }
    }

    List<RecordedRequest> mainLoop() {
        return api.mainLoopRequests();
    }

    static String texts(JsonObject message) {
        return switch (message.get("content")) {
            case JsonString s -> s.value();
            case claude.code.api.json.JsonArray blocks -> blocks.stream().map(b -> b.toJson()).collect(Collectors.joining());
            default -> "";
        };
    }

    @Test
    void aThreeTurnConversationIsServedByOneCliProcess() {
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build())) {
            List<Message> conversation = new ArrayList<>(List.of(Message.user("first question")));
            for (String next : List.of("second question", "third question")) {
                ResultMessage result = run(backend, conversation);
                conversation.add(Message.assistant(result.finalText()));
                conversation.add(Message.user(next));
            }
            ResultMessage last = run(backend, conversation);
            assertTrue(last.finalText().startsWith("MOCK REPLY to: third question"), last.finalText());

            BackendMetrics metrics = backend.metrics();
            assertEquals(1, metrics.spawns());
            assertEquals(2, metrics.poolHits());
            Set<String> sessions = mainLoop().stream().map(r -> r.sessionId().orElseThrow()).collect(Collectors.toSet());
            assertEquals(1, sessions.size(), "one X-Claude-Code-Session-Id for all three turns");
            String lastRequest = mainLoop().getLast().messages().stream().map(BackendRealCliTest::texts)
                    .collect(Collectors.joining("\n"));
            assertTrue(lastRequest.contains("first question") && lastRequest.contains("second question"), lastRequest);
        }
    }

    @Test
    void aNewBackendSeedsHistoryItHasNotSeenAndTheApiReceivesAllOfIt() {
        List<Message> history = List.of(
                Message.user("hello seed"),
                Message.of(Message.Role.ASSISTANT, new ThinkingBlock("pondering the seed", "c2lnbmF0dXJlLXNlZWQ="),
                        new TextBlock("seed answer one")),
                Message.user("run the tool"),
                Message.of(Message.Role.ASSISTANT, new TextBlock("Running it."), new ToolUseBlock("toolu_seed_1", "Bash",
                        (JsonObject) Json.parse("{\"command\":\"echo seeded\",\"description\":\"Echo\"}"))),
                Message.of(Message.Role.USER, new ToolResultBlock("toolu_seed_1", new JsonString("seeded"), false)),
                Message.assistant("the tool said seeded"),
                Message.user("what happened so far?"));
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build())) {
            ResultMessage result = run(backend, history);
            assertEquals(1, backend.metrics().poolMisses());
            assertTrue(result.finalText().startsWith("MOCK REPLY to: what happened so far?"), result.finalText());
        }
        List<JsonObject> sent = mainLoop().getFirst().messages();
        String all = sent.stream().map(JsonObject::toJson).collect(Collectors.joining("\n"));
        for (String expected : List.of("hello seed", "seed answer one", "\"thinking\":\"pondering the seed\"",
                "\"signature\":\"c2lnbmF0dXJlLXNlZWQ=\"", "\"tool_use\"", "toolu_seed_1", "\"tool_result\"",
                "the tool said seeded", "what happened so far?")) {
            assertTrue(all.contains(expected), () -> "the API received " + expected + " in: " + all);
        }
        List<ContentBlock> toolCall = Message.fromJson(sent.stream()
                .filter(m -> m.toJson().contains("\"tool_use\"")).findFirst().orElseThrow(), 0).content();
        assertTrue(toolCall.stream().anyMatch(b -> b instanceof ToolUseBlock t && t.id().equals("toolu_seed_1")));
    }

    @Test
    void aPrestartedCliServesTheFirstMessageAndClosingStopsItsReplacement() throws Exception {
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().prestartSessions(1).build())) {
            long deadline = System.nanoTime() + GUARD.toNanos();
            while (home.strayProcesses().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20); // the spare starts in the background, before any request
            }
            assertFalse(home.strayProcesses().isEmpty(), "a spare CLI was started ahead of the request");
            ResultMessage result = run(backend, List.of(Message.user("hello spare")));
            assertTrue(result.finalText().startsWith("MOCK REPLY to: hello spare"), result.finalText());
            assertEquals(1, backend.metrics().poolMisses());
            assertEquals(1, backend.liveSessionCount());
        } // closes the pooled session and the replacement spare (checked by stop())
    }

    @Test
    void concatMessageModeFoldsTheHistoryIntoTheFirstPrompt() {
        List<Message> history = List.of(Message.user("My secret word is ALPHA-77."), Message.assistant("Got it: ALPHA-77."),
                Message.user("What is my secret word?"));
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().historyMode(HistoryMode.CONCAT_MESSAGE).build())) {
            run(backend, history);
        }
        RecordedRequest request = mainLoop().getFirst();
        String prompt = request.promptText();
        assertTrue(prompt.contains("My secret word is ALPHA-77.") && prompt.contains("Got it: ALPHA-77.")
                && prompt.contains("What is my secret word?"), prompt);
        long assistants = request.messages().stream().filter(m -> m.string("role").equals("assistant")).count();
        assertEquals(0, assistants, "a fresh session: the history arrives inside the first prompt, not as messages");
    }

    @Test
    void theMcpConfigFileIsPrivateWhileSessionsRunAndGoneAfterClose() throws Exception {
        JsonObject server = (JsonObject) Json.parse("{\"command\":\"/bin/true\",\"args\":[]}");
        Path config;
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().mcpServer("idle", server).build())) {
            run(backend, List.of(Message.user("hello with mcp")));
            long pid = backend.liveSessions().values().iterator().next().pid();
            String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
            int at = cmdline.indexOf("--mcp-config=");
            assertTrue(at >= 0, cmdline);
            config = Path.of(cmdline.substring(at + "--mcp-config=".length()).split(" ")[0]);
            assertTrue(Files.exists(config));
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(config));
            assertTrue(Files.readString(config).contains("\"idle\""));
        }
        assertFalse(Files.exists(config), "deleted on close");
    }
}
