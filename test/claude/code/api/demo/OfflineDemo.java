package claude.code.api.demo;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonValue;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.Launched;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code make demo}: the whole stack on this machine, offline, without an account. The test
 * peer's mock Messages API stands in for the model on 127.0.0.1; the pinned {@code claude} CLI
 * runs in an isolated home pointed at it; the gateway is started by the real launcher
 * ({@code serve}) in a child JVM; a scripted three-turn conversation goes through the gateway's
 * HTTP API and shows that turns 2 and 3 run on the CLI session turn 1 started; then a program's own
 * tool: the model's call reaches it, it runs the tool, and its result continues the same CLI. Everything
 * is stopped at the end.
 *
 * <p>Arguments: the gateway jar, the pinned {@code claude} executable.
 */
public final class OfflineDemo {
    private static final String RULE = "-".repeat(78);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private URI gateway;

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: OfflineDemo <claude-code-api.jar> <claude executable>");
            System.exit(2);
        }
        new OfflineDemo().run(Path.of(args[0]), Path.of(args[1]));
    }

    private void run(Path jar, Path claude) throws Exception {
        try (MockMessagesApi api = MockMessagesApi.start();
                ClaudeTestHome home = ClaudeTestHome.builder(api).bypassPermissionsAccepted().build()) {
            System.out.println("claude-code-api demo: the whole stack, offline, on this machine");
            System.out.println("  model API  a stand-in for the Anthropic Messages API (test peer MockMessagesApi) on " + api.baseUrl());
            System.out.println("  claude     " + claude + " in an isolated home " + home.home());
            try (Launched server = startGateway(jar, claude, home)) {
                try {
                    conversation();
                    System.out.println(RULE);
                    Set<String> sessionIds = new LinkedHashSet<>();
                    for (RecordedRequest r : api.mainLoopRequests()) {
                        r.sessionId().ifPresent(sessionIds::add);
                    }
                    System.out.println("The mock model API received " + api.mainLoopRequests().size()
                            + " requests from the CLI, with X-Claude-Code-Session-Id " + String.join(", ", sessionIds) + ":");
                    System.out.println("one claude process held each whole conversation (the tool conversation has its own: a "
                            + "request's tools choose its sessions); the gateway typed in only each new message.");
                } finally {
                    System.out.println(RULE);
                    System.out.println("Stopping the gateway (it closes its CLI sessions), then the mock.");
                    // SIGTERM: the launcher's shutdown hook closes the gateway and its CLI sessions.
                    server.terminate(Duration.ofSeconds(30));
                    System.out.println("The gateway's log (stderr):");
                    synchronized (server.err) {
                        server.err.forEach(line -> System.out.println("  " + line));
                    }
                }
            }
            List<ProcessHandle> strays = home.strayProcesses();
            System.out.println(strays.isEmpty() ? "Done: no process left running." : "Left running: " + strays);
        }
    }

    private Launched startGateway(Path jar, Path claude, ClaudeTestHome home) throws InterruptedException {
        Map<String, String> env = new HashMap<>(home.environment());
        env.put("IS_SANDBOX", "1"); // the CLI's bypass mode as root: this home is a throw-away sandbox
        env.put("JAVA_HOME", System.getProperty("java.home"));
        System.out.println("  gateway    claude-code-api serve --port 0 --claude <that claude> --preserve-provider-env "
                + "--pool-size 2");
        Launched p = Launched.start(Launched.moduleLauncher(jar, "serve", "--port", "0", "--claude", claude.toString(),
                "--cwd", home.workspace().toString(), "--preserve-provider-env", "--pool-size", "2"), env, null);
        try {
            gateway = p.awaitListening(Duration.ofSeconds(60));
        } catch (AssertionError e) {
            p.close();
            throw new IllegalStateException(e.getMessage(), e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (p.out.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(50); // the rest of the banner follows the "listening on" line
        }
        synchronized (p.out) {
            p.out.forEach(line -> System.out.println("  [gateway] " + line));
        }
        return p;
    }

    private void conversation() throws Exception {
        List<JsonObject> history = new ArrayList<>();

        String q1 = "Hello! Who are you, and where do you work?";
        banner(1, "POST /v1/messages");
        history.add(user(q1));
        HttpResponse<String> r1 = post("/v1/messages", request(history, false), Map.of());
        JsonObject m1 = ok(r1);
        System.out.println("user:      " + q1);
        printContent(m1);
        System.out.println("           (session " + r1.headers().firstValue("x-claude-code-session-id").orElse("?")
                + ": a new claude process)");
        history.add(assistant(m1.get("content")));

        String q2 = "Please list the files in this folder. USE_TOOL";
        banner(2, "POST /v1/messages, x-claude-code-tool-activity: text (show the CLI's tool use)");
        history.add(user(q2));
        HttpResponse<String> r2 = post("/v1/messages", request(history, false), Map.of("x-claude-code-tool-activity", "text"));
        JsonObject m2 = ok(r2);
        System.out.println("user:      " + q2);
        printContent(m2);
        System.out.println("           (session " + r2.headers().firstValue("x-claude-code-session-id").orElse("?")
                + ": the same process, which already held turn 1)");
        history.add(assistant(m2.get("content")));

        // SLOW0p1: the mock model API sends a delta every 0.1 s, so the pieces are visible as they arrive.
        String q3 = "Thanks! Anything else? SLOW0p1";
        banner(3, "POST /v1/messages, \"stream\": true (server-sent events, token by token through the model-API relay)");
        history.add(user(q3));
        System.out.println("user:      " + q3);
        long sent = System.nanoTime();
        HttpResponse<Stream<String>> r3 = http.send(HttpRequest.newBuilder(gateway.resolve("/v1/messages"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(request(history, true)))).build(),
                HttpResponse.BodyHandlers.ofLines());
        List<String> events = new ArrayList<>();
        List<Long> deltaArrivals = new ArrayList<>();
        System.out.print("assistant: ");
        r3.body().forEach(line -> {
            if (line.startsWith("event: ")) {
                events.add(line.substring(7));
            } else if (line.startsWith("data: ") && Json.parse(line.substring(6)) instanceof JsonObject data
                    && data.get("delta") instanceof JsonObject delta && "text_delta".equals(delta.string("type", ""))) {
                deltaArrivals.add(System.nanoTime());
                System.out.print(delta.string("text") + "|"); // | marks where one delta ends
                System.out.flush();
            }
        });
        System.out.println();
        if (!deltaArrivals.isEmpty()) {
            System.out.printf("           %d text deltas (| above), the first %.0f ms after the request, the last %.0f ms after it%n",
                    deltaArrivals.size(), (deltaArrivals.getFirst() - sent) / 1e6, (deltaArrivals.getLast() - sent) / 1e6);
        }
        System.out.println("           events: " + String.join(", ", events));

        clientTool();

        System.out.println(RULE);
        System.out.println("GET /metrics (excerpt)");
        for (String line : get("/metrics").lines().toList()) {
            if (line.matches("claude_code_api_(pool_hits_total|pool_misses_total|session_starts_total|live_sessions|"
                    + "turn_duration_seconds_count|client_tool_calls_total|sessions_awaiting_client_tools) .*")) {
                System.out.println("  " + line);
            }
        }
        System.out.println("GET /admin/sessions");
        JsonArray sessions = (JsonArray) ((JsonObject) Json.parse(get("/admin/sessions"))).get("sessions");
        for (JsonValue v : sessions) {
            JsonObject s = (JsonObject) v;
            System.out.println("  session " + s.string("session_id") + "  pid " + s.integer("pid") + "  " + s.string("state")
                    + "  " + s.integer("turns") + " turns");
        }
    }

    /** The program's own tool: the model calls it, the demo runs it and sends the result, the CLI's turn goes on. */
    private static final Map<String, String> GLOSSARY = Map.of("PTY", "a pseudo-terminal: the CLI believes a person "
            + "types at it");

    /**
     * A conversation of a program with its own tool ({@code tools} in the request): its sessions offer the model only
     * that tool (other tools, other sessions), the answer ends at the model's call (stop_reason tool_use), and the
     * request with the result continues the same CLI, whose call was held open meanwhile.
     */
    private void clientTool() throws Exception {
        JsonObject tool = (JsonObject) Json.parse("{\"name\":\"lookup\",\"description\":\"Looks a term up in the "
                + "team glossary\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"query\":{\"type\":"
                + "\"string\"}},\"required\":[\"query\"]}}");
        List<JsonObject> history = new ArrayList<>();
        String q = "What does our glossary say about PTY? CLIENT_TOOL";
        banner(4, "POST /v1/messages with \"tools\": [lookup] (a tool the program runs itself)");
        history.add(user(q));
        HttpResponse<String> r1 = post("/v1/messages", withTools(request(history, false), tool), Map.of());
        JsonObject m1 = ok(r1);
        System.out.println("user:      " + q);
        printContent(m1);
        String session = r1.headers().firstValue("x-claude-code-session-id").orElse("?");
        System.out.println("           (session " + session + ": a new claude process, offered only the program's tool; "
                + "its call is held open)");
        history.add(assistant(m1.get("content")));
        JsonArray.Builder results = JsonArray.builder();
        for (JsonValue b : (JsonArray) m1.get("content")) {
            JsonObject block = (JsonObject) b;
            if (block.string("type").equals("tool_use")) {
                String query = block.object("input").string("query", "");
                String found = GLOSSARY.entrySet().stream().filter(e -> query.contains(e.getKey())).map(Map.Entry::getValue)
                        .findFirst().orElse("not in the glossary");
                System.out.println("program:   runs lookup(" + Json.write(block.get("input")) + ") -> " + found);
                results.add(JsonObject.builder().put("type", "tool_result").put("tool_use_id", block.string("id"))
                        .put("content", found).build());
            }
        }
        history.add(JsonObject.builder().put("role", "user").put("content", results.build()).build());
        banner(4, "POST /v1/messages with the tool_result");
        HttpResponse<String> r2 = post("/v1/messages", withTools(request(history, false), tool), Map.of());
        JsonObject m2 = ok(r2);
        printContent(m2);
        System.out.println("           (session " + r2.headers().firstValue("x-claude-code-session-id").orElse("?")
                + (session.equals(r2.headers().firstValue("x-claude-code-session-id").orElse("")) ? ": the same process, "
                + "whose tool call got the result" : ": ANOTHER process") + ")");
    }

    private static JsonObject withTools(JsonObject request, JsonObject tool) {
        return request.toBuilder().put("tools", JsonArray.of(tool)).build();
    }

    private static void banner(int turn, String what) {
        System.out.println(RULE);
        System.out.println("turn " + turn + ": " + what);
    }

    private static JsonObject user(String text) {
        return JsonObject.builder().put("role", "user").put("content", text).build();
    }

    private static JsonObject assistant(JsonValue content) {
        return JsonObject.builder().put("role", "assistant").put("content", content).build();
    }

    private static JsonObject request(List<JsonObject> history, boolean stream) {
        return JsonObject.builder().put("model", "claude-demo").put("max_tokens", 1024)
                .put("messages", JsonArray.of(history)).put("stream", stream).build();
    }

    private static void printContent(JsonObject message) {
        String prefix = "assistant: ";
        for (JsonValue b : (JsonArray) message.get("content")) {
            JsonObject block = (JsonObject) b;
            String text = switch (block.string("type")) {
                case "text" -> block.string("text");
                case "tool_use" -> "(tool_use " + block.string("id") + ": " + block.string("name") + " "
                        + Json.write(block.get("input")) + ")";
                default -> "(" + block.string("type") + ")";
            };
            for (String line : text.split("\n")) {
                System.out.println(prefix + line);
                prefix = "           ";
            }
        }
        System.out.println("           stop_reason " + message.string("stop_reason") + ", usage " + Json.write(message.get("usage")));
    }

    private HttpResponse<String> post(String path, JsonObject body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        new LinkedHashMap<>(headers).forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
    }

    private static JsonObject ok(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the gateway answered " + r.statusCode() + ": " + r.body());
        }
        return (JsonObject) Json.parse(r.body());
    }
}
