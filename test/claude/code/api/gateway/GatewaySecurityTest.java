package claude.code.api.gateway;

import static claude.code.api.gateway.GatewayFixture.messagesBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.BackendOptions;
import claude.code.api.testing.LogCapture;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Who may use the gateway, and what never leaves it: tokens, keys and conversation text stay out of logs and errors. */
class GatewaySecurityTest {
    static final String TOKEN = "gw-T0ken-4f9c2a61d7e84b0c";

    @Test
    void itBindsTheLoopbackAddressByDefault() {
        BackendOptions options = BackendOptions.builder(Path.of("/tmp")).build();
        assertEquals("127.0.0.1", GatewayConfig.builder(options).build().host());
        try (GatewayFixture g = GatewayFixture.start()) {
            assertTrue(g.server.address().getAddress().isLoopbackAddress(), g.server.address().toString());
        }
    }

    @Test
    void everyWrongTokenIsRefusedWhateverItsLength() {
        try (GatewayFixture g = GatewayFixture.start(c -> c.token(TOKEN))) {
            List<String> wrong = new ArrayList<>();
            for (int n = 1; n <= 2 * TOKEN.length() + 8; n++) { // shorter, equal and longer: prefixes, extensions, fill
                wrong.add(n <= TOKEN.length() ? TOKEN.substring(0, n) : TOKEN + "x".repeat(n - TOKEN.length()));
                wrong.add("A".repeat(n));
            }
            wrong.add(TOKEN.toUpperCase(Locale.ROOT));
            wrong.add(TOKEN.substring(0, TOKEN.length() - 1) + "d"); // the last character alone differs
            wrong.add("x" + TOKEN.substring(1));
            wrong.add("A".repeat(8192));
            for (String w : wrong) {
                if (w.equals(TOKEN)) {
                    continue;
                }
                HttpResponse<String> bearer = g.post("/v1/messages", messagesBody("", "hi"), "Authorization", "Bearer " + w);
                assertEquals(401, bearer.statusCode(), () -> "token of " + w.length() + " chars");
                assertTrue(w.length() < 8 || !bearer.body().contains(w), "the presented token is not echoed");
                assertEquals(401, g.post("/v1/messages", messagesBody("", "hi"), "x-api-key", w).statusCode());
            }
            assertEquals(0, g.sessions.launches.size(), "no wrong token ever reached the CLI");
            assertEquals(200, g.post("/v1/messages", messagesBody("", "hi"), "Authorization", "Bearer " + TOKEN).statusCode());
            assertEquals(200, g.post("/v1/messages", messagesBody("", "hi"), "x-api-key", TOKEN).statusCode());
        }
    }

    @Test
    void aSessionIdInTheAdminPathMustBeALowercaseUuidBeforeItIsLookedUp() {
        try (GatewayFixture g = GatewayFixture.start()) {
            for (String id : List.of("..%2F..%2Fetc%2Fpasswd", "00000000-0000-4000-8000-00000000000A", "x", "%00")) {
                HttpResponse<String> r = g.get("/admin/sessions/" + id + "/screen");
                assertEquals(400, r.statusCode(), id + ": " + r.body());
                assertTrue(!r.body().contains("passwd"), r.body());
            }
            assertEquals(404, g.get("/admin/sessions/00000000-0000-4000-8000-00000000000a/screen").statusCode());
        }
    }

    @Test
    void tokensKeysAndConversationTextNeverReachTheLog() throws IOException {
        String apiKey = "sk-ant-api03-SECRETKEY0123456789";
        String userText = "my password is hunter2-PRIVATE";
        String systemText = "SYSTEM-PROMPT-PRIVATE";
        List<String> secrets = List.of(TOKEN, apiKey, userText, systemText, "WRONG-TOKEN-PRIVATE");
        try (LogCapture log = new LogCapture();
                GatewayFixture g = GatewayFixture.start(c -> c.token(TOKEN), o -> o.extraEnv("ANTHROPIC_API_KEY", apiKey))) {
            String auth = "Bearer " + TOKEN;
            assertEquals(200, g.post("/v1/messages", messagesBody("\"system\":\"" + systemText + "\"", userText), "Authorization", auth)
                    .statusCode());
            assertEquals(200, g.post("/v1/messages", messagesBody("\"stream\":true,\"an_unknown_field\":1", userText, "ok", userText),
                    "x-api-key", TOKEN).statusCode());
            assertEquals(200, g.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"system\",\"content\":\"" + systemText
                    + "\"},{\"role\":\"user\",\"content\":\"" + userText + "\"}]}", "Authorization", auth).statusCode());
            assertEquals(401, g.post("/v1/messages", messagesBody("", userText), "Authorization", "Bearer WRONG-TOKEN-PRIVATE")
                    .statusCode());
            assertEquals(400, g.post("/v1/messages", "{\"messages\":[{\"role\":\"" + userText + "\"}]}", "Authorization", auth)
                    .statusCode());
            g.sessions.failAfterEvents = 1;
            assertEquals(502, g.post("/v1/messages", messagesBody("", userText, "x", userText + "!"), "Authorization", auth)
                    .statusCode());
            g.sessions.failAfterEvents = -1;
            g.sessions.openFailure = new IOException("claude exited during start-up (code 1)");
            assertEquals(502, g.post("/v1/messages", messagesBody("", userText + "?"), "Authorization", auth).statusCode());
            g.server.close();
            List<String> lines = log.lines();
            assertTrue(lines.stream().anyMatch(l -> l.contains("POST messages -> 200")), "the capture sees the request log: " + lines);
            for (String line : lines) {
                for (String secret : secrets) {
                    assertTrue(!line.contains(secret), () -> "a secret in the log: " + line);
                }
            }
        }
    }
}
