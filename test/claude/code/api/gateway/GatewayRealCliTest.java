package claude.code.api.gateway;

import static claude.code.api.gateway.GatewayErrorsTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonValue;
import claude.code.api.testing.CliPeer;
import claude.code.api.testing.MessageEncoder;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway end to end: the official Anthropic and OpenAI SDKs (node, installed by the Makefile)
 * against the gateway on the real CLI and the mock Messages API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayRealCliTest {
    RealGateway g;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        g = RealGateway.start(c -> c.pingInterval(Duration.ofMillis(200)));
    }

    @AfterAll
    void stop() {
        g.close();
    }

    static List<JsonObject> objects(JsonValue array) {
        return ((JsonArray) array).stream().map(v -> (JsonObject) v).toList();
    }

    static String text(JsonObject message) {
        return objects(message.get("content")).stream().filter(b -> b.string("type").equals("text"))
                .map(b -> b.string("text")).reduce("", String::concat);
    }

    @Test
    void theAnthropicSdkHoldsAThreeTurnConversationOnOneCliSession() {
        JsonObject out = g.node("anthropic-sdk.cjs");
        List<JsonObject> turns = objects(out.get("turns"));
        assertEquals(3, turns.size());
        assertTrue(text(turns.get(0)).startsWith("MOCK REPLY to: first question from the Anthropic SDK"), text(turns.get(0)));
        assertTrue(text(turns.get(1)).startsWith("MOCK REPLY to: second question (Anthropic)"), text(turns.get(1)));
        assertTrue(text(turns.get(2)).startsWith("MOCK REPLY to: third question (Anthropic), streamed"), text(turns.get(2)));
        assertTrue(text(turns.get(2)).contains("nmsgs=6"), "the CLI sent the whole history: " + text(turns.get(2)));
        for (JsonObject m : turns) {
            assertEquals("message", m.string("type"));
            assertEquals("end_turn", m.string("stop_reason"));
            assertTrue(m.object("usage").integer("input_tokens") > 0, m.toString());
            assertTrue(m.object("usage").integer("output_tokens") > 0, m.toString());
        }
        assertEquals(text(turns.get(2)), out.string("streamText"), "the stream's text deltas add up to the final message");
        List<String> events = ((JsonArray) out.get("streamEvents")).stream().map(v -> ((claude.code.api.json.JsonString) v).value())
                .filter(e -> !e.equals("ping")).toList();
        // The mock sends one text_delta per word: through the relay, the client gets one content_block_delta for each.
        int words = MessageEncoder.words(text(turns.get(2))).size();
        List<String> expected = new ArrayList<>(List.of("message_start", "content_block_start"));
        expected.addAll(Collections.nCopies(words, "content_block_delta"));
        expected.addAll(List.of("content_block_stop", "message_delta", "message_stop"));
        assertTrue(words > 1, text(turns.get(2)));
        assertEquals(expected, events, "a token stream: one content_block_delta per upstream delta");

        Set<String> first = g.sessionsOf("first question from the Anthropic SDK");
        assertEquals(1, first.size());
        assertEquals(first, g.sessionsOf("second question (Anthropic)"), "turn 2 ran on turn 1's CLI session");
        assertEquals(first, g.sessionsOf("third question (Anthropic), streamed"), "turn 3 too");

        JsonObject lastNotUser = out.object("errors").object("lastNotUser");
        assertEquals(400, lastNotUser.integer("status"));
        assertEquals("invalid_request_error", lastNotUser.string("type"));
        assertEquals(400, out.object("errors").object("stopSequences").integer("status"));
    }

    @Test
    void theOpenAiSdkHoldsAThreeTurnConversationOnOneCliSession() {
        JsonObject out = g.node("openai-sdk.cjs");
        List<JsonObject> turns = objects(out.get("turns"));
        for (int i = 0; i < 2; i++) {
            JsonObject choice = objects(turns.get(i).get("choices")).getFirst();
            assertEquals("stop", choice.string("finish_reason"));
            assertTrue(choice.object("message").string("content").startsWith("MOCK REPLY to: "
                    + (i == 0 ? "first question from the OpenAI SDK" : "second question (OpenAI)")));
            JsonObject usage = turns.get(i).object("usage");
            assertTrue(usage.integer("prompt_tokens") > 0 && usage.integer("completion_tokens") > 0);
            assertEquals(usage.integer("prompt_tokens") + usage.integer("completion_tokens"), usage.integer("total_tokens"));
        }
        JsonObject stream = out.object("stream");
        assertTrue(stream.string("text").startsWith("MOCK REPLY to: third question (OpenAI), streamed"), stream.string("text"));
        assertEquals("stop", stream.string("finish"));
        assertTrue(stream.object("usage").integer("completion_tokens") > 0);
        Set<String> first = g.sessionsOf("first question from the OpenAI SDK");
        assertEquals(1, first.size());
        assertEquals(first, g.sessionsOf("second question (OpenAI)"), "turn 2 ran on turn 1's CLI session");
        assertEquals(first, g.sessionsOf("third question (OpenAI), streamed"), "turn 3 too");
        assertEquals(400, out.object("errors").object("n").integer("status"));
        String system = g.api.mainLoopRequests().stream().filter(r -> r.promptText().contains("OpenAI SDK"))
                .map(r -> Json.write(r.body().get("system"))).findFirst().orElseThrow();
        assertTrue(system.contains("You answer briefly."), "the system message reached the model's system prompt");
    }

    HttpResponse<String> post(String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(g.baseUrl() + "/v1/messages"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theCliToolUseShownAsTextAndEchoedBackStaysOnItsSession() throws Exception {
        String first = "{\"model\":\"claude-tools\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"look around USE_TOOL\"}]}";
        HttpResponse<String> r1 = post(first, "x-claude-code-tool-activity", "text");
        assertEquals(200, r1.statusCode(), r1.body());
        JsonObject m1 = (JsonObject) Json.parse(r1.body());
        List<String> texts = objects(m1.get("content")).stream().map(b -> b.string("text")).toList();
        assertEquals(4, texts.size(), texts.toString());
        assertEquals("Running a command.", texts.get(0));
        assertTrue(texts.get(1).startsWith("[tool_use id=") && texts.get(1).contains("name=Bash]\n{\"command\":\"echo mock-tool-output\""));
        assertTrue(texts.get(2).startsWith("[tool_result id=") && texts.get(2).contains("\nmock-tool-output\n[/tool_result]"), texts.get(2));
        assertTrue(texts.get(3).startsWith("MOCK REPLY after tool: mock-tool-output"));
        String session = r1.headers().firstValue("x-claude-code-session-id").orElseThrow();

        String second = "{\"model\":\"claude-tools\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"look around USE_TOOL\"},"
                + "{\"role\":\"assistant\",\"content\":" + Json.write(m1.get("content")) + "},"
                + "{\"role\":\"user\",\"content\":\"and now?\"}]}";
        HttpResponse<String> r2 = post(second);
        assertEquals(200, r2.statusCode(), r2.body());
        assertEquals(session, r2.headers().firstValue("x-claude-code-session-id").orElseThrow(), "a pool hit");
        assertTrue(text((JsonObject) Json.parse(r2.body())).startsWith("MOCK REPLY to: and now?"));
    }

    @Test
    void aClientLeavingMidStreamInterruptsTheRealTurnAndItsSessionEnds() throws Exception {
        String body = "{\"model\":\"claude-hang\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"wait for me HANG\"}]}";
        try (Socket s = new Socket(URI.create(g.baseUrl()).getHost(), URI.create(g.baseUrl()).getPort())) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("event: message_start")) {
                int c = in.read();
                assertNotEquals(-1, c, "the stream ended early: " + seen);
                seen.append((char) c);
            }
            g.api.awaitRequests(r -> r.promptText().contains("wait for me HANG"), 1, Duration.ofSeconds(60));
        }
        String session = g.sessionsOf("wait for me HANG").iterator().next();
        waitFor(() -> metrics().contains("claude_code_api_turns_total{outcome=\"client_gone\"} 1"));
        waitFor(() -> !sessions().contains(session));
        assertTrue(metrics().contains("claude_code_api_backend_interrupted_turns_total 1"), metrics());
    }

    @Test
    void adminListsTheLiveSessionsWithTheirScreens() throws Exception {
        HttpResponse<String> r = post("{\"model\":\"claude-admin\",\"messages\":[{\"role\":\"user\",\"content\":\"admin check\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        String id = r.headers().firstValue("x-claude-code-session-id").orElseThrow();
        JsonObject listed = objects(((JsonObject) Json.parse(sessions())).get("sessions")).stream()
                .filter(s -> s.string("session_id").equals(id)).findFirst().orElseThrow();
        assertTrue(listed.integer("pid") > 1);
        assertEquals("idle", listed.string("state"));
        assertEquals(1, listed.integer("turns"));
        assertTrue(ProcessHandle.of(listed.integer("pid")).map(ProcessHandle::isAlive).orElse(false), "the pid is the live CLI");
        String screen = get("/admin/sessions/" + id + "/screen");
        assertTrue(screen.contains("admin check"), "the screen shows the conversation:\n" + screen);
    }

    @Test
    void adminAndMetricsNameTheVersionOfTheCliTheSessionsRun() throws Exception {
        HttpResponse<String> r = post("{\"model\":\"claude-version\",\"messages\":[{\"role\":\"user\",\"content\":\"version check\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        String id = r.headers().firstValue("x-claude-code-session-id").orElseThrow();
        JsonObject listed = objects(((JsonObject) Json.parse(sessions())).get("sessions")).stream()
                .filter(s -> s.string("session_id").equals(id)).findFirst().orElseThrow();
        assertEquals(CliPeer.version(), listed.string("cli_version"));
        assertTrue(metrics().contains("claude_code_api_cli_info{version=\"" + CliPeer.version() + "\"} 1"), metrics());
    }

    String metrics() {
        return get("/metrics");
    }

    String sessions() {
        return get("/admin/sessions");
    }

    String get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(g.baseUrl() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
