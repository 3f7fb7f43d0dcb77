package claude.code.api.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.testing.CliPeer;
import claude.code.api.testing.Launched;
import claude.code.api.testing.Procfs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
            try (Launched gateway = Launched.start(Launched.javaLauncher("serve", "--port", "0", "--pool-size", "4",
                    "--claude", CliPeer.executable().toString(), "--cwd", stack.home.workspace().toString(),
                    "--preserve-provider-env"), env, null)) {
                Process jvm = gateway.process;
                URI url = gateway.awaitListening(Duration.ofSeconds(60));
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
            }
        }
    }
}
