package claude.code.api.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.CliPeer;
import claude.code.api.testing.KeywordResponder;
import claude.code.api.testing.Launched;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Scale-out as {@code docs/SCALE-OUT.md} describes it: the real HAProxy, started from
 * {@code deploy/haproxy.cfg} (only its three addresses replaced by free ports), in front of two
 * gateways ({@code claude-code-api serve} in child JVMs), each on the real CLI with its own home
 * (as two logins would be) and its own mock Messages API, so that each mock shows what its
 * gateway ran. The official SDKs drive six conversations through HAProxy.
 *
 * <p>The steps build on each other, in order: conversations keep one CLI session each and use
 * both gateways; a Responses id names its gateway; gateway 1 is stopped (SIGTERM) while it runs a
 * turn: it finishes that turn and gets no new conversation while it drains; its conversations
 * then continue on gateway 2, seeded with their whole history.
 *
 * <p>Runs when {@code haproxy} is installed; otherwise each step is skipped with a line saying how
 * to install it. {@code .ci/run} installs Debian's package first, so CI always runs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaproxyScaleOutTest {
    static final Path CONFIG = Path.of(System.getProperty("project.dir", "."), "deploy", "haproxy.cfg");
    static final String FRONTEND = "127.0.0.1:18080";
    /**
     * Turns of each conversation before a gateway is stopped. A conversation that lost its key (e.g.
     * behind a too small buffer) is balanced round robin: all its turns on one gateway by chance
     * has odds of 1 in 2^(turns-1) per conversation.
     */
    static final int TURNS_BEFORE_THE_STOP = 4;
    static final List<String> SERVERS = List.of("127.0.0.1:18081", "127.0.0.1:18082");
    static final String SKIPPED = "haproxy is not installed (looked on the PATH and in /usr/sbin, /usr/local/sbin), so the "
            + "scale-out test is skipped. To run it: apt-get install haproxy (Debian, Ubuntu), dnf install haproxy (Fedora), "
            + "brew install haproxy (macOS)";
    /** One HAProxy log line (option httplog): the server that answered, the status, the method and path. */
    static final Pattern LOG_LINE = Pattern.compile("claude_code_gateways/(\\S+) \\S+ (\\d{3}) .*\"(\\S+) (\\S+) HTTP/");

    /** One gateway: its server name in the config, its mock model API, its CLI home, and the launcher process. */
    record Gateway(String server, MockMessagesApi api, ClaudeTestHome home, Launched serve) {
        static Gateway start(String server) {
            MockMessagesApi api = MockMessagesApi.start();
            ClaudeTestHome home = ClaudeTestHome.builder(api).bypassPermissionsAccepted().maxRetries(0).build();
            Map<String, String> env = new HashMap<>(home.environment());
            env.put("IS_SANDBOX", "1");
            return new Gateway(server, api, home, Launched.start(Launched.javaLauncher("serve", "--port", "0",
                    "--pool-size", "8", "--drain-timeout", "60", "--claude", CliPeer.executable().toString(),
                    "--cwd", home.workspace().toString(), "--preserve-provider-env"), env, null));
        }

        URI url() {
            return serve.awaitListening(Duration.ofSeconds(60));
        }

        /** Main-loop requests of one conversation (its user texts start with "<name>:"). */
        List<RecordedRequest> requestsOf(String conversation) {
            return api.mainLoopRequests().stream().filter(r -> r.promptText().startsWith(conversation + ":")).toList();
        }

        Set<String> sessionsOf(String conversation) {
            return requestsOf(conversation).stream().map(RecordedRequest::sessionId).flatMap(Optional::stream)
                    .collect(Collectors.toSet());
        }
    }

    final Path haproxyBinary = haproxy();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final List<Gateway> gateways = new ArrayList<>();
    Path work;
    Path state;
    Launched haproxy;
    URI balancer;
    /** Which gateway (index) held each conversation before the stop. */
    final Map<String, Integer> placement = new LinkedHashMap<>();

    static Path haproxy() {
        String path = System.getenv("PATH") == null ? "" : System.getenv("PATH");
        return Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/sbin", "/usr/local/sbin"))
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, "haproxy")).filter(Files::isExecutable).findFirst().orElse(null);
    }

    @BeforeEach
    void needsHaproxy() {
        assumeTrue(haproxyBinary != null, SKIPPED);
    }

    @BeforeAll
    void start() throws Exception {
        if (haproxyBinary == null) {
            System.err.println("[HaproxyScaleOutTest] " + SKIPPED);
            return;
        }
        work = Files.createTempDirectory("scale-out-test-"); // 0700
        for (String server : List.of("gw1", "gw2")) {
            gateways.add(Gateway.start(server));
        }
        startHaproxy();
        state = work.resolve("conversations.json");
        Files.writeString(state, Json.write(conversations()));
    }

    /** deploy/haproxy.cfg with its three example addresses replaced: the committed file is what runs. */
    String config(int frontendPort) throws IOException {
        String committed = Files.readString(CONFIG);
        assertTrue(committed.contains("bind " + FRONTEND), "deploy/haproxy.cfg binds " + FRONTEND);
        String config = committed.replace(FRONTEND, "127.0.0.1:" + frontendPort);
        for (int i = 0; i < SERVERS.size(); i++) {
            String line = "server " + gateways.get(i).server() + " " + SERVERS.get(i);
            assertTrue(committed.contains(line), "deploy/haproxy.cfg has the line: " + line);
            config = config.replace(SERVERS.get(i), "127.0.0.1:" + gateways.get(i).url().getPort());
        }
        return config;
    }

    void startHaproxy() throws Exception {
        for (int attempt = 1; ; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort(); // free a moment ago; another process may take it first: then try again
            }
            Path cfg = work.resolve("haproxy.cfg");
            Files.writeString(cfg, config(port));
            haproxy = Launched.start(List.of(haproxyBinary.toString(), "-db", "-f", cfg.toString()), Map.of("PATH", "/usr/bin:/bin"), null);
            balancer = URI.create("http://127.0.0.1:" + port);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (haproxy.process.isAlive() && System.nanoTime() < deadline) {
                if (bothServersUp()) {
                    return;
                }
                Thread.sleep(100);
            }
            haproxy.close();
            if (attempt == 3 || !haproxy.stderr().contains("cannot bind")) {
                throw new AssertionError("haproxy did not start with both gateways up; stdout: " + haproxy.stdout()
                        + "\nstderr: " + haproxy.stderr());
            }
        }
    }

    /** Both servers answered a health check: a request through the balancer reaches each (the log names them). */
    boolean bothServersUp() {
        try {
            return http.send(HttpRequest.newBuilder(balancer.resolve("/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200 && !haproxy.stderr().contains("is DOWN");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Seven conversations: four Anthropic (two with a string first message after a system prompt of
     * 20 KB or more, longer than HAProxy's default buffer; a first message of blocks; a plain
     * string) and three
     * OpenAI ones that all start with the same system message, which must not be their key.
     */
    static JsonObject conversations() {
        JsonArray.Builder list = JsonArray.builder();
        list.add(JsonObject.builder().put("name", "a1").put("api", "anthropic").put("system", "You are terse. ".repeat(1400))
                .put("messages", JsonArray.of(user("a1: hello after a long system prompt"))).build());
        list.add(JsonObject.builder().put("name", "a4").put("api", "anthropic").put("system", "You are kind. ".repeat(2000))
                .put("messages", JsonArray.of(user("a4: hello after another long system prompt"))).build());
        list.add(JsonObject.builder().put("name", "a2").put("api", "anthropic").put("messages", JsonArray.of(
                JsonObject.builder().put("role", "user").put("content", JsonArray.of(JsonObject.builder().put("type", "text")
                        .put("text", "a2: hello in a text block").build())).build())).build());
        list.add(JsonObject.builder().put("name", "a3").put("api", "anthropic").put("messages", JsonArray.of(user("a3: hello")))
                .build());
        for (String name : List.of("o1", "o2", "o3")) {
            list.add(JsonObject.builder().put("name", name).put("api", "openai").put("messages", JsonArray.of(
                    JsonObject.builder().put("role", "system").put("content", "You answer briefly.").build(),
                    user(name + ": hello from the OpenAI SDK"))).build());
        }
        return JsonObject.builder().put("conversations", list.build()).build();
    }

    static JsonObject user(String text) {
        return JsonObject.builder().put("role", "user").put("content", text).build();
    }

    /** Runs test/resources/clients/scale-out.cjs against the balancer; returns its process (stdout: one JSON object). */
    Process sdk(String... args) throws IOException {
        Path script = Path.of(System.getProperty("project.dir", "."), "test/resources/clients/scale-out.cjs");
        List<String> command = new ArrayList<>(List.of("node", script.toString(), balancer.toString(), state.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("NODE_PATH", System.getProperty("npm.clients"));
        return pb.start();
    }

    static JsonObject result(Process node) throws Exception {
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!node.waitFor(120, TimeUnit.SECONDS)) {
            node.destroyForcibly().waitFor();
            throw new AssertionError("the SDK client did not finish in 120 s");
        }
        assertEquals(0, node.exitValue(), "the SDK client failed (its stderr is above)");
        return (JsonObject) Json.parse(out.get());
    }

    /** Every turn of every conversation in an SDK result answered, with the mock's reply to that turn's text. */
    static void assertAllAnswered(JsonObject result, int turns) {
        for (String name : result.names()) {
            List<JsonObject> seen = ((JsonArray) result.get(name)).stream().map(v -> (JsonObject) v).toList();
            assertEquals(turns, seen.size(), name + ": " + seen);
            for (JsonObject turn : seen) {
                assertFalse(turn.has("error"), name + " failed: " + turn);
                long k = turn.integer("turn");
                String asked = k == 1 ? name + ": hello" : name + ": turn " + k;
                assertTrue(turn.string("text").startsWith("MOCK REPLY to: " + asked), name + " turn " + k + ": " + turn);
            }
        }
    }

    Stream<String> conversationNames() {
        return Stream.of("a1", "a2", "a3", "a4", "o1", "o2", "o3");
    }

    List<Matcher> logLines() {
        synchronized (haproxy.out) {
            return haproxy.out.stream().map(LOG_LINE::matcher).filter(Matcher::find).toList();
        }
    }

    HttpResponse<String> post(URI base, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(90)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String anthropicBody(String text) {
        return Json.write(JsonObject.builder().put("model", "claude-scale-out").put("max_tokens", 100)
                .put("messages", JsonArray.of(user(text))).build());
    }

    // --- the steps ----------------------------------------------------------------------------------

    @Test
    @Order(1)
    void theCommittedConfigIsValid() throws Exception {
        Process check = new ProcessBuilder(haproxyBinary.toString(), "-c", "-f", CONFIG.toString()).redirectErrorStream(true).start();
        String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), out);
        assertFalse(out.contains("WARNING"), "no warnings: " + out);
    }

    @Test
    @Order(2)
    void eachConversationKeepsOneCliSessionAndBothGatewaysServe() throws Exception {
        assertAllAnswered(result(sdk(Integer.toString(TURNS_BEFORE_THE_STOP))), TURNS_BEFORE_THE_STOP);
        conversationNames().forEach(name -> {
            List<Integer> holders = new ArrayList<>();
            for (int i = 0; i < gateways.size(); i++) {
                if (!gateways.get(i).requestsOf(name).isEmpty()) {
                    holders.add(i);
                }
            }
            assertEquals(1, holders.size(), name + " ran on exactly one gateway, not " + holders);
            Gateway g = gateways.get(holders.getFirst());
            assertEquals(TURNS_BEFORE_THE_STOP, g.requestsOf(name).size(), name + ": all its turns");
            assertEquals(1, g.sessionsOf(name).size(), name + ": one CLI session for all its turns");
            placement.put(name, holders.getFirst());
        });
        assertEquals(Set.of(0, 1), Set.copyOf(placement.values()), "both gateways hold conversations: " + placement);
        Set<Integer> openAi = Stream.of("o1", "o2", "o3").map(placement::get).collect(Collectors.toSet());
        assertEquals(Set.of(0, 1), openAi, "the OpenAI conversations share their system message, yet are spread: " + placement);
    }

    /**
     * The gateway has no Responses route yet (issue 16): this checks the balancer's part, that a
     * request naming {@code resp_<server>_...} reaches that server, whatever its key, by HAProxy's log.
     */
    @Test
    @Order(3)
    void aResponsesRequestGoesToTheGatewayItsResponseIdNames() throws Exception {
        int before = logLines().size();
        Map<String, String> expected = new LinkedHashMap<>(); // request line -> the server it must reach
        for (int i = 0; i < 4; i++) {
            for (Gateway g : gateways) {
                String id = "resp_" + g.server() + "_" + "0".repeat(40) + i;
                post(balancer, "/v1/responses", "{\"model\":\"m\",\"previous_response_id\":\"" + id + "\",\"input\":\"x\"}");
                expected.put("POST /v1/responses " + i + " " + g.server(), g.server());
                http.send(HttpRequest.newBuilder(balancer.resolve("/v1/responses/" + id)).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                expected.put("GET /v1/responses/" + id, g.server());
            }
        }
        GatewayWait.until(() -> logLines().size() >= before + expected.size(), "HAProxy logged the requests");
        List<Matcher> lines = logLines().subList(before, before + expected.size());
        List<String> expectedServers = List.copyOf(expected.values());
        for (int i = 0; i < lines.size(); i++) {
            Matcher line = lines.get(i);
            assertEquals(expectedServers.get(i), line.group(1), line.group(3) + " " + line.group(4)
                    + " reached the gateway its response id names");
        }
    }

    @Test
    @Order(4)
    void aStoppedGatewayFinishesItsOpenTurnAndGetsNoNewConversationWhileItDrains() throws Exception {
        Gateway stopped = gateways.get(0);
        Gateway other = gateways.get(1);
        String slow = placement.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).findFirst().orElseThrow();
        CountDownLatch release = new CountDownLatch(1); // the model's answer to the open turn waits for it
        KeywordResponder keywords = new KeywordResponder();
        stopped.api().respondWith(r -> {
            if (r.promptText().endsWith(" HOLD")) {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return keywords.apply(r);
        });
        Process turn = sdk("1", slow, " HOLD");
        stopped.api().awaitRequests(r -> r.promptText().startsWith(slow + ": turn " + (TURNS_BEFORE_THE_STOP + 1)), 1, Duration.ofSeconds(60));

        stopped.serve().process.toHandle().destroy(); // SIGTERM, as a supervisor stops it
        GatewayWait.until(() -> {
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(stopped.url().resolve("/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                return health.statusCode() == 503 && health.body().contains("\"draining\"");
            } catch (IOException e) {
                return false;
            }
        }, "the stopped gateway's /health says draining");

        Map<String, CompletableFuture<HttpResponse<String>>> fresh = new LinkedHashMap<>();
        for (String name : List.of("n1", "n2", "n3")) {
            fresh.put(name, http.sendAsync(HttpRequest.newBuilder(balancer.resolve("/v1/messages"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(90))
                    .POST(HttpRequest.BodyPublishers.ofString(anthropicBody(name + ": a new conversation during the drain"))).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var e : fresh.entrySet()) {
            String name = e.getKey();
            HttpResponse<String> r = e.getValue().get(90, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), name + ": " + r.body());
            assertTrue(r.body().contains("MOCK REPLY to: " + name + ": a new conversation"), r.body());
            assertEquals(List.of(), stopped.requestsOf(name), name + " did not reach the draining gateway");
            assertEquals(1, other.requestsOf(name).size(), name + " ran on the other gateway");
        }

        assertTrue(turn.isAlive() && stopped.serve().process.isAlive(), "all that happened while the gateway drained");

        release.countDown();
        JsonObject slowTurn = result(turn);
        assertAllAnswered(slowTurn, 1);
        assertTrue(((JsonObject) ((JsonArray) slowTurn.get(slow)).get(0)).string("text").contains("HOLD | nmsgs="),
                "the turn that was running when the stop came answered in full: " + slowTurn);
        assertEquals(143, stopped.serve().waitFor(Duration.ofSeconds(60)), "stopped by its SIGTERM once drained: "
                + stopped.serve().stderr());
        assertEquals(List.of(), stopped.home().strayProcesses(), "the stopped gateway left no CLI running");
    }

    @Test
    @Order(5)
    void theStoppedGatewaysConversationsContinueOnTheOtherSeededWithTheirWholeHistory() throws Exception {
        Gateway other = gateways.get(1);
        JsonObject before = (JsonObject) Json.parse(Files.readString(state));
        assertAllAnswered(result(sdk("2")), 2);
        for (JsonValue v : (JsonArray) before.get("conversations")) {
            JsonObject c = (JsonObject) v;
            String name = c.string("name");
            assertEquals(1, other.sessionsOf(name).size(), name + ": one CLI session on the remaining gateway");
            if (placement.get(name) != 0) {
                continue;
            }
            // the first request of the seeded session carries every earlier message, the answers included
            List<String> sent = strings(other.requestsOf(name).getFirst().body().get("messages"));
            List<String> history = new ArrayList<>();
            for (JsonValue m : (JsonArray) c.get("messages")) {
                if (!((JsonObject) m).string("role").equals("system")) {
                    history.addAll(strings(((JsonObject) m).get("content")));
                }
            }
            assertTrue(history.size() >= 2 * TURNS_BEFORE_THE_STOP, name + ": the turns before the stop, questions and answers: "
                    + history);
            for (String text : history) {
                assertTrue(sent.stream().anyMatch(t -> t.contains(text)), name + ": the seeded session was sent \"" + text
                        + "\"; it sent " + sent);
            }
        }
    }

    /** Every string in a JSON value (the texts of messages and their blocks, and the rest). */
    static List<String> strings(JsonValue value) {
        List<String> out = new ArrayList<>();
        switch (value) {
            case JsonString s -> out.add(s.value());
            case JsonArray a -> a.forEach(v -> out.addAll(strings(v)));
            case JsonObject o -> o.members().values().forEach(v -> out.addAll(strings(v)));
            default -> { }
        }
        return out;
    }

    @AfterAll
    void stop() {
        List<String> problems = new ArrayList<>();
        if (haproxy != null) {
            haproxy.process.toHandle().destroy();
            try {
                haproxy.waitFor(Duration.ofSeconds(20));
            } catch (AssertionError e) {
                problems.add("haproxy: " + e.getMessage());
            }
            haproxy.close();
        }
        for (Gateway g : gateways) {
            if (g.serve().process.isAlive()) {
                g.serve().process.toHandle().destroy();
                try {
                    g.serve().waitFor(Duration.ofSeconds(60));
                } catch (AssertionError e) {
                    problems.add(g.server() + ": " + e.getMessage());
                }
            }
            g.serve().close();
            List<ProcessHandle> strays = g.home().strayProcesses();
            if (!strays.isEmpty()) {
                problems.add(g.server() + " left processes running: " + strays);
            }
            g.home().close();
            g.api().close();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                problems.add("cannot delete " + work + ": " + e);
            }
        }
        assertEquals(List.of(), problems, "everything stopped");
    }

    /** Polling for a condition, for at most 30 s. */
    static final class GatewayWait {
        interface Condition {
            boolean holds() throws Exception;
        }

        static void until(Condition condition, String what) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!condition.holds()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not within 30 s: " + what);
                }
                Thread.sleep(50);
            }
        }
    }
}
