package claude.code.api.gateway;

import static claude.code.api.gateway.GatewayFixture.json;
import static claude.code.api.gateway.GatewayFixture.messagesBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.FakeSessions;
import claude.code.api.events.ApiError;
import claude.code.api.events.AssistantMessage;
import claude.code.api.events.TextBlock;
import claude.code.api.events.Usage;
import claude.code.api.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Bad requests and failures get the documented status and an Anthropic-style error body. */
class GatewayErrorsTest {

    static JsonObject error(HttpResponse<String> r) {
        JsonObject body = json(r);
        assertEquals("error", body.string("type"), r.body());
        assertTrue(body.string("request_id").startsWith("req_"));
        return body.object("error");
    }

    static void assertError(HttpResponse<String> r, int status, String type, String messageStart) {
        assertEquals(status, r.statusCode(), r.body());
        JsonObject e = error(r);
        assertEquals(type, e.string("type"));
        assertTrue(e.string("message").startsWith(messageStart), () -> "message: " + e.string("message"));
    }

    @Test
    void malformedJsonIsA400NamingTheOffset() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/messages", "{\"messages\": [}");
            assertError(r, 400, "invalid_request_error", "the request body is not valid JSON");
            assertTrue(error(r).string("message").contains("offset"), r.body());
        }
    }

    @Test
    void wrongTypesAreA400NamingTheField() {
        try (GatewayFixture g = GatewayFixture.start()) {
            assertError(g.post("/v1/messages", "{\"model\":5,\"messages\":[]}"), 400, "invalid_request_error",
                    "model: expected a string, found a number");
            assertError(g.post("/v1/messages", messagesBody("\"stream\":\"yes\"", "hi")), 400, "invalid_request_error",
                    "stream: expected a boolean");
            assertError(g.post("/v1/messages", messagesBody("\"max_tokens\":\"many\"", "hi").replace("\"max_tokens\":100,", "")),
                    400, "invalid_request_error", "max_tokens: expected an integer");
            assertError(g.post("/v1/messages", "{\"messages\":[{\"role\":\"user\",\"content\":42}]}"), 400,
                    "invalid_request_error", "messages[0].content: expected a string or an array of blocks");
            assertError(g.post("/v1/messages", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"search_result\",\"source\":{}}]}]}"),
                    400, "invalid_request_error", "messages[0].content[0].type: unsupported block type \"search_result\"");
            assertError(g.post("/v1/messages", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"x\"},"
                    + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/bmp\",\"data\":\"AA==\"}}]}]}"),
                    400, "invalid_request_error", "messages[0].content[1].source.media_type: unsupported media type \"image/bmp\"");
            assertError(g.post("/v1/messages", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\","
                    + "\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"AAA*\"}}]}]}"),
                    400, "invalid_request_error", "messages[0].content[0].source.data: invalid base64 at byte offset 3");
            assertError(g.post("/v1/messages", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\","
                    + "\"source\":{\"type\":\"url\",\"url\":\"https://example.com/a.png\"}}]}]}"),
                    400, "invalid_request_error", "messages[0].content[0].source: a url source is not supported: no network is assumed");
            // a valid document is read and checked, then refused by name: the CLI cannot pass it on
            assertError(g.post("/v1/messages", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\","
                    + "\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBERi0=\"}}]}]}"),
                    400, "invalid_request_error", "messages[0].content[0]: document blocks cannot be typed into the Claude Code CLI");
            assertError(g.post("/v1/messages", "[1,2]"), 400, "invalid_request_error", "the request body must be a JSON object");
        }
    }

    @Test
    void missingOrEmptyMessagesAreA400() {
        try (GatewayFixture g = GatewayFixture.start()) {
            assertError(g.post("/v1/messages", "{\"model\":\"x\"}"), 400, "invalid_request_error", "messages: expected an array");
            assertError(g.post("/v1/messages", "{\"messages\":[]}"), 400, "invalid_request_error", "messages: must not be empty");
            assertEquals(0, g.sessions.launches.size());
        }
    }

    @Test
    void aLastMessageThatIsNotFromTheUserIsA400() {
        try (GatewayFixture g = GatewayFixture.start()) {
            assertError(g.post("/v1/messages", messagesBody("", "hi", "hello")), 400, "invalid_request_error",
                    "messages[1].role: the last message must be \"user\"");
            assertError(g.post("/v1/messages", messagesBody("\"stream\":true", "hi", "hello")), 400, "invalid_request_error",
                    "messages[1].role", "a stream that could not start is a plain error response");
        }
    }

    static void assertError(HttpResponse<String> r, int status, String type, String messageStart, String why) {
        assertEquals(status, r.statusCode(), why);
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        assertError(r, status, type, messageStart);
    }

    @Test
    void anOversizedBodyIsA413BeforeParsing() {
        try (GatewayFixture g = GatewayFixture.start(c -> c.maxBodyBytes(4096))) {
            String big = messagesBody("", "x".repeat(5000));
            assertError(g.post("/v1/messages", big), 413, "request_too_large", "the request body is larger than the limit");
            String raw = g.raw("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + Integer.toHexString(5000) + "\r\n"
                    + "{".repeat(5000) + "\r\n0\r\n\r\n");
            assertTrue(raw.startsWith("HTTP/1.1 413"), "a chunked body is counted as it is read: " + raw.lines().findFirst());
        }
    }

    @Test
    void tooDeepJsonIsA400() {
        try (GatewayFixture g = GatewayFixture.start()) {
            String deep = "{\"messages\":" + "[".repeat(300) + "]".repeat(300) + "}";
            assertError(g.post("/v1/messages", deep), 400, "invalid_request_error", "the request body is not valid JSON");
        }
    }

    @Test
    void aBodyThatIsNotDeclaredJsonIsA415() {
        try (GatewayFixture g = GatewayFixture.start()) {
            assertError(g.post("/v1/messages", messagesBody("", "hi"), "Content-Type", "text/plain"), 415,
                    "invalid_request_error", "the request body must be JSON");
        }
    }

    @Test
    void fieldsThatCannotBeHonouredAreRefused() {
        try (GatewayFixture g = GatewayFixture.start()) {
            assertError(g.post("/v1/messages", messagesBody("\"stop_sequences\":[\"END\"]", "hi")), 400,
                    "invalid_request_error", "stop_sequences: not supported");
            assertError(g.post("/v1/messages", messagesBody("\"tools\":[{\"name\":\"t\",\"input_schema\":{}}],"
                    + "\"tool_choice\":{\"type\":\"any\"}", "hi")), 400, "invalid_request_error",
                    "toolChoice: any is set on the model API request by the model-API relay, which is off"); // fakes: no relay
            assertErrorOpenAi(g.post("/v1/chat/completions", "{\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400,
                    "invalid_request_error", "n: only 1 choice");
            assertErrorOpenAi(g.post("/v1/chat/completions", "{\"response_format\":{\"type\":\"json_object\"},"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, "invalid_request_error", "response_format");
            assertEquals(0, g.sessions.launches.size());
        }
    }

    static String chatWithPart(String part) {
        return "{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"look\"}," + part + "]}]}";
    }

    @Test
    void openAiMediaPartsKeepTheImageRules() {
        try (GatewayFixture g = GatewayFixture.start()) {
            assertErrorOpenAi(g.post("/v1/chat/completions", chatWithPart("{\"type\":\"image_url\",\"image_url\":"
                    + "{\"url\":\"https://example.com/cat.png\"}}")), 400, "invalid_request_error",
                    "messages[1].content[1].source: a url source is not supported: no network is assumed");
            assertErrorOpenAi(g.post("/v1/chat/completions", chatWithPart("{\"type\":\"image_url\",\"image_url\":"
                    + "{\"url\":\"data:image/bmp;base64,AA==\"}}")), 400, "invalid_request_error",
                    "messages[1].content[1].source.media_type: unsupported media type \"image/bmp\"");
            assertErrorOpenAi(g.post("/v1/chat/completions", chatWithPart("{\"type\":\"image_url\",\"image_url\":"
                    + "{\"url\":\"data:image/png;base64,AA!A\"}}")), 400, "invalid_request_error",
                    "messages[1].content[1].source.data: invalid base64 at byte offset 2");
            assertErrorOpenAi(g.post("/v1/chat/completions", chatWithPart("{\"type\":\"image_url\",\"image_url\":"
                    + "{\"url\":\"data:image/png,AAAA\"}}")), 400, "invalid_request_error",
                    "messages[1].content[1].image_url.url: a data URL must be data:<media type>;base64,<data>");
            assertErrorOpenAi(g.post("/v1/chat/completions", chatWithPart("{\"type\":\"file\",\"file\":"
                    + "{\"file_data\":\"data:text/plain;base64,AAAA\",\"filename\":\"../../x\"}}")), 400,
                    "invalid_request_error", "messages[1].content[1].source.media_type: unsupported media type \"text/plain\"");
            // valid media reach the backend as blocks (message 0 there: the system message is not a message)
            assertErrorOpenAi(g.post("/v1/chat/completions", chatWithPart("{\"type\":\"file\",\"file\":"
                    + "{\"file_data\":\"data:application/pdf;base64,JVBERi0=\"}}")), 400, "invalid_request_error",
                    "messages[0].content[1]: document blocks cannot be typed into the Claude Code CLI");
            assertEquals(0, g.sessions.launches.size());
        }
    }

    static void assertErrorOpenAi(HttpResponse<String> r, int status, String type, String messageStart) {
        assertEquals(status, r.statusCode(), r.body());
        JsonObject e = json(r).object("error");
        assertEquals(type, e.string("type"));
        assertTrue(e.string("message").startsWith(messageStart), e.string("message"));
    }

    @Test
    void fieldsWithoutEffectAreIgnored() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/messages", messagesBody("\"temperature\":0.2,\"top_k\":5,\"metadata\":{\"user_id\":\"u\"},"
                    + "\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}],\"tool_choice\":{\"type\":\"auto\"},"
                    + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},\"some_new_field\":1", "hi"));
            assertEquals(200, r.statusCode(), r.body());
        }
    }

    @Test
    void unknownPathsAndWrongMethodsAreRefused() {
        try (GatewayFixture g = GatewayFixture.start()) {
            assertError(g.get("/v1/nothing"), 404, "not_found_error", "no such endpoint");
            HttpResponse<String> r = g.get("/v1/messages");
            assertError(r, 405, "invalid_request_error", "method not allowed");
            assertEquals("POST", r.headers().firstValue("allow").orElseThrow());
        }
    }

    @Test
    void aFullPoolIsA503WithRetryAfter() throws Exception {
        try (GatewayFixture g = GatewayFixture.start(c -> c, o -> o.maxSessions(1).acquireTimeout(Duration.ZERO));
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            g.sessions.gate = new CountDownLatch(1);
            Future<HttpResponse<String>> busy = pool.submit(() -> g.post("/v1/messages", messagesBody("", "first")));
            waitFor(() -> g.sessions.sessions.size() == 1 && g.sessions.sessions.getFirst().prompts.size() == 1);
            HttpResponse<String> refused = g.post("/v1/messages", messagesBody("", "second"));
            assertError(refused, 503, "overloaded_error", "all 1 claude sessions are busy");
            assertEquals("1", refused.headers().firstValue("retry-after").orElseThrow());
            g.sessions.gate.countDown();
            assertEquals(200, busy.get().statusCode());
        }
    }

    @Test
    void aSessionThatCannotStartIsA502() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.openFailure = new IOException("claude exited during start-up (code 1)\nscreen line that stays in the log");
            HttpResponse<String> r = g.post("/v1/messages", messagesBody("", "hi"));
            assertError(r, 502, "api_error", "could not start a claude session: claude exited");
            assertTrue(!r.body().contains("screen line"), "only the first line reaches the client");
        }
    }

    @Test
    void anApiErrorOfTheModelKeepsItsMeaning() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> List.of(new AssistantMessage("a", "m", "<synthetic>",
                    List.of(new TextBlock("API Error: Request rejected (429)")), "stop_sequence", Usage.ZERO,
                    new ApiError("rate_limit", 429, "rate_limit_error", "API Error: Request rejected (429)")),
                    FakeSessions.result(s, "", true, false));
            assertError(g.post("/v1/messages", messagesBody("", "hi")), 429, "rate_limit_error", "API Error: 500");
            g.sessions.script = (s, p) -> List.of(FakeSessions.result(s, "", true, false));
            assertError(g.post("/v1/messages", messagesBody("", "hi")), 502, "api_error", "API Error: 500");
        }
    }

    @Test
    void aCliThatDiesMidTurnIsA502() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.failAfterEvents = 1;
            assertError(g.post("/v1/messages", messagesBody("", "hi")), 502, "api_error", "the claude session failed");
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 20 s");
            }
            Thread.sleep(10);
        }
    }
}
