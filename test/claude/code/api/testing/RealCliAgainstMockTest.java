package claude.code.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonValue;
import claude.code.api.testing.CliPeer.Run;
import claude.code.api.transcript.TranscriptPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pinned real CLI in print mode ({@code claude -p}) against the mock: the peer works end to end. */
class RealCliAgainstMockTest {

    private static final Duration GUARD = Duration.ofSeconds(90);

    private MockMessagesApi api;
    private ClaudeTestHome home;

    @BeforeEach
    void startMock() {
        api = MockMessagesApi.start();
    }

    @AfterEach
    void nothingLeftBehind() {
        try {
            if (home != null) {
                assertEquals(List.of(), home.strayProcesses(), "no process of this home still running");
                home.close();
                assertFalse(Files.exists(home.root()), "the test home is deleted");
            }
        } finally {
            api.close();
        }
        assertEquals(0, api.responsesInProgress());
    }

    private ClaudeTestHome home(UnaryOperator<ClaudeTestHome.Builder> options) {
        home = options.apply(ClaudeTestHome.builder(api)).build();
        return home;
    }

    @Test
    void plainPromptGetsTheMockReply() {
        Run run = CliPeer.run(home(b -> b), GUARD, "-p", "hello there");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("MOCK REPLY to: hello there | nmsgs=2", run.stdout().strip());
        List<RecordedRequest> requests = api.requests();
        assertEquals(1, requests.size(), "with nonessential traffic off, only the conversation: " + requests);
        RecordedRequest request = requests.getFirst();
        assertTrue(request.isMainLoop());
        assertEquals("/v1/messages", request.path());
        assertEquals("beta=true", request.query());
        assertTrue(request.isStreaming());
        assertEquals("hello there", request.promptText());
        assertEquals(ClaudeTestHome.API_KEY, request.header("x-api-key").orElseThrow());
        assertTrue(request.header("User-Agent").orElseThrow().startsWith("claude-cli/" + CliPeer.version()),
                request.header("User-Agent").orElseThrow());
    }

    @Test
    void requestsCarryTheSessionIdWhoseTranscriptAppears() throws IOException {
        Run run = CliPeer.run(home(b -> b), GUARD, "-p", "which session", "--output-format", "stream-json", "--verbose");
        assertEquals(0, run.exitCode(), run.stderr());
        JsonObject init = (JsonObject) Json.parse(run.stdoutLines().getFirst());
        assertEquals("init", init.string("subtype"));
        String sessionId = init.string("session_id");

        RecordedRequest request = api.mainLoopRequests().getFirst();
        assertEquals(sessionId, request.sessionId().orElseThrow());
        assertTrue(request.body().object("metadata").string("user_id").contains(sessionId));
        assertEquals(api.requests(), api.requestsForSession(sessionId));

        Path transcript = home.transcript(sessionId);
        assertEquals(List.of(transcript), home.transcripts(), "the transcript sits in the sanitised-cwd folder");
        List<JsonObject> records = records(transcript);
        assertTrue(records.stream().anyMatch(r -> r.string("type", "").equals("user")
                && r.object("message").get("content").equals(JsonValue.of("which session"))));
        assertEquals("MOCK REPLY to: which session | nmsgs=2", assistantTexts(records).getLast());
    }

    @Test
    void useToolMakesTheCliRunBashAndSendTheResultBack() {
        Run run = CliPeer.run(home(b -> b), GUARD, "-p", "please USE_TOOL now");
        assertEquals(0, run.exitCode(), run.stderr());
        List<RecordedRequest> requests = api.mainLoopRequests();
        assertEquals(2, requests.size());
        assertTrue(requests.getFirst().toolResults().isEmpty());

        RecordedRequest second = requests.get(1);
        JsonObject toolUse = second.messages().stream()
                .filter(m -> m.string("role").equals("assistant"))
                .flatMap(m -> RecordedRequest.blocksOfType(m, "tool_use").stream())
                .findFirst().orElseThrow();
        assertEquals("Bash", toolUse.string("name"));
        assertEquals("echo mock-tool-output", toolUse.object("input").string("command"));
        JsonObject result = second.toolResults().getFirst();
        assertEquals(toolUse.string("id"), result.string("tool_use_id"));
        assertEquals("mock-tool-output", result.string("content"), "Bash really ran");
        assertFalse(result.bool("is_error"));
        assertEquals("please USE_TOOL now", second.promptText(), "the prompt is still found during the tool round");
        assertEquals("MOCK REPLY after tool: mock-tool-output | nmsgs=4", run.stdout().strip());
    }

    @Test
    void thinkingReachesTheTranscriptWithItsSignature() throws IOException {
        Run run = CliPeer.run(home(b -> b), GUARD, "-p", "THINK about it");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("MOCK REPLY to: THINK about it | nmsgs=2", run.stdout().strip());
        JsonObject thinking = blocks(records(home.transcripts().getFirst()), "thinking").getFirst();
        assertEquals("Let me think about: THINK about it", thinking.string("thinking"));
        assertEquals(MockReply.signatureOf("Let me think about: THINK about it"), thinking.string("signature"));
    }

    @Test
    void redactedThinkingReachesTheTranscript() throws IOException {
        Run run = CliPeer.run(home(b -> b), GUARD, "-p", "REDACTED thoughts");
        assertEquals(0, run.exitCode(), run.stderr());
        JsonObject redacted = blocks(records(home.transcripts().getFirst()), "redacted_thinking").getFirst();
        assertEquals(MockReply.redactedThinking().data(), redacted.string("data"));
    }

    @Test
    void serverErrorWithOneRetryEndsTheTurnWithAnApiError() throws IOException {
        Run run = CliPeer.run(home(b -> b.maxRetries(1)), GUARD, "-p", "ERR500 now");
        assertEquals(1, run.exitCode());
        assertTrue(run.stdout().startsWith("API Error: 500 mock error 500"), run.stdout());
        assertEquals(2, api.mainLoopRequests().size(), "the request and one retry");
        JsonObject error = records(home.transcripts().getFirst()).stream()
                .filter(r -> r.findBool("isApiErrorMessage").orElse(false)).findFirst().orElseThrow();
        assertEquals(500, error.integer("apiErrorStatus"));
        assertEquals("server_error", error.string("error"));
    }

    @Test
    void transientErrorsAreRetriedUntilTheReplyComes() {
        Run run = CliPeer.run(home(b -> b.maxRetries(3)), GUARD, "-p", "ERR500x2 flaky");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("MOCK REPLY to: ERR500x2 flaky | nmsgs=2", run.stdout().strip());
        assertEquals(3, api.mainLoopRequests().size());
        assertEquals(List.of("0", "0", "0"), api.mainLoopRequests().stream()
                .map(r -> r.header("X-Stainless-Retry-Count").orElseThrow()).toList(),
                "the CLI retries by itself, not through the SDK");
    }

    @Test
    void brokenStreamIsRetriedWithoutStreaming() {
        Run run = CliPeer.run(home(b -> b), GUARD, "-p", "STREAMERR now");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("MOCK REPLY to: STREAMERR now | nmsgs=2", run.stdout().strip());
        assertEquals(List.of(true, false), api.mainLoopRequests().stream().map(RecordedRequest::isStreaming).toList());
    }

    @Test
    void hangingApiRunsIntoTheCliTimeout() {
        Run run = CliPeer.run(home(b -> b.maxRetries(0).env("API_TIMEOUT_MS", "2000")), GUARD, "-p", "HANG forever");
        assertEquals(1, run.exitCode());
        assertTrue(run.stdout().startsWith("Request timed out."), run.stdout());
        assertEquals(1, api.mainLoopRequests().size());
        // The hanging response is still held by the mock until it closes (checked after each test).
    }

    @Test
    void withNonessentialTrafficOnTheCliAlsoProbesReachability() {
        Run run = CliPeer.run(home(b -> b.unsetEnv("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC")), GUARD, "-p", "hi");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(List.of(RecordedRequest.Kind.CONNECTIVITY_CHECK, RecordedRequest.Kind.MAIN_LOOP),
                api.requests().stream().map(RecordedRequest::kind).toList());
        assertTrue(api.requests().getFirst().sessionId().isEmpty(), "the probe carries no session");
    }

    @Test
    void longCwdGetsACutAndHashedProjectFolder() throws IOException {
        home(b -> b);
        Path deep = home.workspace();
        while (deep.toString().length() <= 230) {
            deep = deep.resolve("a.rather-long_directory.name");
        }
        Files.createDirectories(deep);
        Run run = CliPeer.run(home, deep, GUARD, "-p", "deep");
        assertEquals(0, run.exitCode(), run.stderr());
        String name = TranscriptPaths.projectDirName(deep.toString());
        assertTrue(name.length() > 200 && name.charAt(200) == '-', name);
        String sessionId = api.mainLoopRequests().getFirst().sessionId().orElseThrow();
        assertTrue(Files.exists(home.projectDir(deep).resolve(sessionId + ".jsonl")),
                "transcript under projects/" + name);
    }

    // --- transcript helpers ----------------------------------------------------------------------

    private static List<JsonObject> records(Path transcript) throws IOException {
        return Files.readAllLines(transcript).stream().filter(l -> !l.isBlank())
                .map(l -> (JsonObject) Json.parse(l)).toList();
    }

    private static List<JsonObject> blocks(List<JsonObject> records, String type) {
        return records.stream()
                .filter(r -> r.string("type", "").equals("assistant"))
                .flatMap(r -> RecordedRequest.blocksOfType(r.object("message"), type).stream())
                .toList();
    }

    private static List<String> assistantTexts(List<JsonObject> records) {
        return blocks(records, "text").stream().map(b -> b.string("text")).toList();
    }
}
