package claude.code.api.gateway;

import static claude.code.api.gateway.GatewayFixture.json;
import static claude.code.api.gateway.GatewayFixture.messagesBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile and broken requests: each gets its documented status and a JSON error that names the
 * problem, and the gateway goes on serving.
 */
@Timeout(120)
class GatewayFaultsTest {

    static void assertBadRequest(HttpResponse<String> r, String messageStart) {
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        JsonObject e = json(r).object("error");
        assertEquals("invalid_request_error", e.string("type"));
        assertTrue(e.string("message").startsWith(messageStart), () -> "message: " + e.string("message"));
    }

    static void assertStillServing(GatewayFixture g) {
        assertEquals(200, g.get("/health").statusCode());
        HttpResponse<String> r = g.post("/v1/messages", messagesBody("", "are you still there?"));
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void invalidUtf8InTheBodyIsA400NamingTheByteOffset() {
        try (GatewayFixture g = GatewayFixture.start()) {
            byte[] prefix = "{\"messages\":[{\"role\":\"user\",\"content\":\"h".getBytes(StandardCharsets.US_ASCII);
            byte[] body = new byte[prefix.length + 5];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            body[prefix.length] = (byte) 0xC3; // a two-byte sequence cut by a quote
            System.arraycopy("\"}]}".getBytes(StandardCharsets.US_ASCII), 0, body, prefix.length + 1, 4);
            HttpResponse<String> r = g.send(HttpRequest.newBuilder(g.uri("/v1/messages")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
            assertBadRequest(r, "the request body is not valid JSON: invalid UTF-8");
            assertTrue(json(r).object("error").string("message").contains("offset " + prefix.length), r.body());
            assertEquals(0, g.sessions.launches.size());
            assertStillServing(g);
        }
    }

    @Test
    void aMillionLevelsOfNestingAreA400NotAStackOverflow() {
        try (GatewayFixture g = GatewayFixture.start()) {
            String deep = "{\"messages\":" + "[".repeat(1_000_000) + "]".repeat(1_000_000) + "}";
            assertBadRequest(g.post("/v1/messages", deep), "the request body is not valid JSON");
            assertBadRequest(g.post("/v1/chat/completions", deep), "the request body is not valid JSON");
            assertStillServing(g);
        }
    }

    @Test
    void aConversationOfTenThousandMessagesIsServed() {
        try (GatewayFixture g = GatewayFixture.start()) {
            String[] texts = new String[10_001];
            for (int i = 0; i < texts.length; i++) {
                texts[i] = "message " + i;
            }
            HttpResponse<String> r = g.post("/v1/messages", messagesBody("", texts));
            assertEquals(200, r.statusCode(), () -> r.body().substring(0, Math.min(500, r.body().length())));
            assertEquals(1, g.sessions.launches.size());
            String seed = g.sessions.seeds.getFirst();
            assertTrue(seed.contains("message 0\"") && seed.contains("message 9999\""), "every message of the history is seeded");
            assertEquals(List.of("message 10000"), g.sessions.sessions.getFirst().prompts, "only the last one is typed");
        }
    }

    @Test
    void aClientStringQuotedInAnErrorIsJsonEscapedAndShortened() {
        String hostile = "</script><script>alert(1)</script>\"\\\u0000\u2028\n" + "x".repeat(100_000);
        try (GatewayFixture g = GatewayFixture.start()) {
            String block = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":" + Json.quote(hostile) + "}]}]}";
            String role = "{\"messages\":[{\"role\":" + Json.quote(hostile) + ",\"content\":\"hi\"}]}";
            for (HttpResponse<String> r : List.of(g.post("/v1/messages", block), g.post("/v1/messages", role),
                    g.post("/v1/chat/completions", role), g.post("/v1/chat/completions",
                            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":" + Json.quote(hostile) + "}]}]}"))) {
                assertEquals(400, r.statusCode(), () -> r.body().substring(0, Math.min(500, r.body().length())));
                assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
                assertEquals("nosniff", r.headers().firstValue("x-content-type-options").orElseThrow());
                assertTrue(r.body().length() < 1000, () -> "the client's string is not echoed whole: " + r.body().length() + " chars");
                assertTrue(!r.body().contains("<script>") || r.body().contains("\\\"\\\\"), "an excerpt, escaped as JSON");
                String message = json(r).object("error").string("message");
                assertTrue(message.startsWith("messages[0]."), message);
                assertTrue(!message.contains("\n") && !message.contains("\u0000"), () -> "no raw control characters: " + message);
            }
        }
    }

    @Test
    void aBodyStreamedFarPastTheLimitIsCutOffAt413WithoutBeingRead() throws IOException {
        int limit = 1 << 20;
        try (GatewayFixture g = GatewayFixture.start(c -> c.maxBodyBytes(limit));
                Socket s = new Socket(g.server.address().getAddress(), g.server.address().getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("10000\r\n" + "[".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            long sent = 0;
            long oneGigabyte = 1L << 30;
            try {
                while (sent < oneGigabyte) {
                    out.write(chunk);
                    sent += 0x10000;
                }
            } catch (IOException closedByTheServer) {
                // expected: the server answered and closed instead of reading a gigabyte
            }
            assertTrue(sent < 64L * limit, "the server stopped reading after about the limit; the client got " + sent + " bytes out");
            String response = new String(s.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 413"), response.lines().findFirst().orElse(""));
            assertTrue(response.contains("request_too_large"), response);
            assertStillServing(g);
        }
    }

    @Test
    void twoHundredConcurrentConnectionsAreAllAnsweredAndTheServerGoesOnServing() throws Exception {
        try (GatewayFixture g = GatewayFixture.start(c -> c, o -> o.maxSessions(8).acquireTimeout(Duration.ofSeconds(60)));
                ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Socket> idle = new ArrayList<>(); // half-sent requests hold 100 of the connections
            try {
                for (int i = 0; i < 100; i++) {
                    Socket s = new Socket(g.server.address().getAddress(), g.server.address().getPort());
                    s.getOutputStream().write("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le".getBytes(StandardCharsets.US_ASCII));
                    idle.add(s);
                }
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    String body = i % 4 == 3 ? "{\"messages\": [" : messagesBody(i % 2 == 0 ? "" : "\"stream\":true", "client " + i);
                    answers.add(clients.submit(() -> http.send(HttpRequest.newBuilder(g.uri("/v1/messages"))
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(90))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())));
                }
                for (int i = 0; i < answers.size(); i++) {
                    HttpResponse<String> r = answers.get(i).get();
                    int expected = i % 4 == 3 ? 400 : 200;
                    assertEquals(expected, r.statusCode(), r.body());
                    if (expected == 200) {
                        assertTrue(r.body().contains("client " + i), "each answer is its own request's");
                    }
                }
                long live = g.sessions.sessions.stream().filter(s -> !s.closed()).count();
                assertTrue(live <= 8, "live sessions stay within the pool: " + live);
                assertStillServing(g);
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
        }
    }

    @Test
    void unknownFieldsOfEveryNameAreIgnoredAndRememberedOnlyUpToABound() {
        FieldPolicy policy = new FieldPolicy();
        for (int i = 0; i < 100_000; i++) {
            policy.ignored("messages", "field_" + i, "unknown");
        }
        assertEquals(FieldPolicy.MAX_LOGGED_FIELDS, policy.loggedFields(), "a client inventing names cannot grow the gateway's memory");
        try (GatewayFixture g = GatewayFixture.start()) {
            StringBuilder extra = new StringBuilder();
            for (int i = 0; i < 5_000; i++) {
                extra.append(i == 0 ? "" : ",").append("\"unknown_").append(i).append("\":{\"nested\":[").append(i).append("]}");
            }
            HttpResponse<String> r = g.post("/v1/messages", messagesBody(extra.toString(), "hi"));
            assertEquals(200, r.statusCode(), r.body());
        }
    }

    static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
