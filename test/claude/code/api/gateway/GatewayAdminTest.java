package claude.code.api.gateway;

import static claude.code.api.gateway.GatewayFixture.json;
import static claude.code.api.gateway.GatewayFixture.messagesBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayAdminTest {

    @Test
    void healthAnswersOk() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.get("/health");
            assertEquals(200, r.statusCode());
            assertEquals("ok", json(r).string("status"));
        }
    }

    @Test
    void metricsCountPoolHitsMissesAndTurnLatency() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.post("/v1/messages", messagesBody("", "one"));
            g.post("/v1/messages", messagesBody("", "one", "reply 1 to: one", "two"));
            g.post("/v1/messages", messagesBody("", "fresh"));
            HttpResponse<String> r = g.get("/metrics");
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("text/plain; version=0.0.4"));
            List<String> lines = r.body().lines().toList();
            assertTrue(lines.contains("claude_code_api_pool_hits_total 1"), r.body());
            assertTrue(lines.contains("claude_code_api_pool_misses_total 2"));
            assertTrue(lines.contains("claude_code_api_live_sessions 2"));
            assertTrue(lines.contains("claude_code_api_pool_evictions_total 0"));
            assertTrue(lines.contains("# TYPE claude_code_api_turn_duration_seconds histogram"));
            assertTrue(lines.contains("claude_code_api_turn_duration_seconds_bucket{le=\"+Inf\"} 3"));
            assertTrue(lines.contains("claude_code_api_turn_duration_seconds_count 3"));
            assertTrue(lines.contains("claude_code_api_turns_total{outcome=\"ok\"} 3"));
            assertTrue(lines.contains("claude_code_api_http_requests_total{route=\"messages\",status=\"200\"} 3"));
            long buckets = lines.stream().filter(l -> l.startsWith("claude_code_api_turn_duration_seconds_bucket")).count();
            assertEquals(GatewayMetrics.BUCKETS.length + 1, buckets);
            for (String l : lines) {
                assertTrue(l.startsWith("#") || l.matches("claude_code_api_[a-z_]+(\\{[^}]*\\})? [0-9.]+"), "exposition format: " + l);
            }
        }
    }

    @Test
    void adminSessionsListsEachLiveSessionWithItsScreen() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.post("/v1/messages", messagesBody("", "one"));
            HttpResponse<String> r = g.get("/admin/sessions");
            assertEquals(200, r.statusCode());
            JsonArray sessions = (JsonArray) json(r).get("sessions");
            assertEquals(1, sessions.size());
            JsonObject s = sessions.object(0);
            String id = g.sessions.sessions.getFirst().sessionId();
            assertEquals(id, s.string("session_id"));
            assertEquals(g.sessions.sessions.getFirst().pid(), s.integer("pid"));
            assertEquals("idle", s.string("state"));
            assertEquals(1, s.integer("turns"));
            assertTrue(s.integer("age_seconds") >= 0);
            assertEquals("claude-test", s.string("model"));
            HttpResponse<String> screen = g.get("/admin/sessions/" + id + "/screen");
            assertEquals(200, screen.statusCode());
            assertEquals("screen of " + id, screen.body());
            assertTrue(screen.headers().firstValue("content-type").orElseThrow().startsWith("text/plain"));
            assertEquals(404, g.get("/admin/sessions/00000000-0000-0000-0000-000000000000/screen").statusCode());
            assertEquals(400, g.get("/admin/sessions/..%2F..%2Fetc/screen").statusCode());
        }
    }

    @Test
    void theAdminPageIsStaticWithAStrictContentSecurityPolicy() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> page = g.get("/admin");
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("content-type").orElseThrow().startsWith("text/html"));
            String csp = page.headers().firstValue("content-security-policy").orElseThrow();
            assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-eval") && csp.contains("frame-ancestors 'none'"));
            assertTrue(page.body().contains("<script src=\"/admin/admin.js\"></script>"));
            assertTrue(!page.body().replace("<script src=\"/admin/admin.js\"></script>", "").contains("<script"), "no inline script");
            HttpResponse<String> script = g.get("/admin/admin.js");
            assertEquals(200, script.statusCode());
            assertTrue(!script.body().contains("innerHTML"), "values go in as text only");
            assertTrue(script.body().contains("textContent"));
        }
    }
}
