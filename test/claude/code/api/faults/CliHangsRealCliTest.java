package claude.code.api.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.ClaudeCodeBackend;
import claude.code.api.events.EventStream;
import claude.code.api.events.Message;
import claude.code.api.events.ResultMessage;
import claude.code.api.gateway.GatewayServer;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.testing.Procfs;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A CLI that never finishes its turn — the model API never answers, or the CLI itself stops
 * (SIGSTOP: no more output, no more transcript) — ends the turn at the configured turn timeout
 * with an error saying so; the session is closed, its process killed and reaped.
 */
@Timeout(180)
class CliHangsRealCliTest {
    static final Duration TURN_TIMEOUT = Duration.ofSeconds(3);
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

    @Test
    void aModelApiThatNeverAnswersEndsTheTurnAtTheTurnTimeoutAndTheCliIsKilledAndReaped() throws Exception {
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(stack.backend().turnTimeout(TURN_TIMEOUT).build())) {
            ResultMessage result;
            long pid;
            try (EventStream turn = backend.complete(List.of(Message.user("HANG please")))) {
                pid = backend.liveSessions().values().iterator().next().pid();
                result = turn.result();
            }
            assertTrue(result.isError(), result.toString());
            assertTrue(result.errorText().startsWith("the turn did not end within " + TURN_TIMEOUT), result.errorText());
            assertEquals(0, backend.liveSessionCount(), "the session is not pooled");
            assertTrue(Procfs.await(GUARD, () -> Procfs.notOurChild(pid)), "the CLI was stopped and reaped");
        }
    }

    @Test
    void aCliThatStopsWritingItsTranscriptEndsTheTurnAtTheTurnTimeoutAndIsKilledAndReaped() throws Exception {
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(stack.backend().turnTimeout(TURN_TIMEOUT).build())) {
            ResultMessage result;
            long pid;
            long started = System.nanoTime();
            try (EventStream turn = backend.complete(List.of(Message.user("SLOW1 then freeze")))) {
                pid = backend.liveSessions().values().iterator().next().pid();
                stack.api.awaitRequests(r -> r.isMainLoop() && r.promptText().contains("then freeze"), 1, GUARD);
                signal("STOP", pid); // frozen: it writes nothing more, answers no key
                result = turn.result();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(result.isError(), result.toString());
            assertTrue(result.errorText().startsWith("the turn did not end within " + TURN_TIMEOUT),
                    result.errorText() + " (after " + took.toMillis() + " ms)");
            assertEquals(0, backend.liveSessionCount(), "the session is not pooled");
            assertTrue(Procfs.await(GUARD, () -> Procfs.notOurChild(pid)), "the stopped CLI was killed and reaped");
        }
    }

    @Test
    void theGatewayAnswers502SayingTheTurnTimedOut() throws Exception {
        GatewayServer gateway = stack.gateway(stack.backend().turnTimeout(TURN_TIMEOUT).build());
        HttpResponse<String> r = stack.post(gateway, "/v1/messages",
                "{\"model\":\"default\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"HANG over HTTP\"}]}");
        assertEquals(502, r.statusCode(), r.body());
        JsonObject error = ((JsonObject) Json.parse(r.body())).object("error");
        assertEquals("api_error", error.string("type"));
        assertTrue(error.string("message").startsWith("the turn did not end within " + TURN_TIMEOUT), error.string("message"));
        assertTrue(Procfs.await(GUARD, () -> stack.home.strayProcesses().isEmpty()), "the CLI is gone");

        CompletableFuture<HttpResponse<String>> next = CompletableFuture.supplyAsync(() -> stack.post(gateway, "/v1/messages",
                "{\"model\":\"default\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"still serving?\"}]}"));
        assertEquals(200, next.join().statusCode(), "the gateway serves the next request");
    }

    static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }
}
