package claude.code.api.gateway;

import static claude.code.api.gateway.GatewayFixture.at;
import static claude.code.api.gateway.GatewayFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import claude.code.api.FakeSessions;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The {@code model} an answer reports, the same rule in every API: the model that produced the
 * answer (as both real APIs report the resolved model, not the alias asked for); where that is
 * not known yet (a stream opened by a keep-alive before any output) or at all, the model asked for (the request's, else the gateway's, else
 * {@code default}). The fake CLI's model messages name {@code claude-test}.
 */
class ReportedModelTest {
    static final String ANTHROPIC = "{\"model\":\"sonnet\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    static final String OPENAI = "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    @Test
    void aWholeAnswerNamesTheModelThatAnsweredInBothApis() {
        try (GatewayFixture g = GatewayFixture.start()) {
            assertEquals("claude-test", json(g.post("/v1/messages", ANTHROPIC + "}")).string("model"));
            assertEquals("claude-test", json(g.post("/v1/chat/completions", OPENAI + "}")).string("model"),
                    "OpenAI too: the model that answered, not the alias asked for");
        }
    }

    @Test
    void aStreamNamesTheModelThatAnsweredSinceItOpensWithTheFirstOutput() {
        try (GatewayFixture g = GatewayFixture.start()) {
            GatewayFixture.Sse start = GatewayFixture.sse(g.post("/v1/messages", ANTHROPIC + ",\"stream\":true}").body()).getFirst();
            assertEquals(new JsonString("claude-test"), at(start.json(), "message", "model"));
            List<JsonObject> chunks = GatewayFixture.sse(g.post("/v1/chat/completions", OPENAI + ",\"stream\":true}").body())
                    .stream().filter(e -> e.data().startsWith("{")).map(GatewayFixture.Sse::json).toList();
            assertFalse(chunks.isEmpty());
            chunks.forEach(c -> assertEquals("claude-test", c.string("model"), "every chunk names the same model"));
        }
    }

    @Test
    void aStreamOpenedByAKeepAliveBeforeAnythingAnsweredNamesTheModelAskedFor() throws Exception {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.gate = new CountDownLatch(1);
            HttpRequest request = HttpRequest.newBuilder(g.uri("/v1/messages")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ANTHROPIC + ",\"stream\":true}")).build();
            // the response's headers come while the turn is held: the stream was opened by a keep-alive
            HttpResponse<InputStream> r = g.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            g.sessions.gate.countDown();
            String body;
            try (InputStream in = r.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            GatewayFixture.Sse start = GatewayFixture.sse(body).getFirst();
            assertEquals(new JsonString("sonnet"), at(start.json(), "message", "model"));
        }
    }

    @Test
    void withoutAModelMessageTheAnswerNamesTheModelAskedFor() {
        try (GatewayFixture g = GatewayFixture.start(c -> c, o -> o.model("opus"))) {
            g.sessions.script = (s, p) -> List.of(FakeSessions.result(s, "", false, false));
            assertEquals("sonnet", json(g.post("/v1/messages", ANTHROPIC + "}")).string("model"));
            assertEquals("sonnet", json(g.post("/v1/chat/completions", OPENAI + "}")).string("model"));
            String noModel = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            assertEquals("opus", json(g.post("/v1/messages", noModel)).string("model"), "the gateway's --model");
            assertEquals("opus", json(g.post("/v1/chat/completions", noModel)).string("model"));
        }
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> List.of(FakeSessions.result(s, "", false, false));
            assertEquals("default", json(g.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .string("model"), "no model asked for and none configured: the gateway's default");
        }
    }
}
