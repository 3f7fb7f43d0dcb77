package claude.code.api.gateway;

import static claude.code.api.gateway.GatewayFixture.messagesBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.BackendOptions;
import claude.code.api.events.Message;
import claude.code.api.failures.BackendClosedException;
import claude.code.api.gateway.Backends.OptionSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendsTest {

    static String withModel(String model, String text) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    @Test
    void eachModelAndSystemPromptGetsItsOwnBackend() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.post("/v1/messages", withModel("opus", "a"));
            g.post("/v1/messages", withModel("opus", "b"));
            g.post("/v1/messages", "{\"model\":\"opus\",\"system\":\"Be terse.\",\"messages\":[{\"role\":\"user\",\"content\":\"c\"}]}");
            g.post("/v1/messages", "{\"system\":[{\"type\":\"text\",\"text\":\"Be\"},{\"type\":\"text\",\"text\":\"terse.\"}],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"d\"}]}");
            assertEquals(3, g.backendOptions.size());
            assertEquals("opus", g.backendOptions.get(0).launch().model());
            assertNull(g.backendOptions.get(0).launch().appendSystemPrompt());
            assertEquals("Be terse.", g.backendOptions.get(1).launch().appendSystemPrompt());
            assertNull(g.backendOptions.get(2).launch().model(), "no model: the gateway's");
            assertEquals("Be\n\nterse.", g.backendOptions.get(2).launch().appendSystemPrompt());
        }
    }

    @Test
    void theGatewaysOwnModelAndDefaultShareOneBackend() {
        try (GatewayFixture g = GatewayFixture.start(c -> c, o -> o.model("sonnet"))) {
            g.post("/v1/messages", withModel("sonnet", "a"));
            g.post("/v1/messages", withModel("default", "b"));
            g.post("/v1/messages", "{\"messages\":[{\"role\":\"user\",\"content\":\"c\"}]}");
            assertEquals(1, g.backendOptions.size());
            assertEquals("sonnet", g.backendOptions.getFirst().launch().model());
        }
    }

    @Test
    void replaceModeSetsTheSystemPrompt() {
        try (GatewayFixture g = GatewayFixture.start(c -> c.systemPromptMode(GatewayConfig.SystemPromptMode.REPLACE))) {
            g.post("/v1/messages", "{\"system\":\"You are a pirate.\",\"messages\":[{\"role\":\"user\",\"content\":\"c\"}]}");
            assertEquals("You are a pirate.", g.backendOptions.getFirst().launch().systemPrompt());
            assertNull(g.backendOptions.getFirst().launch().appendSystemPrompt());
        }
    }

    @Test
    void theLeastRecentlyUsedIdleOptionSetIsClosedBeyondTheBound() throws Exception {
        try (GatewayFixture g = GatewayFixture.start(c -> c.maxOptionSets(2))) {
            g.post("/v1/messages", withModel("m1", "a"));
            g.post("/v1/messages", withModel("m2", "a"));
            g.post("/v1/messages", withModel("m1", "b"));
            g.post("/v1/messages", withModel("m3", "a"));
            GatewayErrorsTest.waitFor(() -> g.sessions.sessions.get(1).closed());
            assertTrue(!g.sessions.sessions.get(0).closed(), "m1 was used more recently than m2");
            assertEquals(3, g.backendOptions.size());
            String metrics = g.get("/metrics").body();
            assertTrue(metrics.contains("claude_code_api_option_sets 2\n"), metrics);
            assertTrue(metrics.contains("claude_code_api_pool_misses_total 4\n"), "counters of the closed backend stay");
        }
    }

    @Test
    void aBackendInUseIsClosedOnlyWhenItsRequestEnds() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("backends-test-");
        BackendOptions template = BackendOptions.builder(dir).build();
        try (Backends backends = new Backends(template, GatewayConfig.SystemPromptMode.APPEND, 1,
                o -> claude.code.api.TestBackends.withSessions(o, new claude.code.api.FakeSessions(), dir))) {
            Backends.Lease a = backends.acquire(new OptionSet("a", null));
            Backends.Lease b = backends.acquire(new OptionSet("b", null));
            assertEquals(List.of(new OptionSet("b", null)), backends.optionSets(), "a left the set");
            List<claude.code.api.events.Message> hi = List.of(claude.code.api.events.Message.user("hi"));
            assertTrue(!a.backend().complete(hi).result().isError(), "a still serves the request that holds it");
            a.close();
            GatewayErrorsTest.waitFor(() -> {
                try {
                    a.backend().complete(hi).close();
                    return false;
                } catch (BackendClosedException closed) {
                    return true;
                }
            });
            assertTrue(!b.backend().complete(hi).result().isError());
            b.close();
        } finally {
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aRequestThatComesWhileTheBackendsAreShuttingDownIsA503() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("backends-test-");
        try {
            Backends backends = new Backends(BackendOptions.builder(dir).build(), GatewayConfig.SystemPromptMode.APPEND, 1,
                    o -> claude.code.api.TestBackends.withSessions(o, new claude.code.api.FakeSessions(), dir));
            backends.close();
            BackendClosedException e = assertThrows(BackendClosedException.class, () -> backends.acquire(OptionSet.DEFAULT));
            HttpError error = Errors.fromException(e);
            assertEquals(503, error.status, "a shutdown is the gateway being unavailable, not a failure of the CLI");
            assertEquals("overloaded_error", error.type);
            assertEquals(1, error.retryAfter);
        } finally {
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aRequestToABackendThatWasClosedIsA503() {
        try (GatewayFixture g = GatewayFixture.start()) {
            assertEquals(200, g.post("/v1/messages", withModel("opus", "a")).statusCode());
            g.backends.getFirst().close();
            GatewayErrorsTest.assertError(g.post("/v1/messages", withModel("opus", "b")), 503, "overloaded_error",
                    "the gateway is shutting down");
        }
    }
}
