package claude.code.api.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.testing.CliPeer;
import claude.code.api.testing.Procfs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JVM that drives the CLIs is SIGKILLed — no shutdown hook, no close(): the kernel closes
 * its PTY masters, the terminals hang up, and every CLI it started ends within 5 s (the issue's
 * bound). Checked on a child JVM running the real launcher ({@code serve}) with three live sessions.
 */
@Timeout(180)
class JvmKilledRealCliTest {
    static final Duration ALL_GONE = Duration.ofSeconds(5);

    @Test
    void noCliOfASigkilledGatewayJvmOutlivesItByMoreThanFiveSeconds() throws Exception {
        try (RealStack stack = new RealStack()) {
            Map<String, String> env = new HashMap<>(stack.home.environment());
            env.put("IS_SANDBOX", "1");
            List<String> command = List.of(Path.of(System.getProperty("jdk.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", Path.of(System.getProperty("project.dir"), "build", "classes").toString(),
                    "claude.code.api.launcher.Main", "serve", "--port", "0", "--pool-size", "4",
                    "--claude", CliPeer.executable().toString(), "--cwd", stack.home.workspace().toString(), "--preserve-provider-env");
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().putAll(env);
            Process jvm = pb.start();
            try {
                URI url = listeningUrl(jvm);
                HttpClient http = HttpClient.newHttpClient();
                List<CompletableFuture<HttpResponse<String>>> turns = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    turns.add(http.sendAsync(HttpRequest.newBuilder(url.resolve("/v1/messages")).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"conversation " + i + "\"}]}"))
                            .build(), HttpResponse.BodyHandlers.ofString()));
                }
                for (CompletableFuture<HttpResponse<String>> t : turns) {
                    assertEquals(200, t.get(120, TimeUnit.SECONDS).statusCode());
                }
                String sessions = http.send(HttpRequest.newBuilder(url.resolve("/admin/sessions")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                List<Long> pids = ((JsonArray) ((JsonObject) Json.parse(sessions)).get("sessions")).stream()
                        .map(s -> ((JsonObject) s).integer("pid")).toList();
                assertEquals(3, pids.size(), sessions);
                assertTrue(pids.stream().noneMatch(Procfs::isDead), "three live CLIs");

                jvm.destroyForcibly(); // SIGKILL
                assertTrue(jvm.waitFor(30, TimeUnit.SECONDS));
                assertEquals(137, jvm.exitValue());
                long killedAt = System.nanoTime();
                boolean gone = Procfs.await(ALL_GONE.plusSeconds(25), () -> pids.stream().allMatch(Procfs::isDead));
                Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
                assertTrue(gone, "CLIs still running 30 s after the JVM died: " + pids.stream().filter(p -> !Procfs.isDead(p)).toList());
                assertTrue(took.compareTo(ALL_GONE) < 0, "the last CLI ended " + took.toMillis() + " ms after the JVM");
                assertEquals(List.of(), stack.home.strayProcesses().stream().filter(p -> !Procfs.isDead(p.pid())).toList(),
                        "nothing the JVM started is still running");
            } finally {
                jvm.destroyForcibly();
                jvm.waitFor();
            }
        }
    }

    /** Reads the launcher's stdout until it says where it listens; the rest of stdout is drained on. */
    static URI listeningUrl(Process jvm) throws Exception {
        CompletableFuture<URI> url = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    int at = line.indexOf(" listening on ");
                    if (at >= 0) {
                        url.complete(URI.create(line.substring(at + 14).strip()));
                    }
                }
                url.completeExceptionally(new IllegalStateException("the launcher ended without listening: exit " + jvm.waitFor()));
            } catch (IOException | InterruptedException e) {
                url.completeExceptionally(e);
            }
        });
        return url.get(60, TimeUnit.SECONDS);
    }
}
