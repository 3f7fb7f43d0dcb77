package claude.code.api.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.BackendOptions;
import claude.code.api.ClaudeCodeBackend;
import claude.code.api.cli.CliOptions;
import claude.code.api.events.Message;
import claude.code.api.events.ResultMessage;
import claude.code.api.failures.SessionStartException;
import claude.code.api.gateway.GatewayServer;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.options.LaunchOptions;
import claude.code.api.options.Timeouts;
import claude.code.api.session.CliSessionFactory;
import claude.code.api.session.SessionLaunch;
import claude.code.api.session.SessionSettings;
import claude.code.api.testing.CliPeer;
import claude.code.api.testing.Procfs;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A CLI that cannot start — a flag it does not know, no such executable, not logged in, a
 * {@code --resume} of a transcript it cannot read, a dialog this library does not know — fails
 * the request with an error that says which and quotes the CLI's last screen, within the start-up
 * timeout; nothing is left running.
 */
@Timeout(120)
class CliStartFailuresRealCliTest {
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(8);
    /** Closing a CLI that ignores the hang-up takes up to its grace period; a hang guard, not a measurement. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(6);

    RealStack stack;

    @AfterEach
    void stop() throws Exception {
        if (stack != null) {
            try {
                assertEquals(List.of(), Procfs.zombieChildren(), "no zombie child of this JVM");
            } finally {
                stack.close();
            }
        }
    }

    RealStack stack(UnaryOperator<claude.code.api.testing.ClaudeTestHome.Builder> home) {
        stack = new RealStack(home);
        return stack;
    }

    /** Runs one request on a backend with {@code options}; returns the start-up failure, checking it came in time. */
    SessionStartException startFailure(BackendOptions options) {
        long t0 = System.nanoTime();
        SessionStartException e;
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options)) {
            e = assertThrows(SessionStartException.class, () -> backend.complete(List.of(Message.user("hello"))));
            assertEquals(0, backend.liveSessionCount());
            assertEquals(1, backend.metrics().spawnFailures());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(took.compareTo(STARTUP_TIMEOUT.plus(CLOSE_GRACE)) < 0, "failed after " + took.toMillis() + " ms: " + e);
        assertTrue(e.getMessage().startsWith("starting a claude session failed: "), e.getMessage());
        assertNull(e.getCause(), "the facts are on the public exception: nothing internal to unwrap");
        return e;
    }

    @Test
    void anUnknownFlagIsAnErrorWithTheExitStatusAndTheCliMessage() {
        stack(b -> b);
        SessionStartException e = startFailure(stack.backend().startupTimeout(STARTUP_TIMEOUT).extraArgs("--no-such-flag").build());
        assertEquals(OptionalInt.of(1), e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains("exited during start-up (exit status 1)"), e.getMessage());
        assertTrue(e.screen().contains("unknown option '--no-such-flag'"), e.screen());
        assertTrue(e.getMessage().contains(e.screen()), "the message quotes the screen");
    }

    @Test
    void aMissingExecutableIsRefusedNamingIt() {
        stack(b -> b);
        Path missing = stack.home.root().resolve("no-such-claude");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> stack.backend().executable(missing).build());
        assertEquals("BackendOptions.executable: " + missing + " is not an executable file", e.getMessage());
    }

    @Test
    void anExecutableRemovedAfterTheBackendWasMadeIsAnErrorNamingItAndTheErrno() throws Exception {
        stack(b -> b);
        Path doomed = stack.home.root().resolve("claude-soon-gone");
        Files.createSymbolicLink(doomed, CliPeer.executable());
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(stack.backend().executable(doomed).build())) {
            Files.delete(doomed);
            SessionStartException e = assertThrows(SessionStartException.class, () -> backend.complete(List.of(Message.user("hello"))));
            assertTrue(e.getMessage().contains(doomed.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
            assertEquals(0, backend.liveSessionCount());
        }
    }

    /**
     * The pinned CLI does not stop at start-up when it has no credentials: it shows its prompt and
     * refuses the first prompt without calling the API. The turn ends in an error saying so, and
     * the session is not pooled.
     */
    @Test
    void aCliThatIsNotLoggedInEndsTheTurnInAnErrorSayingSo() throws Exception {
        stack(b -> b.unsetEnv("ANTHROPIC_API_KEY"));
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>(stack.home.environment());
        env.remove("ANTHROPIC_API_KEY");
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(stack.backend().extraEnv(env).extraEnv("IS_SANDBOX", "1")
                .startupTimeout(STARTUP_TIMEOUT).build())) {
            ResultMessage result = backend.complete(List.of(Message.user("hello"))).result();
            assertTrue(result.isError(), result.toString());
            assertEquals("Not logged in · Please run /login", result.errorText());
            assertEquals(0, backend.liveSessionCount(), "the session is not pooled");
        }
        assertEquals(List.of(), stack.api.mainLoopRequests(), "the model API was never called");

        GatewayServer gateway = stack.gateway(stack.backend().extraEnv(env).extraEnv("IS_SANDBOX", "1").build());
        HttpResponse<String> r = stack.post(gateway, "/v1/messages",
                "{\"model\":\"default\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
        assertEquals(502, r.statusCode(), r.body());
        assertEquals("Not logged in · Please run /login", ((JsonObject) Json.parse(r.body())).object("error").string("message"));
    }

    @Test
    void resumingATranscriptTheCliCannotReadIsAnErrorQuotingTheScreen() throws Exception {
        stack(b -> b);
        CliOptions template = CliOptions.of(LaunchOptions.builder(stack.home.workspace()).executable(CliPeer.executable())
                .preserveProviderEnv(true).permissionMode(null).build());
        CliSessionFactory factory = new CliSessionFactory(template, stack.home.environment(),
                SessionSettings.builder().timeouts(Timeouts.DEFAULTS.withStartupTimeout(STARTUP_TIMEOUT)).build());
        String id = UUID.randomUUID().toString();
        Path transcript = factory.transcriptOf(id);
        Files.createDirectories(transcript.getParent());
        Files.writeString(transcript, "this is not a transcript\n{\"type\":\n\u0000\u0001 garbage\n");
        long t0 = System.nanoTime();
        SessionStartException e = assertThrows(SessionStartException.class,
                () -> factory.open(new SessionLaunch(id, true, transcript, Files.size(transcript))).close());
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(took.compareTo(STARTUP_TIMEOUT.plus(CLOSE_GRACE)) < 0, "failed after " + took.toMillis() + " ms");
        assertTrue(e.getMessage().contains(e.screen()) && !e.screen().isBlank(), e.getMessage());
        assertTrue(e.screen().contains(id) || e.screen().contains("Resume"), e.getMessage());
    }

    @Test
    void aDialogThisLibraryDoesNotKnowIsAnErrorQuotingItNotAHang() throws Exception {
        stack(b -> b);
        // A project MCP server nobody approved: outside bypass mode the CLI asks at start-up.
        Files.writeString(stack.home.workspace().resolve(".mcp.json"),
                "{\"mcpServers\":{\"project-tool\":{\"command\":\"/bin/true\",\"args\":[]}}}");
        SessionStartException e = startFailure(stack.backend().permissionMode("manual").startupTimeout(STARTUP_TIMEOUT).build());
        assertEquals(OptionalInt.empty(), e.exitCode(), "it was stopped, it did not exit");
        assertTrue(e.getMessage().contains("did not show its prompt within " + STARTUP_TIMEOUT + " (it shows a dialog)"), e.getMessage());
        assertTrue(e.screen().contains("New MCP server found in this project: project-tool"), e.screen());
        assertTrue(e.getMessage().contains(e.screen()), "the message quotes the screen");
    }

    @Test
    void theGatewayAnswers502WithTheFirstLineOfTheReason() {
        stack(b -> b);
        GatewayServer gateway = stack.gateway(stack.backend().startupTimeout(STARTUP_TIMEOUT).extraArgs("--no-such-flag").build());
        HttpResponse<String> r = stack.post(gateway, "/v1/messages",
                "{\"model\":\"default\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
        assertEquals(502, r.statusCode(), r.body());
        JsonObject error = ((JsonObject) Json.parse(r.body())).object("error");
        assertEquals("api_error", error.string("type"));
        assertTrue(error.string("message").startsWith("could not start a claude session: "), error.string("message"));
        assertTrue(error.string("message").endsWith("exited during start-up (exit status 1)"), error.string("message"));
    }
}
