package claude.code.api.gateway;

import static claude.code.api.gateway.GatewayFixture.messagesBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.BackendOptions;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GatewayAccessTest {
    static final String TOKEN = "s3cret-token-0123456789";

    @Test
    void withATokenEveryApiRequestMustCarryIt() {
        try (GatewayFixture g = GatewayFixture.start(c -> c.token(TOKEN))) {
            HttpResponse<String> none = g.post("/v1/messages", messagesBody("", "hi"));
            GatewayErrorsTest.assertError(none, 401, "authentication_error", "this gateway needs a token");
            assertEquals("Bearer", none.headers().firstValue("www-authenticate").orElseThrow());
            GatewayErrorsTest.assertError(g.post("/v1/messages", messagesBody("", "hi"), "Authorization", "Bearer wrong"), 401,
                    "authentication_error", "invalid token");
            GatewayErrorsTest.assertError(g.post("/v1/messages", messagesBody("", "hi"), "x-api-key", TOKEN + "x"), 401,
                    "authentication_error", "invalid token");
            assertEquals(200, g.post("/v1/messages", messagesBody("", "hi"), "Authorization", "Bearer " + TOKEN).statusCode());
            assertEquals(200, g.post("/v1/messages", messagesBody("", "hi"), "x-api-key", TOKEN).statusCode());
            assertEquals(401, g.get("/metrics").statusCode());
            assertEquals(401, g.get("/admin/sessions").statusCode());
            assertEquals(401, g.get("/v1/models").statusCode());
            assertEquals(200, g.get("/health").statusCode(), "health needs no token");
            assertEquals(200, g.get("/admin").statusCode(), "the static page needs none; its data does");
            assertTrue(!none.body().contains(TOKEN));
        }
    }

    @Test
    void aWrongTokenCanNeverRunTheCli() {
        try (GatewayFixture g = GatewayFixture.start(c -> c.token(TOKEN))) {
            g.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "Authorization", "Bearer nope");
            assertEquals(0, g.sessions.launches.size());
            HttpResponse<String> r = g.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertEquals(401, r.statusCode());
            assertEquals("authentication_error", GatewayFixture.json(r).object("error").string("type"), "OpenAI shape");
        }
    }

    @Test
    void aNonLoopbackHostNeedsAToken() {
        BackendOptions options = BackendOptions.builder(Path.of("/tmp")).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.builder(options).host("0.0.0.0").build());
        assertTrue(e.getMessage().contains("needs a token"), e.getMessage());
        GatewayConfig.builder(options).host("0.0.0.0").token(TOKEN).build();
        GatewayConfig.builder(options).host("localhost").build();
        GatewayConfig.builder(options).host("::1").build();
        assertTrue(!GatewayConfig.builder(options).host("0.0.0.0").token(TOKEN).build().toString().contains(TOKEN));
    }

    @Test
    void withoutATokenOtherHostNamesAndForeignOriginsAreRefused() {
        try (GatewayFixture g = GatewayFixture.start()) {
            String body = messagesBody("", "hi");
            String rebound = g.raw("POST /v1/messages HTTP/1.1\r\nHost: attacker.example:8080\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
            assertTrue(rebound.startsWith("HTTP/1.1 403"), rebound);
            assertTrue(rebound.contains("permission_error"));
            HttpResponse<String> foreign = g.post("/v1/messages", body, "Origin", "https://attacker.example");
            GatewayErrorsTest.assertError(foreign, 403, "permission_error", "requests from web pages of other origins");
            assertEquals(0, g.sessions.launches.size());
            assertEquals(200, g.post("/v1/messages", body, "Origin", "http://localhost:3000").statusCode());
            String local = g.raw("GET /health HTTP/1.1\r\nHost: localhost:1234\r\nConnection: close\r\n\r\n");
            assertTrue(local.startsWith("HTTP/1.1 200"), local);
        }
    }

    @Test
    void hostNamesAreJudgedWithoutDns() {
        assertTrue(AccessGuard.loopbackName("127.0.0.1"));
        assertTrue(AccessGuard.loopbackName("127.1.2.3"));
        assertTrue(AccessGuard.loopbackName("LOCALHOST"));
        assertTrue(AccessGuard.loopbackName("::1"));
        assertTrue(!AccessGuard.loopbackName("127.0.0.1.attacker.example"));
        assertTrue(!AccessGuard.loopbackName("10.0.0.1"));
        assertEquals("::1", AccessGuard.stripPort("[::1]:8080"));
        assertEquals("localhost", AccessGuard.stripPort("localhost:8080"));
        assertTrue(AccessGuard.loopbackOrigin("http://127.0.0.1:8080"));
        assertTrue(!AccessGuard.loopbackOrigin("null"));
    }
}
