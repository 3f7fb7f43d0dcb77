package claude.code.api.gateway;

import static claude.code.api.gateway.GatewayFixture.json;
import static claude.code.api.gateway.GatewayFixture.messagesBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.Usage;
import claude.code.api.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An error the model API answered, read from its response by the relay, reaches the client as the
 * API gave it: its status, error type, message and {@code retry-after}; as an HTTP error when the
 * stream had not begun, as the dialect's error event after.
 */
class UpstreamErrorTest {
    static final String CHAT = "{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    static void failWith(GatewayFixture g, int status, String type, String message, int retryAfter) {
        g.sessions.script = (s, p) -> RelayTurn.of(s).failed(status, type, message, retryAfter);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"429, rate_limit_error, 30", "529, overloaded_error, 0", "500, api_error, 0", "400, invalid_request_error, 0",
            "503, api_error, 5"})
    void aWholeAnswerGetsTheUpstreamsStatusTypeMessageAndRetryAfter(int status, String type, int retryAfter) {
        try (GatewayFixture g = GatewayFixture.start()) {
            failWith(g, status, type, "upstream says " + status, retryAfter);
            HttpResponse<String> r = g.post("/v1/messages", messagesBody("", "hi"));
            assertEquals(status, r.statusCode(), r.body());
            JsonObject error = json(r).object("error");
            assertEquals(type, error.string("type"));
            assertEquals("upstream says " + status, error.string("message"), "the API's own message");
            assertEquals(retryAfter == 0 ? "none" : Integer.toString(retryAfter),
                    r.headers().firstValue("retry-after").orElse("none"));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"429, rate_limit_error, 30", "529, overloaded_error, 0", "500, api_error, 0", "400, invalid_request_error, 0"})
    void aStreamThatFailsBeforeItBeganIsTheUpstreamsErrorResponse(int status, String type, int retryAfter) {
        try (GatewayFixture g = GatewayFixture.start()) {
            failWith(g, status, type, "upstream says " + status, retryAfter);
            HttpResponse<String> r = g.post("/v1/messages", messagesBody("\"stream\":true", "hi"));
            assertEquals(status, r.statusCode(), r.body());
            assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
            assertEquals(type, json(r).object("error").string("type"));
            assertEquals(retryAfter == 0 ? "none" : Integer.toString(retryAfter),
                    r.headers().firstValue("retry-after").orElse("none"));
        }
    }

    @Test
    void openAiClientsGetTheUpstreamsStatusInOpenAisShape() {
        try (GatewayFixture g = GatewayFixture.start()) {
            failWith(g, 429, "rate_limit_error", "slow down", 12);
            for (String body : List.of(CHAT + "}", CHAT + ",\"stream\":true}")) {
                HttpResponse<String> r = g.post("/v1/chat/completions", body);
                assertEquals(429, r.statusCode(), r.body());
                JsonObject error = json(r).object("error");
                assertEquals("rate_limit_error", error.string("type"));
                assertEquals("rate_limit_exceeded", error.string("code"));
                assertEquals("slow down", error.string("message"));
                assertEquals("12", r.headers().firstValue("retry-after").orElseThrow());
            }
            HttpResponse<String> r = g.post("/v1/responses", "{\"model\":\"x\",\"stream\":true,\"input\":\"hi\"}");
            assertEquals(429, r.statusCode(), "the Responses API too: " + r.body());
            assertEquals("12", r.headers().firstValue("retry-after").orElseThrow());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"429, rate_limit_error", "529, overloaded_error", "500, api_error", "400, invalid_request_error"})
    void anUpstreamErrorAfterTheStreamBeganIsTheDialectsErrorEvent(int status, String type) {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> RelayTurn.of(s).call("msg_1", new Usage(1, 1, 0, 0)).text("par", "tial").end("tool_use", 2)
                    .failed(status, type, "upstream says " + status, 0);
            HttpResponse<String> r = g.post("/v1/messages", messagesBody("\"stream\":true", "hi"));
            assertEquals(200, r.statusCode(), "the stream had begun");
            List<GatewayFixture.Sse> events = GatewayFixture.sse(r.body());
            GatewayFixture.Sse last = events.getLast();
            assertEquals("error", last.event());
            assertEquals(type, last.json().object("error").string("type"));
            assertEquals("upstream says " + status, last.json().object("error").string("message"));
            assertTrue(events.stream().noneMatch(e -> "message_stop".equals(e.event())));

            HttpResponse<String> chat = g.post("/v1/chat/completions", CHAT + ",\"stream\":true}");
            assertEquals(200, chat.statusCode());
            JsonObject error = GatewayFixture.sse(chat.body()).getLast().json().object("error");
            assertEquals(type, error.string("type"));
            assertFalse(chat.body().contains("[DONE]"));
        }
    }

    @Test
    void anUpstreamAuthenticationErrorStaysTheGatewaysOwnFailure() {
        try (GatewayFixture g = GatewayFixture.start()) {
            failWith(g, 401, "authentication_error", "invalid x-api-key", 0);
            HttpResponse<String> r = g.post("/v1/messages", messagesBody("", "hi"));
            assertEquals(502, r.statusCode(), "the CLI's login failed, not the client's key");
            assertEquals("api_error", json(r).object("error").string("type"));
            assertTrue(json(r).object("error").string("message").contains("could not authenticate"), r.body());
        }
    }

    @Test
    void anErrorTheCliReportedInItsTranscriptKeepsTodaysMapping() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> List.of(new claude.code.api.events.ResultMessage(s.sessionId(), java.time.Duration.ZERO, 1,
                    Usage.ZERO, "", null, new claude.code.api.events.TurnError.ApiFailed(new claude.code.api.events.ApiError(
                            "server_error", 500, "api_error", "API Error: 500 boom")), false));
            HttpResponse<String> r = g.post("/v1/messages", messagesBody("", "hi"));
            assertEquals(502, r.statusCode(), "no response was read: the gateway's 502 as without the relay");
            assertEquals("API Error: 500 boom", json(r).object("error").string("message"));
        }
    }
}
