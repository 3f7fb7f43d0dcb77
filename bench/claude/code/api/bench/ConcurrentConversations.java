package claude.code.api.bench;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.Launched;
import claude.code.api.testing.MockMessagesApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code concurrent_conversations}: N conversations of M turns each at once through the gateway
 * (the real launcher in a child JVM, as users run it) on the real CLI against the mock. Reports
 * the total wall time, turn latency p50/p90, errors and the gateway JVM's peak RSS ({@code VmHWM}).
 */
final class ConcurrentConversations {
    private ConcurrentConversations() {}

    static void run(Report report, Path jar, Path claude, int conversations, int turns, int poolSize) throws Exception {
        try (MockMessagesApi api = MockMessagesApi.start();
                ClaudeTestHome home = ClaudeTestHome.builder(api).bypassPermissionsAccepted().build()) {
            Launched launched = startGateway(jar, claude, home, poolSize);
            Process gateway = launched.process;
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            try {
                URI base = launched.awaitListening(Duration.ofSeconds(60));
                List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
                AtomicInteger errors = new AtomicInteger();
                AtomicLong peakRss = new AtomicLong();
                Thread sampler = Thread.ofVirtual().start(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        peakRss.accumulateAndGet(rssKb(gateway.pid(), "VmRSS:"), Math::max);
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                long t0 = System.nanoTime();
                try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<?>> all = new ArrayList<>();
                    for (int c = 0; c < conversations; c++) {
                        int conversation = c;
                        all.add(clients.submit(() -> {
                            conversation(http, base, conversation, turns, latencies, errors);
                            return null;
                        }));
                    }
                    for (Future<?> f : all) {
                        f.get();
                    }
                }
                long wall = System.nanoTime() - t0;
                long hwm = rssKb(gateway.pid(), "VmHWM:");
                sampler.interrupt();
                sampler.join();
                Stats s = Stats.ofNanosAsMillis(latencies);
                String what = conversations + " conversations x " + turns + " turns through the gateway, pool " + poolSize;
                report.info("concurrent_conversations_wall_s", wall / 1e9, "s", what);
                report.info("concurrent_turn_latency_ms_p50", s.median(), "ms", s.toString());
                report.info("concurrent_turn_latency_ms_p90", s.p90(), "ms", "");
                report.add("concurrent_conversations_errors", errors.get(), "errors", "0", errors.get() == 0,
                        "non-200 answers or failed requests");
                report.info("concurrent_gateway_peak_rss_mb", Math.max(hwm, peakRss.get()) / 1024.0, "MB",
                        "VmHWM of the gateway JVM (default heap settings), CLIs not included");
            } finally {
                http.close();
                // SIGTERM: the launcher's shutdown hook closes the gateway and its CLIs
                try (launched) {
                    launched.terminate(Duration.ofSeconds(60));
                }
            }
            List<ProcessHandle> strays = home.strayProcesses();
            if (!strays.isEmpty()) {
                throw new IllegalStateException("claude processes left running after the gateway stopped: " + strays);
            }
        }
    }

    private static void conversation(HttpClient http, URI base, int id, int turns, List<Long> latencies, AtomicInteger errors) {
        List<JsonObject> history = new ArrayList<>();
        for (int t = 0; t < turns; t++) {
            history.add(JsonObject.builder().put("role", "user").put("content", "conversation " + id + " turn " + t).build());
            JsonObject body = JsonObject.builder().put("model", "default").put("max_tokens", 1024)
                    .put("messages", JsonArray.of(history)).build();
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/messages"))
                        .timeout(Duration.ofSeconds(180)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                latencies.add(System.nanoTime() - t0);
                if (r.statusCode() != 200) {
                    errors.incrementAndGet();
                    System.out.println("conversation " + id + " turn " + t + ": HTTP " + r.statusCode() + " " + r.body());
                    return;
                }
                JsonObject message = (JsonObject) Json.parse(r.body());
                history.add(JsonObject.builder().put("role", "assistant").put("content", message.get("content")).build());
            } catch (Exception e) {
                errors.incrementAndGet();
                System.out.println("conversation " + id + " turn " + t + ": " + e);
                return;
            }
        }
    }

    static long rssKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone
        }
        return 0;
    }

    private static Launched startGateway(Path jar, Path claude, ClaudeTestHome home, int poolSize) {
        Map<String, String> env = new HashMap<>(home.environment());
        env.put("IS_SANDBOX", "1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return Launched.start(Launched.moduleLauncher(jar, "serve", "--port", "0", "--claude", claude.toString(),
                "--cwd", home.workspace().toString(), "--preserve-provider-env", "--pool-size", Integer.toString(poolSize),
                "--acquire-timeout", "120"), env, null);
    }
}
