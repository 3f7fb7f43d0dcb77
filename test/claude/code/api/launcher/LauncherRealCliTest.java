package claude.code.api.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.CliPeer;
import claude.code.api.testing.KeywordResponder;
import claude.code.api.testing.Launched;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The launcher as a user runs it: a child JVM (and the jlink image) on the real CLI against the mock. */
class LauncherRealCliTest {
    MockMessagesApi api;
    ClaudeTestHome home;

    @BeforeEach
    void start() {
        api = MockMessagesApi.start();
        home = ClaudeTestHome.builder(api).bypassPermissionsAccepted().maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        try {
            assertEquals(List.of(), home.strayProcesses(), "nothing of the launcher left running");
        } finally {
            home.close();
            api.close();
        }
    }

    /** The home's environment (mock URL, test key), as a user would export it, and the sandbox declaration. */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>(home.environment());
        env.put("IS_SANDBOX", "1");
        return env;
    }

    List<String> sessionFlags() {
        return List.of("--claude", CliPeer.executable().toString(), "--cwd", home.workspace().toString(), "--preserve-provider-env");
    }

    static String[] args(List<String> first, List<String> more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(more);
        return all.toArray(String[]::new);
    }

    @Test
    void chatAnswersOnePromptOnStdout() {
        try (Launched chat = Launched.start(Launched.javaLauncher(args(List.of("chat"), append(sessionFlags(), "hello", "from", "chat"))),
                env(), null)) {
            assertEquals(0, chat.waitFor(Duration.ofSeconds(120)), chat.stderr());
            assertEquals("MOCK REPLY to: hello from chat | nmsgs=2", chat.stdout());
            assertTrue(chat.stderr().contains("API call(s)"), "the turn's figures go to stderr: " + chat.stderr());
        }
    }

    @Test
    void chatWithoutAPromptHoldsAConversationFromStdinOnOneSession() {
        try (Launched chat = Launched.start(Launched.javaLauncher(args(List.of("chat"), sessionFlags())), env(),
                "first line\n\nsecond line USE_TOOL\n")) {
            assertEquals(0, chat.waitFor(Duration.ofSeconds(120)), chat.stderr());
            assertTrue(chat.stdout().startsWith("MOCK REPLY to: first line | nmsgs=2"), chat.stdout());
            assertTrue(chat.stdout().contains("MOCK REPLY after tool: mock-tool-output"), chat.stdout());
            assertTrue(chat.stderr().contains("[Bash]") && chat.stderr().contains("-> mock-tool-output"), chat.stderr());
            Set<String> sessions = api.mainLoopRequests().stream().map(RecordedRequest::sessionId)
                    .flatMap(java.util.Optional::stream).collect(Collectors.toSet());
            assertEquals(1, sessions.size(), "the second line continued the first's CLI session");
        }
    }

    @Test
    void serveAnswersAndStopsOnSigterm() throws Exception {
        try (Launched serve = Launched.start(Launched.javaLauncher(args(List.of("serve", "--port", "0"), sessionFlags())), env(), null)) {
            URI url = serve.awaitListening(Duration.ofSeconds(60));
            HttpClient http = HttpClient.newHttpClient();
            assertEquals(200, http.send(HttpRequest.newBuilder(url.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.resolve("/v1/messages"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"messages\":[{\"role\":\"user\",\"content\":\"served\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("MOCK REPLY to: served"));
            assertEquals(143, serve.terminate(Duration.ofSeconds(30)), "stopped by SIGTERM: " + serve.stderr());
            assertTrue(serve.stderr().contains("stopping (closing the CLI sessions)"));
        }
    }

    @Test
    void serveOnSigtermFinishesTheOpenTurnWhileHealthSaysDraining() throws Exception {
        CountDownLatch release = new CountDownLatch(1); // the model's answer waits for it
        KeywordResponder keywords = new KeywordResponder();
        api.respondWith(r -> {
            if (r.promptText().contains("held")) {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return keywords.apply(r);
        });
        try (Launched serve = Launched.start(Launched.javaLauncher(args(List.of("serve", "--port", "0", "--drain-timeout", "60"),
                sessionFlags())), env(), null)) {
            URI url = serve.awaitListening(Duration.ofSeconds(60));
            HttpClient http = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> open = http.sendAsync(HttpRequest.newBuilder(url.resolve("/v1/messages"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"messages\":[{\"role\":\"user\",\"content\":\"held\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
            api.awaitRequests(r -> r.promptText().contains("held"), 1, Duration.ofSeconds(60));

            serve.process.toHandle().destroy(); // SIGTERM
            HttpResponse<String> health = null;
            for (int i = 0; i < 200 && (health == null || health.statusCode() != 503); i++) {
                Thread.sleep(50);
                health = http.send(HttpRequest.newBuilder(url.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
            }
            assertEquals(503, health.statusCode());
            assertEquals("{\"status\":\"draining\",\"open_turns\":1}", health.body());
            assertTrue(serve.process.isAlive(), "it waits for the open turn");

            release.countDown();
            HttpResponse<String> r = open.get(60, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("MOCK REPLY to: held"), r.body());
            assertEquals(143, serve.waitFor(Duration.ofSeconds(30)), "then it stops: " + serve.stderr());
        }
    }

    @Test
    void theJlinkImageStartsAndAnswersHealth() throws Exception {
        String image = System.getProperty("gateway.image", "");
        Assumptions.assumeFalse(image.isEmpty(), "no jlink image on this JDK (the Makefile skips jlink under the fetched JDK 21)");
        Path launcher = Path.of(image, "bin", "claude-code-api");
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "serve", "--port", "0"));
        command.addAll(sessionFlags());
        try (Launched serve = Launched.start(command, env(), null)) {
            URI url = serve.awaitListening(Duration.ofSeconds(60));
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals("{\"status\":\"ok\"}", health.body());
            assertTrue(serve.stdout().startsWith("claude-code-api 0.1.0 listening on"), "the image's module version: " + serve.stdout());
            assertEquals(143, serve.terminate(Duration.ofSeconds(30)), "the script execs java, which SIGTERM stops");
            assertTrue(!serve.stderr().contains("WARNING"), "native access is enabled in the image: " + serve.stderr());
        }
    }

    static List<String> append(List<String> list, String... more) {
        List<String> out = new ArrayList<>(list);
        out.addAll(List.of(more));
        return out;
    }
}
