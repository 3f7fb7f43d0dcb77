package claude.code.api.gateway;

import claude.code.api.BackendOptions;
import claude.code.api.ClaudeCodeBackend;
import claude.code.api.events.EventStream;
import claude.code.api.gateway.Backends.OptionSet;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * An HTTP server that speaks the Anthropic Messages API and OpenAI chat completions on top of
 * {@link ClaudeCodeBackend}s, on the JDK's own {@code com.sun.net.httpserver}, one virtual thread
 * per exchange.
 *
 * <pre>{@code
 * try (GatewayServer gateway = GatewayServer.start(GatewayConfig.builder(options).port(8080).build())) {
 *     System.out.println("listening on " + gateway.baseUrl());
 *     ...
 * }
 * }</pre>
 *
 * Endpoints, limits, error mapping and the handling of fields the CLI cannot honour are listed
 * in the README. The JDK server's own limits (request time, idle connections, header sizes) are
 * system properties read once per JVM; the launcher sets them ({@code launcher.Serve}), a program
 * embedding this class sets them itself.
 */
public final class GatewayServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GatewayServer.class.getName());
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final List<String> MODEL_ALIASES = List.of("sonnet", "opus", "haiku");

    private final GatewayConfig config;
    private final Backends backends;
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final FieldPolicy policy = new FieldPolicy();
    private final byte[] tokenDigest;
    private final ExecutorService executor;
    private final HttpServer server;
    private volatile boolean closed;

    private GatewayServer(GatewayConfig config, Function<BackendOptions, ClaudeCodeBackend> backendFactory) throws IOException {
        this.config = Objects.requireNonNull(config, "config");
        this.tokenDigest = config.token() == null ? null : sha256(config.token());
        this.backends = new Backends(config.backend(), config.systemPromptMode(), config.maxOptionSets(), backendFactory);
        // Before JDK 24 a virtual thread blocked in a synchronized method pins its carrier, and jdk.httpserver reads
        // a request under a monitor: as many half-sent requests as CPUs would stall the server. Platform threads there.
        this.executor = Executors.newThreadPerTaskExecutor((Runtime.version().feature() >= 24 ? Thread.ofVirtual()
                : Thread.ofPlatform().daemon()).name("gateway-", 0).factory());
        try {
            this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
        } catch (IOException e) {
            executor.close();
            throw new IOException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts serving on the real CLI.
     *
     * @throws IOException when the address cannot be bound (e.g. the port is in use)
     */
    public static GatewayServer start(GatewayConfig config) throws IOException {
        return new GatewayServer(config, ClaudeCodeBackend::new);
    }

    /** The seam for tests: backends come from {@code backendFactory}. */
    static GatewayServer start(GatewayConfig config, Function<BackendOptions, ClaudeCodeBackend> backendFactory)
            throws IOException {
        return new GatewayServer(config, backendFactory);
    }

    public GatewayConfig config() {
        return config;
    }

    /** The bound address (the real port when the config asked for 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://<host>:<port>}: what clients take as their base URL. */
    public URI baseUrl() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + host + ":" + address().getPort());
    }

    /**
     * Stops listening, closes open connections (streams in progress end, and their turns are
     * interrupted), closes every backend and its CLI sessions, and waits for the request threads.
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        backends.close();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(15, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "request threads still running 15 s after close; interrupting them");
                executor.shutdownNow();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    // --- routing ----------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath();
        Call call = new Call(exchange, path.startsWith("/v1/chat/") ? Call.Style.OPENAI : Call.Style.ANTHROPIC);
        String[] route = {"not_found"};
        try (exchange) {
            try {
                dispatch(call, path, route);
            } catch (HttpError e) {
                if (!call.responded()) {
                    call.sendError(e);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "unexpected failure answering " + route[0], e);
                if (!call.responded()) {
                    call.sendError(new HttpError(500, "api_error", "internal error in the gateway"));
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "client went away during " + route[0] + ": " + e.getMessage());
        } finally {
            int status = call.outcomeStatus();
            metrics.request(route[0], status);
            long ms = (System.nanoTime() - call.startNanos) / 1_000_000;
            System.Logger.Level level = route[0].equals("health") || route[0].equals("metrics") || route[0].startsWith("admin")
                    ? System.Logger.Level.DEBUG : System.Logger.Level.INFO;
            LOG.log(level, () -> call.method() + " " + route[0] + " -> " + (status == 0 ? "no response" : status) + " in "
                    + ms + " ms (" + call.requestId + ")");
        }
    }

    private void dispatch(Call call, String path, String[] route) throws HttpError, IOException {
        switch (path) {
            case "/health" -> {
                route[0] = "health";
                requireMethod(call, "GET");
                call.sendJson(200, JsonObject.builder().put("status", "ok").build());
            }
            case "/metrics" -> {
                route[0] = "metrics";
                requireMethod(call, "GET");
                guard(call, true);
                call.sendText(200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.render(backends.totals(), backends.optionSetCount()));
            }
            case "/admin", "/admin/" -> {
                route[0] = "admin";
                requireMethod(call, "GET");
                guard(call, false);
                adminHeaders(call);
                call.sendText(200, "text/html; charset=utf-8", AdminPage.HTML);
            }
            case "/admin/admin.js" -> {
                route[0] = "admin";
                requireMethod(call, "GET");
                guard(call, false);
                adminHeaders(call);
                call.sendText(200, "text/javascript; charset=utf-8", AdminPage.SCRIPT);
            }
            case "/admin/sessions" -> {
                route[0] = "admin_sessions";
                requireMethod(call, "GET");
                guard(call, true);
                adminHeaders(call);
                call.sendJson(200, AdminPage.sessionsJson(backends.liveSessions()));
            }
            case "/v1/messages" -> {
                route[0] = "messages";
                requireMethod(call, "POST");
                guard(call, true);
                chat(call, false);
            }
            case "/v1/messages/count_tokens" -> {
                route[0] = "count_tokens";
                requireMethod(call, "POST");
                guard(call, true);
                call.sendJson(200, AnthropicApi.countTokens(call.jsonBody(config.maxBodyBytes(), config.maxJsonDepth())));
            }
            case "/v1/models" -> {
                route[0] = "models";
                requireMethod(call, "GET");
                guard(call, true);
                List<JsonObject> models = models();
                JsonArray.Builder data = JsonArray.builder();
                models.forEach(data::add);
                call.sendJson(200, JsonObject.builder().put("object", "list").put("data", data.build())
                        .put("has_more", false).put("first_id", models.getFirst().string("id"))
                        .put("last_id", models.getLast().string("id")).build());
            }
            case "/v1/chat/completions" -> {
                route[0] = "chat_completions";
                requireMethod(call, "POST");
                guard(call, true);
                chat(call, true);
            }
            default -> {
                if (path.startsWith("/admin/sessions/") && path.endsWith("/screen")) {
                    route[0] = "admin_screen";
                    requireMethod(call, "GET");
                    guard(call, true);
                    String id = path.substring("/admin/sessions/".length(), path.length() - "/screen".length());
                    if (!AdminPage.SESSION_ID.matcher(id).matches()) {
                        throw HttpError.badRequest("not a session id (a lowercase UUID)");
                    }
                    String screen = backends.screen(id).orElseThrow(() -> HttpError.notFound("no live session " + id));
                    adminHeaders(call);
                    call.sendText(200, "text/plain; charset=utf-8", screen);
                } else if (path.startsWith("/v1/models/")) {
                    route[0] = "models";
                    requireMethod(call, "GET");
                    guard(call, true);
                    String id = path.substring("/v1/models/".length());
                    JsonObject model = models().stream().filter(m -> m.string("id").equals(id)).findFirst()
                            .orElseThrow(() -> HttpError.notFound("model not offered by this gateway; GET /v1/models lists them"));
                    call.sendJson(200, model);
                } else {
                    guard(call, false);
                    throw HttpError.notFound("no such endpoint; see the README for the endpoints of this gateway");
                }
            }
        }
    }

    private static void requireMethod(Call call, String method) throws HttpError {
        if (!call.method().equals(method)) {
            call.exchange.getResponseHeaders().set("Allow", method);
            throw new HttpError(405, "invalid_request_error", "method not allowed here; use " + method);
        }
    }

    private static void adminHeaders(Call call) {
        var h = call.exchange.getResponseHeaders();
        h.set("Content-Security-Policy", AdminPage.CSP);
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cache-Control", "no-store");
    }

    // --- access -----------------------------------------------------------------------------------

    /**
     * Without a token (loopback only) the {@code Host} must name a loopback address or the bound
     * host, and an {@code Origin}, when sent, must be a loopback one: web pages the user visits
     * cannot drive the CLI through the browser (DNS rebinding, cross-site requests). With a token,
     * {@code needsToken} requests must carry it.
     */
    private void guard(Call call, boolean needsToken) throws HttpError {
        if (tokenDigest == null) {
            String host = call.header("Host");
            if (host != null && !loopbackName(stripPort(host)) && !stripPort(host).equalsIgnoreCase(config.host())) {
                throw new HttpError(403, "permission_error", "the Host header does not name this gateway (a loopback "
                        + "address); set a token (--token) to serve other names");
            }
            String origin = call.header("Origin");
            if (origin != null && !loopbackOrigin(origin)) {
                throw new HttpError(403, "permission_error", "requests from web pages of other origins are refused");
            }
            return;
        }
        if (!needsToken) {
            return;
        }
        String presented = null;
        String authorization = call.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).strip();
        } else if (call.header("x-api-key") != null) {
            presented = call.header("x-api-key").strip();
        }
        if (presented == null || presented.isEmpty()) {
            throw new HttpError(401, "authentication_error", "this gateway needs a token: send Authorization: Bearer "
                    + "<token> or x-api-key: <token>");
        }
        if (!MessageDigest.isEqual(tokenDigest, sha256(presented))) { // digests: equal length, constant time
            throw new HttpError(401, "authentication_error", "invalid token");
        }
    }

    static String stripPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(1, end);
        }
        int colon = host.indexOf(':');
        return colon >= 0 && host.indexOf(':', colon + 1) < 0 ? host.substring(0, colon) : host;
    }

    /** A loopback name or literal, decided without a DNS lookup. */
    static boolean loopbackName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || IPV4_LOOPBACK.matcher(h).matches();
    }

    static boolean loopbackOrigin(String origin) {
        URI uri;
        try {
            uri = URI.create(origin.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                && loopbackName(stripPort(uri.getHost()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    // --- chat -------------------------------------------------------------------------------------

    private void chat(Call call, boolean openAi) throws HttpError, IOException {
        JsonObject body = call.jsonBody(config.maxBodyBytes(), config.maxJsonDepth());
        TurnRequest request = openAi ? OpenAiApi.parse(body, policy) : AnthropicApi.parse(body, policy);
        boolean toolActivity = toolActivity(call);
        String model = request.model() != null && request.model().equals(config.backend().model()) ? null : request.model();
        String defaultModel = config.backend().model() != null ? config.backend().model() : "default";
        long start = System.nanoTime();
        String outcome = "error";
        Backends.Lease lease;
        try {
            lease = backends.acquire(new OptionSet(model, request.system()));
        } catch (RuntimeException e) {
            throw Errors.fromException(e);
        }
        try (lease) {
            EventStream turn;
            try {
                turn = lease.backend().complete(request.messages());
            } catch (UncheckedIOException e) { // the client gets the first line; the screen it quotes goes here
                LOG.log(System.Logger.Level.WARNING, "a claude session could not start (" + call.requestId + "): "
                        + e.getMessage());
                throw Errors.fromException(e);
            } catch (RuntimeException e) {
                throw Errors.fromException(e);
            }
            try (turn) {
                TurnView view = new TurnView(toolActivity);
                if (request.stream()) {
                    TurnPump.End end = openAi
                            ? OpenAiApi.stream(call, request, turn, view, defaultModel, config.pingInterval())
                            : AnthropicApi.stream(call, request, turn, view, defaultModel, config.pingInterval());
                    outcome = end == TurnPump.End.CLIENT_GONE ? "client_gone" : call.outcomeStatus() == 200 ? "ok" : "error";
                } else {
                    if (openAi) {
                        OpenAiApi.respond(call, request, turn, view, defaultModel);
                    } else {
                        AnthropicApi.respond(call, request, turn, view, defaultModel);
                    }
                    outcome = "ok";
                }
            } catch (IOException clientGone) { // a write failed: the turn was interrupted (or had ended) on the way out
                outcome = "client_gone";
                throw clientGone;
            }
        } finally {
            metrics.turn(Duration.ofNanos(System.nanoTime() - start), outcome);
        }
    }

    private boolean toolActivity(Call call) throws HttpError {
        String value = call.header(Turns.TOOL_ACTIVITY_HEADER);
        if (value == null) {
            return config.toolActivity() == GatewayConfig.ToolActivity.TEXT;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "text" -> true;
            case "none" -> false;
            default -> throw HttpError.badRequest(Turns.TOOL_ACTIVITY_HEADER + ": expected \"text\" or \"none\"");
        };
    }

    /** The model ids offered: "default" (the gateway's model), the gateway's --model, and the CLI's aliases. */
    private List<JsonObject> models() {
        String own = config.backend().model();
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        ids.add("default");
        if (own != null) {
            ids.add(own);
        }
        ids.addAll(MODEL_ALIASES);
        return ids.stream().map(id -> JsonObject.builder().put("type", "model").put("id", id)
                .put("display_name", id.equals("default") ? "The gateway's model (" + (own == null ? "the CLI's default" : own) + ")"
                        : "Claude (" + id + ", as the claude CLI resolves it)")
                .put("created_at", "2025-01-01T00:00:00Z").put("object", "model").put("created", 1735689600L)
                .put("owned_by", new JsonString("anthropic")).build()).toList();
    }
}
