package claude.code.api.gateway;

import claude.code.api.BackendOptions;
import claude.code.api.ClaudeCodeBackend;
import claude.code.api.gateway.AccessGuard.Access;
import claude.code.api.json.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

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

    private final GatewayConfig config;
    private final Backends backends;
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final AnthropicMessages anthropic = new AnthropicMessages();
    private final OpenAiChatCompletions openAiChat = new OpenAiChatCompletions();
    private final ChatPipeline<AnthropicMessages.MessagesRequest> messages;
    private final ChatPipeline<OpenAiChatCompletions.CompletionRequest> chatCompletions;
    private final AccessGuard guard;
    private final ModelList models;
    private final ExecutorService executor;
    private final HttpServer server;
    private volatile boolean closed;

    private GatewayServer(GatewayConfig config, Function<BackendOptions, ClaudeCodeBackend> backendFactory) throws IOException {
        this.config = Objects.requireNonNull(config, "config");
        this.guard = new AccessGuard(config.host(), config.token());
        String gatewayModel = config.backend().model();
        this.models = new ModelList(gatewayModel);
        this.backends = new Backends(config.backend(), config.systemPromptMode(), config.maxOptionSets(), backendFactory);
        FieldPolicy policy = new FieldPolicy();
        this.messages = new ChatPipeline<>(anthropic, backends, metrics, policy, config, gatewayModel);
        this.chatCompletions = new ChatPipeline<>(openAiChat, backends, metrics, policy, config, gatewayModel);
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("gateway-", 0).factory());
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
        Call call = new Call(exchange, path.startsWith("/v1/chat/") ? openAiChat : anthropic);
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
                guard.check(call, Access.PROTECTED);
                call.sendText(200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.render(backends.totals(), backends.optionSetCount()));
            }
            case "/admin", "/admin/" -> {
                route[0] = "admin";
                requireMethod(call, "GET");
                guard.check(call, Access.STATIC);
                adminHeaders(call);
                call.sendText(200, "text/html; charset=utf-8", AdminPage.HTML);
            }
            case "/admin/admin.js" -> {
                route[0] = "admin";
                requireMethod(call, "GET");
                guard.check(call, Access.STATIC);
                adminHeaders(call);
                call.sendText(200, "text/javascript; charset=utf-8", AdminPage.SCRIPT);
            }
            case "/admin/sessions" -> {
                route[0] = "admin_sessions";
                requireMethod(call, "GET");
                guard.check(call, Access.PROTECTED);
                adminHeaders(call);
                call.sendJson(200, AdminPage.sessionsJson(backends.liveSessions()));
            }
            case "/v1/messages" -> {
                route[0] = "messages";
                requireMethod(call, "POST");
                guard.check(call, Access.PROTECTED);
                messages.handle(call);
            }
            case "/v1/messages/count_tokens" -> {
                route[0] = "count_tokens";
                requireMethod(call, "POST");
                guard.check(call, Access.PROTECTED);
                call.sendJson(200, anthropic.countTokens(call.jsonBody(config.maxBodyBytes(), config.maxJsonDepth())));
            }
            case "/v1/models" -> {
                route[0] = "models";
                requireMethod(call, "GET");
                guard.check(call, Access.PROTECTED);
                call.sendJson(200, models.list());
            }
            case "/v1/chat/completions" -> {
                route[0] = "chat_completions";
                requireMethod(call, "POST");
                guard.check(call, Access.PROTECTED);
                chatCompletions.handle(call);
            }
            default -> {
                if (path.startsWith("/admin/sessions/") && path.endsWith("/screen")) {
                    route[0] = "admin_screen";
                    requireMethod(call, "GET");
                    guard.check(call, Access.PROTECTED);
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
                    guard.check(call, Access.PROTECTED);
                    String id = path.substring("/v1/models/".length());
                    JsonObject model = models.find(id)
                            .orElseThrow(() -> HttpError.notFound("model not offered by this gateway; GET /v1/models lists them"));
                    call.sendJson(200, model);
                } else {
                    guard.check(call, Access.STATIC);
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
}
