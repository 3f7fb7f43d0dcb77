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
    private final Lifecycle lifecycle = new Lifecycle(); // accepting -> draining -> closed
    private final AnthropicMessages anthropic = new AnthropicMessages();
    private final OpenAiChatCompletions openAiChat = new OpenAiChatCompletions();
    private final ChatPipeline<AnthropicMessages.MessagesRequest> messages;
    private final ChatPipeline<OpenAiChatCompletions.CompletionRequest> chatCompletions;
    private final OpenAiResponses openAiResponses;
    private final ChatPipeline<OpenAiResponses.ResponsesRequest> responses;
    private final AccessGuard guard;
    /** Fetches media URLs, when {@link GatewayConfig#fetchMediaUrls()}; else {@code null}. */
    private final MediaFetch mediaFetch;
    private final ModelList models;
    private final RouteTable routes;
    private final ExecutorService executor;
    private final HttpServer server;
    private volatile boolean closed;

    private GatewayServer(GatewayConfig config, Function<BackendOptions, ClaudeCodeBackend> backendFactory) throws IOException {
        this.config = Objects.requireNonNull(config, "config");
        this.guard = new AccessGuard(config.host(), config.token());
        String gatewayModel = config.backend().launch().model();
        this.models = new ModelList(gatewayModel);
        this.backends = new Backends(config.backend(), config.systemPromptMode(), config.maxOptionSets(), backendFactory);
        FieldPolicy policy = new FieldPolicy();
        this.mediaFetch = config.fetchMediaUrls() ? new MediaFetch() : null;
        this.messages = new ChatPipeline<>(anthropic, backends, metrics, policy, config, gatewayModel, mediaFetch);
        this.chatCompletions = new ChatPipeline<>(openAiChat, backends, metrics, policy, config, gatewayModel, mediaFetch);
        this.openAiResponses = new OpenAiResponses(new ResponseStore(config.responsesKept(), config.responsesKeptFor()),
                "local");
        this.responses = new ChatPipeline<>(openAiResponses, backends, metrics, policy, config, gatewayModel, mediaFetch);
        this.routes = routes(new AdminPage(backends));
        // Before JDK 24 a virtual thread blocked in a synchronized method pins its carrier, and jdk.httpserver reads
        // a request under a monitor: as many half-sent requests as CPUs would stall the server. Platform threads there.
        this.executor = Executors.newThreadPerTaskExecutor((Runtime.version().feature() >= 24 ? Thread.ofVirtual()
                : Thread.ofPlatform().daemon()).name("gateway-", 0).factory());
        try {
            this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
        } catch (IOException e) {
            executor.close();
            if (mediaFetch != null) {
                mediaFetch.close();
            }
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
     * Drains, then stops: first new turns are refused (503) and {@code /health} answers 503
     * {@code draining} while the open turns finish, for at most {@link GatewayConfig#drainTimeout()};
     * then it stops listening, closes open connections (streams still in progress end, and their
     * turns are interrupted), closes every backend and its CLI sessions, and waits for the request
     * threads. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        lifecycle.drain(config.drainTimeout()); // open turns finish first, within the bound
        lifecycle.close();
        server.stop(config.drainTimeout().isZero() ? 0 : 1); // after a drain, a second for the last bytes
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
        if (mediaFetch != null) {
            mediaFetch.close();
        }
    }

    // --- routing ----------------------------------------------------------------------------------

    /** A Messages body with its media URLs fetched when the gateway fetches them: {@code count_tokens} counts those bytes. */
    private JsonObject mediaFetched(JsonObject body) throws HttpError {
        return mediaFetch == null ? body : mediaFetch.anthropic(body);
    }

    /** {@code GET} or {@code DELETE /v1/responses/{id}}: a kept Responses API response. */
    private void keptResponse(Call call, String id) throws HttpError, IOException {
        ResponseStore.Kept kept = openAiResponses.store().get(id);
        if (kept == null) {
            throw HttpError.notFound("Response with id '" + FieldPolicy.printable(id) + "' not found.");
        }
        switch (call.method()) {
            case "GET" -> {
                if ("true".equals(call.query("stream"))) { // the API replays a background response's events
                    throw new HttpError(400, "invalid_request_error", "stream: a kept response is retrieved whole here "
                            + "(no background responses to replay)", "stream", null);
                }
                call.sendJson(200, kept.response());
            }
            case "DELETE" -> {
                openAiResponses.store().remove(id);
                call.sendJson(200, JsonObject.builder().put("id", id).put("object", "response.deleted").put("deleted", true)
                        .build());
            }
            default -> throw new HttpError(405, "invalid_request_error", "method not allowed here; use GET or DELETE");
        }
    }

    /** {@code GET /v1/responses/{id}/input_items}: a page of a kept response's input items. */
    private void inputItems(Call call, String id) throws HttpError, IOException {
        ResponseStore.Kept kept = openAiResponses.store().get(id);
        if (kept == null) {
            throw HttpError.notFound("Response with id '" + FieldPolicy.printable(id) + "' not found.");
        }
        call.sendJson(200, ResponseInputItems.page(kept.inputItems(), call.query("order"), call.query("limit"),
                call.query("after"), call.query("before")));
    }

    /**
     * The endpoints (the README's table). The gateway's own routes answer errors in the Messages
     * API's shape, the OpenAI routes (and unknown paths under {@code /v1/chat/}) in OpenAI's.
     */
    private RouteTable routes(AdminPage admin) {
        ErrorShape own = anthropic;
        return new RouteTable("not_found", Access.STATIC, own, GatewayServer::notFound)
                .add("health", "GET", "/health", Access.OPEN, own, (call, p) -> call.sendJson(lifecycle.healthStatus(), lifecycle.health()))
                .add("metrics", "GET", "/metrics", Access.PROTECTED, own, (call, p) -> call.sendText(200,
                        "text/plain; version=0.0.4; charset=utf-8", metrics.render(backends.totals(), backends.optionSetCount(), backends.cliVersions(), lifecycle)))
                .add("admin", "GET", "/admin", Access.STATIC, own, admin::page)
                .add("admin", "GET", "/admin/", Access.STATIC, own, admin::page)
                .add("admin", "GET", "/admin/admin.js", Access.STATIC, own, admin::script)
                .add("admin_sessions", "GET", "/admin/sessions", Access.PROTECTED, own, admin::sessions)
                .add("admin_screen", "GET", "/admin/sessions/{id}/screen", Access.PROTECTED, own, admin::screen)
                .add("messages", "POST", "/v1/messages", Access.PROTECTED, anthropic, (call, p) -> lifecycle.runTurn(() -> messages.handle(call)))
                .add("count_tokens", "POST", "/v1/messages/count_tokens", Access.PROTECTED, anthropic, (call, p) ->
                        call.sendJson(200, anthropic.countTokens(mediaFetched(call.jsonBody(config.maxBodyBytes(),
                                config.maxJsonDepth())))))
                .add("models", "GET", "/v1/models", Access.PROTECTED, own, (call, p) -> call.sendJson(200, models.list()))
                .add("models", "GET", "/v1/models/{id}", Access.PROTECTED, own, (call, id) -> call.sendJson(200, models.find(id)
                        .orElseThrow(() -> HttpError.notFound("model not offered by this gateway; GET /v1/models lists them"))))
                .add("chat_completions", "POST", "/v1/chat/completions", Access.PROTECTED, openAiChat,
                        (call, p) -> lifecycle.runTurn(() -> chatCompletions.handle(call)))
                .add("responses", "POST", "/v1/responses", Access.PROTECTED, openAiResponses,
                        (call, p) -> lifecycle.runTurn(() -> responses.handle(call)))
                // before /v1/responses/{id}, whose {id} would match "<id>/input_items" too
                .add("response_input_items", "GET", "/v1/responses/{id}/input_items", Access.PROTECTED, openAiResponses,
                        this::inputItems)
                // one route for GET and DELETE: a route answers one method, another one is a 405
                .add("response", null, "/v1/responses/{id}", Access.PROTECTED, openAiResponses, this::keptResponse)
                .add("not_found", null, "/v1/chat/{path}", Access.STATIC, openAiChat, GatewayServer::notFound);
    }

    private static void notFound(Call call, String pathPart) throws HttpError {
        throw HttpError.notFound("no such endpoint; see the README for the endpoints of this gateway");
    }

    private void handle(HttpExchange exchange) {
        RouteTable.Match match = routes.match(exchange.getRequestURI().getRawPath());
        RouteTable.Route route = match.route();
        Call call = new Call(exchange, route.errors());
        try (exchange) {
            try {
                if (route.method() != null && !call.method().equals(route.method())) {
                    exchange.getResponseHeaders().set("Allow", route.method());
                    throw new HttpError(405, "invalid_request_error", "method not allowed here; use " + route.method());
                }
                guard.check(call, route.access());
                route.handler().handle(call, match.pathPart());
            } catch (HttpError e) {
                if (!call.responded()) {
                    call.sendError(e);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "unexpected failure answering " + route.name(), e);
                if (!call.responded()) {
                    call.sendError(new HttpError(500, "api_error", "internal error in the gateway"));
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "client went away during " + route.name() + ": " + e.getMessage());
        } finally {
            int status = call.outcomeStatus();
            metrics.request(route.name(), status);
            long ms = (System.nanoTime() - call.startNanos) / 1_000_000;
            System.Logger.Level level = route.name().equals("health") || route.name().equals("metrics")
                    || route.name().startsWith("admin") ? System.Logger.Level.DEBUG : System.Logger.Level.INFO;
            LOG.log(level, () -> call.method() + " " + route.name() + " -> " + (status == 0 ? "no response" : status) + " in "
                    + ms + " ms (" + call.requestId + ")");
        }
    }
}
