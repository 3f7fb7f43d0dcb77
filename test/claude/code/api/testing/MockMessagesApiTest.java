package claude.code.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.testing.RecordedRequest.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mock's wire format, read by a plain HTTP client as the CLI's SDK would read it. */
class MockMessagesApiTest {

    private static final Duration GUARD = Duration.ofSeconds(20);

    private MockMessagesApi api;
    private HttpClient client;

    private long dispatchersBefore;

    @BeforeEach
    void start() {
        dispatchersBefore = httpDispatcherThreads();
        api = MockMessagesApi.start();
        client = HttpClient.newBuilder().connectTimeout(GUARD).build();
    }

    @AfterEach
    void stop() {
        client.close();
        api.close();
        assertEquals(0, api.responsesInProgress(), "every response finished or was released");
        assertEquals(dispatchersBefore, httpDispatcherThreads(), "the server's dispatcher thread ended");
    }

    private static long httpDispatcherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("HTTP-Dispatcher")).count();
    }

    /** One parsed server-sent event. */
    record Sse(String event, JsonObject data) {}

    @Test
    void plainPromptStreamsTheFullEventSequence() throws Exception {
        List<Sse> events = stream(conversation("hello there"));
        assertEquals(List.of("message_start", "ping", "content_block_start", "content_block_delta", "content_block_delta",
                        "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
                        "content_block_delta", "content_block_stop", "message_delta", "message_stop"),
                events.stream().map(Sse::event).toList());
        for (Sse e : events) {
            assertEquals(e.event(), e.data().string("type"), "each data line repeats its event name as type");
        }
        assertEquals("MOCK REPLY to: hello there | nmsgs=2", text(events, 0));
        JsonObject message = events.getFirst().data().object("message");
        assertEquals("assistant", message.string("role"));
        assertEquals("claude-test-model", message.string("model"));
        assertTrue(message.array("content").isEmpty());
        assertEquals("end_turn", events.get(events.size() - 2).data().object("delta").string("stop_reason"));
    }

    @Test
    void usageIsDeterministicAndNonZero() throws Exception {
        List<Sse> first = stream(conversation("same prompt"));
        List<Sse> second = stream(conversation("same prompt"));
        long input = first.getFirst().data().object("message").object("usage").integer("input_tokens");
        long output = first.get(first.size() - 2).data().object("usage").integer("output_tokens");
        assertEquals(20, input, "10 per message in the request");
        assertTrue(output > 0);
        assertEquals(input, second.getFirst().data().object("message").object("usage").integer("input_tokens"));
        assertEquals(output, second.get(second.size() - 2).data().object("usage").integer("output_tokens"));
    }

    @Test
    void toolUseStreamsItsInputInSeveralJsonPieces() throws Exception {
        List<Sse> events = stream(conversation("please USE_TOOL"));
        assertEquals("Running a command.", text(events, 0));
        JsonObject start = blockStart(events, 1);
        assertEquals("tool_use", start.string("type"));
        assertEquals("Bash", start.string("name"));
        assertTrue(start.string("id").startsWith("toolu_"));
        assertEquals(JsonObject.EMPTY, start.object("input"));
        List<String> pieces = deltas(events, 1, "input_json_delta", "partial_json");
        assertTrue(pieces.size() >= 3, "input arrives in pieces: " + pieces);
        JsonObject input = (JsonObject) Json.parse(String.join("", pieces));
        assertEquals("echo mock-tool-output", input.string("command"));
        assertEquals("tool_use", events.get(events.size() - 2).data().object("delta").string("stop_reason"));
    }

    @Test
    void toolResultGetsTheFinalReplyQuotingIt() throws Exception {
        JsonArray messages = JsonArray.of(
                user("please USE_TOOL"),
                JsonObject.builder().put("role", "system").put("content", "env").build(),
                JsonObject.builder().put("role", "assistant").put("content", JsonArray.of(JsonObject.builder()
                        .put("type", "tool_use").put("id", "toolu_1").put("name", "Bash")
                        .put("input", JsonObject.EMPTY).build())).build(),
                JsonObject.builder().put("role", "user").put("content", JsonArray.of(JsonObject.builder()
                        .put("type", "tool_result").put("tool_use_id", "toolu_1").put("content", "mock-tool-output")
                        .build())).build());
        List<Sse> events = stream(messages);
        assertEquals("MOCK REPLY after tool: mock-tool-output | nmsgs=4", text(events, 0));
    }

    @Test
    void thinkingStreamsThinkingDeltasThenASignature() throws Exception {
        List<Sse> events = stream(conversation("THINK hard"));
        JsonObject start = blockStart(events, 0);
        assertEquals("thinking", start.string("type"));
        assertEquals("", start.string("signature"));
        String thought = String.join("", deltas(events, 0, "thinking_delta", "thinking"));
        assertEquals("Let me think about: THINK hard", thought);
        assertEquals(List.of(MockReply.signatureOf(thought)), deltas(events, 0, "signature_delta", "signature"));
        assertEquals("MOCK REPLY to: THINK hard | nmsgs=2", text(events, 1));
    }

    @Test
    void redactedThinkingArrivesWholeInItsBlockStart() throws Exception {
        List<Sse> events = stream(conversation("REDACTED please"));
        JsonObject start = blockStart(events, 0);
        assertEquals("redacted_thinking", start.string("type"));
        assertFalse(start.string("data").isEmpty());
        assertTrue(deltas(events, 0, "text_delta", "text").isEmpty());
        assertEquals("MOCK REPLY to: REDACTED please | nmsgs=2", text(events, 1));
    }

    @Test
    void slowRepliesCarryTheSameEventsAsFastOnes() throws Exception {
        List<Sse> events = stream(conversation("SLOW0p01 go"));
        assertEquals("MOCK REPLY to: SLOW0p01 go | nmsgs=2", text(events, 0));
        assertEquals("message_stop", events.getLast().event());
    }

    @Test
    void eachRequestRecordsWhenItArrivedAndWhenItsResponseFinished() throws Exception {
        long before = System.nanoTime();
        stream(conversation("SLOW0p01 timed"));
        RecordedRequest request = api.mainLoopRequests().getFirst();
        // The handler records the timing after the exchange is closed.
        MockMessagesApi.Timing timing = api.awaitTiming(request, GUARD);
        assertTrue(timing.receivedNanos() >= before, "received after the request was sent");
        assertTrue(timing.finishedNanos() <= System.nanoTime());
        // SLOW0p01 waits 10 ms before each of the reply's deltas: the span covers them.
        assertTrue(timing.nanos() >= TimeUnit.MILLISECONDS.toNanos(50), () -> "span " + timing.nanos() + " ns");
    }

    @Test
    void forgottenRequestsAreNoLongerListed() throws Exception {
        stream(conversation("first"));
        api.forgetRequests();
        assertEquals(List.of(), api.requests());
        stream(conversation("second"));
        assertEquals(1, api.mainLoopRequests().size());
        assertTrue(api.mainLoopRequests().getFirst().promptText().contains("second"));
    }

    @Test
    void longReplyHasTheRequestedNumberOfLines() throws Exception {
        List<Sse> events = stream(conversation("LONGREPLY7"));
        List<String> lines = text(events, 0).lines().toList();
        assertEquals(7, lines.size());
        assertEquals("Line 007 of 7: the quick brown fox jumps over the lazy dog.", lines.getLast());
    }

    @Test
    void streamErrorEndsWithAnErrorEventInsteadOfMessageStop() throws Exception {
        List<Sse> events = stream(conversation("STREAMERR now"));
        assertEquals("error", events.getLast().event());
        assertEquals("overloaded_error", events.getLast().data().object("error").string("type"));
        assertEquals("content_block_delta", events.get(events.size() - 2).event(), "the error cuts the block short");
        assertTrue(events.stream().noneMatch(e -> e.event().equals("message_stop")));
    }

    @Test
    void dropStartsTheStreamThenEndsTheConnectionShortOfItsDeclaredLength() throws Exception {
        HttpResponse<java.io.InputStream> response = client.send(request("/v1/messages?beta=true",
                body(conversation("DROP now"), true), true), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        IOException broken = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> {
            try (java.io.InputStream in = response.body()) {
                in.transferTo(got);
            }
        });
        String partial = got.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(partial.contains("event: content_block_delta"), "the stream began: " + partial);
        assertTrue(!partial.contains("message_stop"), "and never ended: " + partial + " (" + broken + ")");
        assertTrue(Procfs.await(GUARD, () -> api.responsesInProgress() == 0), "the mock's handler is done");
    }

    @Test
    void eachStreamedDeltaRecordsWhenItWasSentInOrder() throws Exception {
        List<Sse> events = stream(conversation("a few words to stream"));
        long deltas = events.stream().filter(e -> e.event().equals("content_block_delta")).count();
        List<Long> sent = api.deltaSentNanos(api.mainLoopRequests().getLast());
        assertEquals(deltas, sent.size());
        for (int i = 1; i < sent.size(); i++) {
            assertTrue(sent.get(i) >= sent.get(i - 1), "in order: " + sent);
        }
    }

    @Test
    void nonStreamingRetryOfABrokenStreamGetsTheWholeMessage() throws Exception {
        HttpResponse<String> response = post("/v1/messages", body(conversation("STREAMERR now"), false));
        assertEquals(200, response.statusCode());
        JsonObject message = (JsonObject) Json.parse(response.body());
        assertEquals("MOCK REPLY to: STREAMERR now | nmsgs=2", message.array("content").object(0).string("text"));
    }

    @Test
    void errorKeywordAnswersWithTheApiErrorBody() throws Exception {
        HttpResponse<String> response = post("/v1/messages?beta=true", body(conversation("ERR500"), true));
        assertEquals(500, response.statusCode());
        JsonObject error = (JsonObject) Json.parse(response.body());
        assertEquals("error", error.string("type"));
        assertEquals("api_error", error.object("error").string("type"));
        assertEquals("mock error 500", error.object("error").string("message"));
        assertTrue(response.headers().firstValue("retry-after").isEmpty());
    }

    @Test
    void rateLimitCarriesRetryAfter() throws Exception {
        HttpResponse<String> response = post("/v1/messages", body(conversation("ERR429"), true));
        assertEquals(429, response.statusCode());
        assertEquals("rate_limit_error", ((JsonObject) Json.parse(response.body())).object("error").string("type"));
        assertEquals("1", response.headers().firstValue("retry-after").orElseThrow());
    }

    @Test
    void transientErrorsFailOnlyTheFirstNIdenticalRequests() throws Exception {
        String request = body(conversation("ERR503x2 flaky"), true);
        assertEquals(503, post("/v1/messages", request).statusCode());
        assertEquals(503, post("/v1/messages", request).statusCode());
        assertEquals(200, post("/v1/messages", request).statusCode());
    }

    @Test
    void nonStreamingRequestGetsOneJsonMessage() throws Exception {
        HttpResponse<String> response = post("/v1/messages", body(conversation("THINK plain"), false));
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
        JsonObject message = (JsonObject) Json.parse(response.body());
        assertEquals("message", message.string("type"));
        assertEquals("end_turn", message.string("stop_reason"));
        JsonArray content = message.array("content");
        assertEquals("thinking", content.object(0).string("type"));
        assertEquals("MOCK REPLY to: THINK plain | nmsgs=2", content.object(1).string("text"));
        assertTrue(message.object("usage").integer("output_tokens") > 0);
    }

    @Test
    void hangingResponseIsReleasedByClose() throws Exception {
        CompletableFuture<HttpResponse<String>> pending = client.sendAsync(
                request("/v1/messages", body(conversation("HANG")), true), HttpResponse.BodyHandlers.ofString());
        api.awaitRequests(RecordedRequest::isMainLoop, 1, GUARD);
        assertEquals(1, api.responsesInProgress());
        assertFalse(pending.isDone());
        api.close();
        assertEquals(0, api.responsesInProgress());
        // The client sees the connection end without an answer.
        Exception failure = assertThrows(Exception.class, () -> pending.get(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, failure.getCause(), failure.toString());
    }

    @Test
    void closedMockRefusesConnections() throws Exception {
        URI base = api.baseUrl();
        api.close();
        Exception failure = assertThrows(Exception.class, () -> client.send(
                HttpRequest.newBuilder(base.resolve("/v1/messages")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertInstanceOf(ConnectException.class, failure, failure.toString());
    }

    @Test
    void customResponderAnswersMainLoopRequests() throws Exception {
        api.respondWith(r -> MockReply.thinkingThenText("custom thought", "custom text"));
        List<Sse> events = stream(conversation("anything"));
        assertEquals("custom thought", String.join("", deltas(events, 0, "thinking_delta", "thinking")));
        assertEquals("custom text", text(events, 1));
    }

    @Test
    void failingResponderBecomesA500NamingTheFailure() throws Exception {
        api.respondWith(r -> {
            throw new IllegalStateException("scripted failure");
        });
        HttpResponse<String> response = post("/v1/messages", body(conversation("x"), true));
        assertEquals(500, response.statusCode());
        assertTrue(response.body().contains("scripted failure"), response.body());
    }

    @Test
    void recordsHeadersBodyAndSession() throws Exception {
        stream(conversation("first"), "session-a");
        stream(conversation("second"), "session-b");
        List<RecordedRequest> all = api.requests();
        assertEquals(2, all.size());
        RecordedRequest first = all.getFirst();
        assertEquals("POST", first.method());
        assertEquals("/v1/messages", first.path());
        assertEquals("beta=true", first.query());
        assertEquals("session-a", first.header("x-claude-code-session-id").orElseThrow(), "names are case-insensitive");
        assertEquals("first", first.promptText());
        assertTrue(first.isStreaming());
        assertEquals(List.of("second"), api.requestsForSession("session-b").stream().map(RecordedRequest::promptText).toList());
        assertEquals(2, api.mainLoopRequests().size());
        assertFalse(first.toString().contains(ClaudeTestHome.API_KEY), "toString never shows the key");
    }

    @Test
    void titleQueriesAreSideRequestsAnsweredWithJson() throws Exception {
        String titleRequest = JsonObject.builder()
                .put("model", "claude-test-model").put("max_tokens", 100).put("stream", true)
                .put("messages", JsonArray.of(user("<session>\nhello\n</session>")))
                .put("output_config", JsonObject.builder().put("format", JsonObject.builder()
                        .put("type", "json_schema").build()).build())
                .build().toJson();
        List<Sse> events = parse(post("/v1/messages?beta=true", titleRequest));
        assertEquals("{\"title\":\"Mock session title\"}", text(events, 0));
        assertEquals(Kind.SIDE_QUERY, api.requests().getFirst().kind());
        assertTrue(api.mainLoopRequests().isEmpty());
    }

    @Test
    void countTokensAnswersAnEstimate() throws Exception {
        HttpResponse<String> response = post("/v1/messages/count_tokens?beta=true", body(conversation("count me"), false));
        assertEquals(200, response.statusCode());
        assertTrue(((JsonObject) Json.parse(response.body())).integer("input_tokens") > 0);
        assertEquals(Kind.COUNT_TOKENS, api.requests().getFirst().kind());
    }

    @Test
    void unknownPathsAre404AndListed() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(api.baseUrl().resolve("/v1/models")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, response.statusCode());
        assertEquals("not_found_error", ((JsonObject) Json.parse(response.body())).object("error").string("type"));
        assertEquals(List.of("/v1/models"), api.unexpectedRequests().stream().map(RecordedRequest::path).toList());
    }

    @Test
    void invalidJsonBodyIsA400NamingTheOffset() throws Exception {
        HttpResponse<String> response = post("/v1/messages", "{\"model\": ");
        assertEquals(400, response.statusCode());
        JsonObject error = ((JsonObject) Json.parse(response.body())).object("error");
        assertEquals("invalid_request_error", error.string("type"));
        assertTrue(error.string("message").startsWith("request body is not valid JSON at byte 10"), error.string("message"));
        assertTrue(api.requests().getFirst().bodyError() != null);
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** What the CLI sends on a first turn: the prompt (after a reminder), then its environment entry. */
    private static JsonArray conversation(String prompt) {
        JsonObject userMessage = JsonObject.builder().put("role", "user").put("content", JsonArray.of(
                JsonObject.builder().put("type", "text").put("text", "<system-reminder>\nignore me USE_TOOL\n</system-reminder>\n").build(),
                JsonObject.builder().put("type", "text").put("text", prompt).build())).build();
        JsonObject system = JsonObject.builder().put("role", "system").put("content", "# Environment").build();
        return JsonArray.of(userMessage, system);
    }

    private static JsonObject user(String text) {
        return JsonObject.builder().put("role", "user").put("content", text).build();
    }

    private static String body(JsonArray messages, boolean stream) {
        return JsonObject.builder().put("model", "claude-test-model").put("max_tokens", 1000)
                .put("messages", messages).put("stream", stream).build().toJson();
    }

    private static String body(JsonArray messages) {
        return body(messages, true);
    }

    private HttpRequest request(String path, String body, boolean withSession) {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.baseUrl().resolve(path)).timeout(GUARD)
                .header("content-type", "application/json").header("x-api-key", ClaudeTestHome.API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (withSession) {
            b.header("X-Claude-Code-Session-Id", "session-x");
        }
        return b.build();
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return client.send(request(path, body, true), HttpResponse.BodyHandlers.ofString());
    }

    private List<Sse> stream(JsonArray messages) throws IOException, InterruptedException {
        return parse(post("/v1/messages?beta=true", body(messages, true)));
    }

    private List<Sse> stream(JsonArray messages, String sessionId) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(api.baseUrl().resolve("/v1/messages?beta=true")).timeout(GUARD)
                .header("X-Claude-Code-Session-Id", sessionId)
                .POST(HttpRequest.BodyPublishers.ofString(body(messages, true))).build();
        return parse(client.send(r, HttpResponse.BodyHandlers.ofString()));
    }

    /** Parses an SSE body strictly: {@code event:} then {@code data:} then a blank line, nothing else. */
    private static List<Sse> parse(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("text/event-stream; charset=utf-8", response.headers().firstValue("content-type").orElseThrow());
        assertTrue(response.body().endsWith("\n\n"), "the stream ends after a complete event");
        List<Sse> events = new ArrayList<>();
        for (String frame : response.body().split("\n\n")) {
            String[] lines = frame.split("\n");
            assertEquals(2, lines.length, "one event line and one data line: " + frame);
            assertTrue(lines[0].startsWith("event: "), frame);
            assertTrue(lines[1].startsWith("data: "), frame);
            events.add(new Sse(lines[0].substring(7), (JsonObject) Json.parse(lines[1].substring(6))));
        }
        return events;
    }

    private static JsonObject blockStart(List<Sse> events, int index) {
        return events.stream()
                .filter(e -> e.event().equals("content_block_start") && e.data().integer("index") == index)
                .findFirst().orElseThrow().data().object("content_block");
    }

    private static List<String> deltas(List<Sse> events, int index, String deltaType, String field) {
        return events.stream()
                .filter(e -> e.event().equals("content_block_delta") && e.data().integer("index") == index)
                .map(e -> e.data().object("delta"))
                .filter(d -> d.string("type").equals(deltaType))
                .map(d -> d.string(field))
                .toList();
    }

    private static String text(List<Sse> events, int index) {
        assertEquals("text", blockStart(events, index).string("type"));
        return String.join("", deltas(events, index, "text_delta", "text"));
    }
}
