package claude.code.api.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.Message;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.CliPeer;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed format against the pinned real CLI (print mode, {@code claude -p --resume <id>}) and
 * the mock Messages API: the CLI loads the seed and sends every seeded message to the API as
 * written: text, the tool use / tool result pair, thinking with its signature.
 */
class SeedTranscriptRealCliTest {
    private static final Duration GUARD = Duration.ofSeconds(90);

    static final ThinkingBlock THINKING = new ThinkingBlock("I should note the word.", "c2lnbmF0dXJlLXNlZWQ=");
    static final ToolUseBlock TOOL_USE = new ToolUseBlock("toolu_seed_1", "Bash",
            (JsonObject) Json.parse("{\"command\":\"echo noted\",\"description\":\"Note it\"}"));
    static final ToolResultBlock TOOL_RESULT = new ToolResultBlock("toolu_seed_1", new JsonString("noted"), false);
    static final List<Message> HISTORY = List.of(
            Message.user("My secret word is ALPHA-77."),
            Message.assistant(THINKING, new TextBlock("Let me note it."), TOOL_USE),
            Message.user(TOOL_RESULT),
            Message.assistant("Got it: ALPHA-77."));

    private MockMessagesApi api;
    private ClaudeTestHome home;

    @BeforeEach
    void start() {
        api = MockMessagesApi.start();
        home = ClaudeTestHome.builder(api).maxRetries(1).build();
    }

    @AfterEach
    void stop() {
        try {
            assertEquals(List.of(), home.strayProcesses());
            home.close();
        } finally {
            api.close();
        }
    }

    @Test
    void aSeededDocumentReachesTheApiAsADocumentBlock() throws Exception {
        String sessionId = UUID.randomUUID().toString();
        String pdf = java.util.Base64.getEncoder().encodeToString("%PDF-1.4\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        claude.code.api.events.DocumentBlock document = new claude.code.api.events.DocumentBlock(
                new claude.code.api.events.MediaSource.Base64("application/pdf", pdf));
        SeedTranscript.write(home.transcript(sessionId), sessionId, List.of(
                Message.of(Message.Role.USER, document, new TextBlock("DOC-SEEDED read this")), Message.assistant("Read it.")));
        CliPeer.Run run = CliPeer.run(home, GUARD, "-p", "what did it say?", "--resume", sessionId);
        assertEquals(0, run.exitCode(), run.stderr());
        JsonObject first = api.requestsForSession(sessionId).getFirst().messages().getFirst();
        JsonObject block = first.array("content").object(0);
        assertEquals("document", block.string("type"), first.toString());
        assertEquals(pdf, block.object("source").string("data"));
    }

    @Test
    void theCliSendsEverySeededMessageToTheApi() throws Exception {
        String sessionId = UUID.randomUUID().toString();
        Path transcript = home.transcript(sessionId);
        long size = SeedTranscript.write(transcript, sessionId, HISTORY);
        byte[] seed = Files.readAllBytes(transcript);

        CliPeer.Run plain = CliPeer.run(home, GUARD, "-p", "which model");
        assertEquals(0, plain.exitCode(), plain.stderr());
        String defaultModel = api.mainLoopRequests().getFirst().model();

        CliPeer.Run run = CliPeer.run(home, GUARD, "-p", "What is my secret word?", "--resume", sessionId);
        assertEquals(0, run.exitCode(), run.stderr());

        List<RecordedRequest> requests = api.requestsForSession(sessionId);
        assertEquals(1, requests.size(), requests.toString());
        RecordedRequest request = requests.getFirst();
        assertEquals(defaultModel, request.model(), "the seed does not switch the session's model");
        assertEquals(sessionId, request.sessionId().orElseThrow(), "the resumed session keeps its id");
        assertEquals("What is my secret word?", request.promptText());
        List<JsonObject> messages = request.messages().stream().filter(m -> !m.string("role").equals("system")).toList();
        assertEquals(List.of("user", "assistant", "user", "assistant", "user"),
                messages.stream().map(m -> m.string("role")).toList(), messages.toString());

        assertEquals(List.of("My secret word is ALPHA-77."), texts(messages.get(0)));
        JsonArray first = messages.get(1).array("content");
        assertEquals(THINKING.toJson(), apiFields(first.object(0), "type", "thinking", "signature"),
                "thinking with its signature intact");
        assertEquals("Let me note it.", first.object(1).string("text"));
        assertEquals(TOOL_USE.toJson(), apiFields(first.object(2), "type", "id", "name", "input"));
        assertEquals(3, first.size());
        JsonObject result = messages.get(2).array("content").object(0);
        assertEquals("tool_result", result.string("type"));
        assertEquals("toolu_seed_1", result.string("tool_use_id"));
        assertEquals("noted", result.string("content"));
        assertEquals(List.of("Got it: ALPHA-77."), texts(messages.get(3)));

        byte[] after = Files.readAllBytes(transcript);
        assertTrue(after.length > size, "the CLI appended its records");
        assertTrue(Arrays.equals(seed, Arrays.copyOf(after, seed.length)), "the seed bytes are untouched");
        assertFalse(new String(after, java.nio.charset.StandardCharsets.UTF_8).contains("No response requested."),
                "a seed ending on an assistant record needs no synthetic reply");
    }

    static List<String> texts(JsonObject message) {
        return message.array("content").stream().map(JsonObject.class::cast)
                .filter(b -> b.string("type").equals("text")).map(b -> b.string("text")).toList();
    }

    /** The block with only the given members (the CLI may add its own, e.g. cache_control). */
    static JsonObject apiFields(JsonObject block, String... names) {
        JsonObject.Builder b = JsonObject.builder();
        for (String name : names) {
            b.put(name, block.get(name));
        }
        return b.build();
    }
}
