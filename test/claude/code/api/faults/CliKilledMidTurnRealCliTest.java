package claude.code.api.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.ClaudeCodeBackend;
import claude.code.api.events.EventStream;
import claude.code.api.events.Message;
import claude.code.api.events.ResultMessage;
import claude.code.api.gateway.GatewayServer;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.testing.Procfs;
import claude.code.api.testing.RecordedRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CLI SIGKILLed in the middle of a turn: the caller hears of it at once (within 2 s, the
 * issue's bound), by an error that names the session and the exit status; the session is never
 * pooled again; the same conversation, sent again, runs on a new session seeded from the
 * history; and the killed process is reaped.
 */
@Timeout(180)
class CliKilledMidTurnRealCliTest {
    /** How soon the caller must hear of the death (the bound). */
    static final Duration NOTICE = Duration.ofSeconds(2);
    static final Duration GUARD = Duration.ofSeconds(60);

    RealStack stack;

    @BeforeEach
    void start() {
        stack = new RealStack();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            assertEquals(List.of(), Procfs.zombieChildren(), "no zombie child of this JVM");
        } finally {
            stack.close();
        }
    }

    /** Waits until the mock has received the prompt, then SIGKILLs {@code pid}; returns when it was sent. */
    long killWhenPromptArrives(long pid, String prompt) throws InterruptedException {
        stack.api.awaitRequests(r -> r.isMainLoop() && r.promptText().contains(prompt), 1, GUARD);
        long at = System.nanoTime();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        return at;
    }

    @Test
    void theBackendEndsTheTurnWithAnErrorNamingTheSessionAndExitStatusAndTheConversationGoesOnInANewSession() throws Exception {
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(stack.backend().build())) {
            List<Message> conversation = new ArrayList<>(List.of(Message.user("remember OSPREY")));
            ResultMessage first = backend.complete(conversation).result();
            assertFalse(first.isError(), first.toString());
            conversation.add(Message.assistant(first.finalText()));
            conversation.add(Message.user("SLOW1 tell me slowly"));
            long pid = backend.liveSessions().values().iterator().next().pid();
            String killed = first.sessionId();

            ResultMessage result;
            long noticed;
            long killedAt;
            try (EventStream turn = backend.complete(conversation)) {
                killedAt = killWhenPromptArrives(pid, "SLOW1 tell me slowly");
                result = turn.result();
                noticed = System.nanoTime();
            }
            assertTrue(result.isError(), result.toString());
            assertTrue(result.errorText().contains("session " + killed), result.errorText());
            assertTrue(result.errorText().contains("exited with status 137"), result.errorText());
            assertTrue(Duration.ofNanos(noticed - killedAt).compareTo(NOTICE) < 0,
                    "the error came " + Duration.ofNanos(noticed - killedAt).toMillis() + " ms after the kill");
            assertEquals(0, backend.liveSessionCount(), "the dead session is not pooled");
            assertTrue(Procfs.await(GUARD, () -> Procfs.notOurChild(pid)), "the killed CLI was reaped");

            ResultMessage again = backend.complete(conversation).result();
            assertFalse(again.isError(), again.toString());
            assertNotEquals(killed, again.sessionId(), "a new session");
            assertTrue(again.finalText().startsWith("MOCK REPLY to: SLOW1 tell me slowly"), again.finalText());
            assertEquals(2, backend.metrics().spawns());
            RecordedRequest seeded = stack.api.requestsForSession(again.sessionId()).stream()
                    .filter(RecordedRequest::isMainLoop).findFirst().orElseThrow();
            assertTrue(Json.write(seeded.messages().getFirst()).contains("remember OSPREY"),
                    "the new session was seeded with the history");
        }
    }

    static String body(String... turns) {
        StringBuilder messages = new StringBuilder();
        for (int i = 0; i < turns.length; i++) {
            messages.append(i == 0 ? "" : ",").append("{\"role\":\"").append(i % 2 == 0 ? "user" : "assistant")
                    .append("\",\"content\":").append(Json.quote(turns[i])).append('}');
        }
        return "{\"model\":\"default\",\"max_tokens\":100,\"messages\":[" + messages + "]}";
    }

    static String streamed(String body) {
        return body.replaceFirst("^\\{", "{\"stream\":true,");
    }

    static long pidOf(RealStack stack, GatewayServer gateway, String sessionId) {
        HttpResponse<String> r = stack.get(gateway, "/admin/sessions");
        return ((JsonArray) ((JsonObject) Json.parse(r.body())).get("sessions")).stream().map(v -> (JsonObject) v)
                .filter(s -> s.string("session_id").equals(sessionId)).findFirst().orElseThrow().integer("pid");
    }

    @Test
    void theGatewayAnswers502NamingTheSessionAndTheSameConversationThenSucceedsOnANewSession() throws Exception {
        GatewayServer gateway = stack.gateway(stack.backend().build());
        HttpResponse<String> first = stack.post(gateway, "/v1/messages", body("remember HERON"));
        assertEquals(200, first.statusCode(), first.body());
        String session = first.headers().firstValue("x-claude-code-session-id").orElseThrow();
        String reply = ((JsonObject) ((JsonArray) ((JsonObject) Json.parse(first.body())).get("content")).get(0)).string("text");
        long pid = pidOf(stack, gateway, session);

        String second = body("remember HERON", reply, "SLOW1 and slowly now");
        CompletableFuture<HttpResponse<String>> pending = CompletableFuture.supplyAsync(() -> stack.post(gateway, "/v1/messages", second));
        long killedAt = killWhenPromptArrives(pid, "SLOW1 and slowly now");
        HttpResponse<String> failed = pending.join();
        long noticed = System.nanoTime();
        assertEquals(502, failed.statusCode(), failed.body());
        JsonObject error = ((JsonObject) Json.parse(failed.body())).object("error");
        assertEquals("api_error", error.string("type"));
        assertTrue(error.string("message").contains("session " + session), error.string("message"));
        assertTrue(error.string("message").contains("exited with status 137"), error.string("message"));
        assertTrue(Duration.ofNanos(noticed - killedAt).compareTo(NOTICE) < 0,
                "the 502 came " + Duration.ofNanos(noticed - killedAt).toMillis() + " ms after the kill");
        assertTrue(Procfs.await(GUARD, () -> Procfs.notOurChild(pid)), "the killed CLI was reaped");

        HttpResponse<String> again = stack.post(gateway, "/v1/messages", second);
        assertEquals(200, again.statusCode(), again.body());
        assertNotEquals(session, again.headers().firstValue("x-claude-code-session-id").orElseThrow(), "a new session");
        assertTrue(again.body().contains("MOCK REPLY to: SLOW1 and slowly now"), again.body());
    }

    @Test
    void aStreamingClientGetsAnSseErrorEventAndNoMessageStop() throws Exception {
        GatewayServer gateway = stack.gateway(stack.backend().build());
        HttpResponse<String> first = stack.post(gateway, "/v1/messages", body("remember EGRET"));
        assertEquals(200, first.statusCode(), first.body());
        String session = first.headers().firstValue("x-claude-code-session-id").orElseThrow();
        String reply = ((JsonObject) ((JsonArray) ((JsonObject) Json.parse(first.body())).get("content")).get(0)).string("text");
        long pid = pidOf(stack, gateway, session);

        String second = body("remember EGRET", reply, "SLOW1 stream it slowly");
        // the response begins with its first keep-alive (the slow reply has no output for seconds), then the CLI dies
        HttpResponse<java.io.InputStream> opened = stack.open(gateway, "/v1/messages", streamed(second));
        assertEquals(200, opened.statusCode(), "the stream had begun");
        long killedAt = killWhenPromptArrives(pid, "SLOW1 stream it slowly");
        String stream;
        try (java.io.InputStream in = opened.body()) {
            stream = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        long noticed = System.nanoTime();
        assertTrue(stream.contains("event: message_start"), stream);
        assertTrue(stream.contains("event: error"), stream);
        assertTrue(stream.contains("exited with status 137"), stream);
        assertFalse(stream.contains("event: message_stop"), stream);
        assertTrue(Duration.ofNanos(noticed - killedAt).compareTo(NOTICE) < 0,
                "the error event came " + Duration.ofNanos(noticed - killedAt).toMillis() + " ms after the kill");

        HttpResponse<String> again = stack.post(gateway, "/v1/messages", streamed(second));
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(again.body().contains("event: message_stop"), again.body());
        assertTrue(streamedText(again.body()).startsWith("MOCK REPLY to: SLOW1 stream it slowly"), again.body());
    }

    /** The text of a Messages API event stream: its text deltas joined (a token stream splits the text). */
    static String streamedText(String sse) {
        StringBuilder text = new StringBuilder();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ") && Json.parse(line.substring(6)) instanceof JsonObject event
                    && event.string("type", "").equals("content_block_delta")
                    && event.get("delta") instanceof JsonObject delta && delta.string("type", "").equals("text_delta")) {
                text.append(delta.string("text"));
            }
        }
        return text.toString();
    }
}
