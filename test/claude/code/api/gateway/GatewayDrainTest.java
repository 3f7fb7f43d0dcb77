package claude.code.api.gateway;

import static claude.code.api.gateway.GatewayErrorsTest.waitFor;
import static claude.code.api.gateway.GatewayFixture.json;
import static claude.code.api.gateway.GatewayFixture.messagesBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.FakeSessions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Graceful shutdown: {@code close()} drains (health 503, new turns 503) and lets open turns finish within a bound. */
class GatewayDrainTest {

    static CompletableFuture<HttpResponse<String>> postAsync(GatewayFixture g, String path, String body) {
        return g.http.sendAsync(HttpRequest.newBuilder(g.uri(path)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Closes the gateway on its own thread; the future completes when close() has returned. */
    static CompletableFuture<Void> closeAsync(GatewayFixture g) {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            g.server.close();
            closed.complete(null);
        });
        return closed;
    }

    @Test
    void metricsShowTheDrainAndTheOpenTurns() throws Exception {
        try (GatewayFixture g = GatewayFixture.start(c -> c.drainTimeout(Duration.ofSeconds(30)))) {
            assertTrue(g.get("/metrics").body().contains("claude_code_api_draining 0\n"));
            g.sessions.gate = new CountDownLatch(1);
            CompletableFuture<HttpResponse<String>> open = postAsync(g, "/v1/messages", messagesBody("", "an open turn"));
            waitFor(() -> !g.sessions.sessions.isEmpty() && g.sessions.sessions.getFirst().prompts.size() == 1);
            assertTrue(g.get("/metrics").body().contains("claude_code_api_open_turns 1\n"));
            CompletableFuture<Void> closed = closeAsync(g);
            waitFor(() -> g.get("/health").statusCode() == 503);
            String metrics = g.get("/metrics").body();
            assertTrue(metrics.contains("claude_code_api_draining 1\n"), metrics);
            assertTrue(metrics.contains("claude_code_api_open_turns 1\n"), metrics);
            g.sessions.gate.countDown();
            assertEquals(200, open.get(20, TimeUnit.SECONDS).statusCode());
            closed.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void closeLetsAnOpenTurnFinishWhileHealthSaysDrainingAndNewTurnsAreRefused() throws Exception {
        try (GatewayFixture g = GatewayFixture.start(c -> c.drainTimeout(Duration.ofSeconds(30)))) {
            g.sessions.gate = new CountDownLatch(1);
            CompletableFuture<HttpResponse<String>> open = postAsync(g, "/v1/messages", messagesBody("", "an open turn"));
            waitFor(() -> !g.sessions.sessions.isEmpty() && g.sessions.sessions.getFirst().prompts.size() == 1);
            CompletableFuture<Void> closed = closeAsync(g);
            waitFor(() -> g.get("/health").statusCode() == 503);

            assertEquals("{\"status\":\"draining\",\"open_turns\":1}", g.get("/health").body());
            HttpResponse<String> anthropic = g.post("/v1/messages", messagesBody("", "a new conversation"));
            assertEquals(503, anthropic.statusCode(), anthropic.body());
            assertEquals("overloaded_error", json(anthropic).object("error").string("type"));
            assertEquals("1", anthropic.headers().firstValue("retry-after").orElse(null));
            HttpResponse<String> openAi = g.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertEquals(503, openAi.statusCode(), openAi.body());
            assertEquals("overloaded_error", json(openAi).object("error").string("type"), "in OpenAI's shape");
            assertEquals(1, g.sessions.launches.size(), "the refused turns started no CLI");
            assertEquals(200, g.get("/metrics").statusCode(), "what is not a turn is still answered");
            assertFalse(closed.isDone(), "close() waits for the open turn");

            g.sessions.gate.countDown();
            HttpResponse<String> finished = open.get(20, TimeUnit.SECONDS);
            assertEquals(200, finished.statusCode(), finished.body());
            assertTrue(finished.body().contains("reply 1 to: an open turn"), finished.body());
            closed.get(20, TimeUnit.SECONDS);
            IOException refused = assertThrows(IOException.class, () -> g.http.send(HttpRequest.newBuilder(g.uri("/health"))
                    .build(), HttpResponse.BodyHandlers.ofString()));
            assertTrue(refused instanceof ConnectException || refused.getCause() instanceof ConnectException, refused.toString());
        }
    }

    @Test
    void anOpenStreamAlsoFinishesWholeBeforeTheGatewayStops() throws Exception {
        try (GatewayFixture g = GatewayFixture.start(c -> c.drainTimeout(Duration.ofSeconds(30)))) {
            g.sessions.gate = new CountDownLatch(1);
            CompletableFuture<HttpResponse<String>> open = postAsync(g, "/v1/messages", messagesBody("\"stream\":true", "streamed"));
            waitFor(() -> !g.sessions.sessions.isEmpty() && g.sessions.sessions.getFirst().prompts.size() == 1);
            CompletableFuture<Void> closed = closeAsync(g);
            waitFor(() -> g.get("/health").statusCode() == 503);
            g.sessions.gate.countDown();
            HttpResponse<String> finished = open.get(20, TimeUnit.SECONDS);
            assertEquals(200, finished.statusCode());
            assertTrue(finished.body().contains("event: message_stop"), "the stream ended normally: " + finished.body());
            closed.get(20, TimeUnit.SECONDS);
            assertEquals(0, g.sessions.sessions.getFirst().interrupts.get(), "the turn was not interrupted");
        }
    }

    @Test
    void aTurnStillOpenAtTheEndOfTheBoundIsInterrupted() throws Exception {
        try (GatewayFixture g = GatewayFixture.start(c -> c.drainTimeout(Duration.ofMillis(300)))) {
            g.sessions.gate = new CountDownLatch(1);
            CompletableFuture<HttpResponse<String>> open = postAsync(g, "/v1/messages", messagesBody("\"stream\":true", "too long"));
            waitFor(() -> !g.sessions.sessions.isEmpty() && g.sessions.sessions.getFirst().prompts.size() == 1);
            CompletableFuture<Void> closed = closeAsync(g);
            FakeSessions.Session session = g.sessions.sessions.getFirst();
            waitFor(() -> session.interrupts.get() == 1 || session.closed());
            g.sessions.gate.countDown(); // a fake turn wakes only here; a real one on the interrupt
            closed.get(30, TimeUnit.SECONDS);
            try {
                HttpResponse<String> cut = open.get(20, TimeUnit.SECONDS);
                assertFalse(cut.body().contains("event: message_stop"), "the stream did not end normally: " + cut.body());
            } catch (java.util.concurrent.ExecutionException e) {
                assertTrue(e.getCause() instanceof IOException, "the connection was closed under the stream: " + e.getCause());
            }
        }
    }

    @Test
    void withoutOpenTurnsADrainingGatewayStopsAtOnce() throws Exception {
        try (GatewayFixture g = GatewayFixture.start(c -> c.drainTimeout(Duration.ofHours(1)))) {
            assertEquals(200, g.post("/v1/messages", messagesBody("", "done before the stop")).statusCode());
            assertEquals("{\"status\":\"ok\"}", g.get("/health").body());
            closeAsync(g).get(30, TimeUnit.SECONDS); // an hour's bound: only an idle gateway returns within this
        }
    }
}
