package claude.code.api.session;

import claude.code.api.events.ApiError;
import claude.code.api.events.StreamEvent;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonParseException;
import claude.code.api.mcp.McpEndpoint;
import claude.code.api.mcp.McpSession;
import claude.code.api.modelapi.ApiCall;
import claude.code.api.modelapi.MessageAccumulator;
import claude.code.api.modelapi.SseParser;
import claude.code.api.sidechannel.RelayTap;
import claude.code.api.sidechannel.RouteHandler;
import claude.code.api.sidechannel.SessionChannel;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One session's view of the side channel: a {@link RelayTap} that classifies each model-API call
 * and turns the conversation's own (main-loop) calls into {@link SessionSignal}s, and the hooks
 * route ({@code /<secret>/_hooks/<event>}) that answers the CLI's http hooks at once and signals them.
 *
 * <p>Which calls count ({@code docs/CLI-BEHAVIOUR.md#relay-calls}): a main-loop-shaped call
 * ({@link ApiCall#classify}) whose {@code system} text is the one of the turn's first main-loop call.
 * Side queries (titles, summaries, other models), {@code count_tokens} and a sub-agent's loop (its own
 * system prompt) are passed through and never signalled.
 *
 * <p>Nothing of a request or response is logged: parse problems are logged by offset and reason only.
 */
final class SessionRelay implements RelayTap, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SessionRelay.class.getName());
    /** The hooks route: {@code /<secret>/_hooks/Stop}. */
    static final String HOOKS_ROUTE = "hooks";
    /** The route of the client tools' MCP server ({@code <base>/_mcp}). */
    static final String MCP_ROUTE = "mcp";
    /** An upstream error body is read up to this much (the API's are a few hundred bytes). */
    private static final int ERROR_BODY_LIMIT = 64 * 1024;
    /** A hook's input is read up to this much (a Stop input holds the turn's final text). */
    private static final int HOOK_BODY_LIMIT = 16 << 20;
    /**
     * The first block of the CLI's system prompt is a billing header that changes per request
     * ({@code x-anthropic-billing-header: cc_version=…; cc_entrypoint=cli; cch=…}); it says nothing
     * about which loop sent the call.
     */
    private static final String BILLING_HEADER = "x-anthropic-billing-header:";

    private final String sessionId;
    private final Queue<SessionSignal> signals;
    private final boolean partialEvents;
    private final String upstream;
    private final SessionChannel channel;
    private final AtomicLong calls = new AtomicLong();
    private volatile boolean onlyOurStopHook;
    private final Object anchorLock = new Object();
    private String turnSystem; // guarded by anchorLock; null until the turn's first main-loop call
    private final List<Path> ownFiles = new CopyOnWriteArrayList<>();
    private volatile McpSession mcp; // null without client tools
    private volatile Thread callFeeder; // null without client tools
    private final MainCallAmendments amendments = new MainCallAmendments();

    SessionRelay(String sessionId, Queue<SessionSignal> signals, boolean partialEvents, String upstream,
            SessionChannel channel) {
        this.sessionId = sessionId;
        this.signals = signals;
        this.partialEvents = partialEvents;
        this.upstream = upstream;
        this.channel = channel;
    }

    /** The session's part of the side channel. */
    SessionChannel channel() {
        return channel;
    }

    /** The channel's base URL, for the CLI's {@code ANTHROPIC_BASE_URL}. */
    String baseUrl() {
        return channel.baseUrl().toString();
    }

    /** A hook's URL: {@code <base>/_hooks/<event>}. */
    String hookUrl(String event) {
        return baseUrl() + "/_" + HOOKS_ROUTE + "/" + event;
    }

    /**
     * No hook but ours runs at {@code Stop} ({@link OtherStopHooks}), so nothing can make the CLI go on after the
     * model's final {@code message_stop}: the session's turns may end there for the caller. Set once, before the
     * first turn.
     */
    void onlyOurStopHook(boolean yes) {
        onlyOurStopHook = yes;
    }

    boolean onlyOurStopHook() {
        return onlyOurStopHook;
    }

    /** The hooks route to mount on the channel. */
    RouteHandler hooks() {
        return this::hook;
    }

    /** A new turn begins: its first main-loop call names the conversation's system prompt again. */
    void newTurn() {
        synchronized (anchorLock) {
            turnSystem = null;
        }
        amendments.newTurn();
    }

    /**
     * Amends the conversation's next main-loop request, and its retries (docs/CLI-BEHAVIOUR.md#relay-amendments):
     * the model request that answers the client's request. For a typed turn, call it after {@link #newTurn()}; for a
     * continuation (the client's tool results), before the open calls are completed.
     */
    void amendNextMainCall(List<RequestAmendment> next) {
        amendments.nextCall(next);
    }

    /**
     * Amends every main-loop request of the session from now on, besides the amendments already there (a seeded
     * continuation's history, the documents of earlier turns).
     */
    void amendEveryMainCall(List<RequestAmendment> every) {
        amendments.everyCall(every);
    }

    @Override
    public Exchange exchange(String method, String path, String query, byte[] body) {
        ApiCall call = ApiCall.classify(method, path, body);
        if (call.kind() != ApiCall.Kind.MAIN_LOOP || !conversationsOwn(call)) {
            return Exchange.NONE;
        }
        long id = calls.incrementAndGet();
        signals.add(new SessionSignal.RelayCall(id));
        return new MainLoopExchange(id);
    }

    /** The body the relay forwards for a main-loop call: the CLI's own bytes unless this session amends the call. */
    private byte[] forwardedBody(byte[] sent) {
        return amendments.forCall(sent);
    }

    private boolean conversationsOwn(ApiCall call) {
        String system = withoutBillingHeader(call.systemText());
        synchronized (anchorLock) {
            if (turnSystem == null) {
                turnSystem = system;
                return true;
            }
            return turnSystem.equals(system);
        }
    }

    private static String withoutBillingHeader(String system) {
        if (!system.startsWith(BILLING_HEADER)) {
            return system;
        }
        int end = system.indexOf('\n');
        return end < 0 ? "" : system.substring(end + 1);
    }

    /** One main-loop call: its stream parsed and folded, its error read. */
    private final class MainLoopExchange implements Exchange {
        private final long call;
        private final MessageAccumulator accumulator = new MessageAccumulator();
        private SseParser parser;
        private int status;
        private String retryAfter;
        private byte[] errorBody;
        private int errorLength;

        MainLoopExchange(long call) {
            this.call = call;
        }

        @Override
        public byte[] forwardedBody(byte[] sent) {
            return SessionRelay.this.forwardedBody(sent);
        }

        @Override
        public void response(int status, Map<String, List<String>> headers) {
            this.status = status;
            retryAfter = header(headers, "retry-after");
            if (status >= 400) {
                errorBody = new byte[1024];
            } else if (header(headers, "content-type") instanceof String type
                    && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
                parser = new SseParser(this::event, e -> LOG.log(System.Logger.Level.DEBUG,
                        "session {0}: relayed stream, byte {1}: {2}", sessionId, e.offset(), e.reason()));
            }
            // A 2xx JSON body (the CLI's non-streamed retry) is not parsed: the transcript has its message.
        }

        @Override
        public void bytes(byte[] bytes, int offset, int length) {
            if (parser != null) {
                parser.accept(bytes, offset, length);
            } else if (errorBody != null) {
                int n = Math.min(length, ERROR_BODY_LIMIT - errorLength);
                if (n > 0) {
                    if (errorLength + n > errorBody.length) {
                        errorBody = java.util.Arrays.copyOf(errorBody, Math.min(ERROR_BODY_LIMIT,
                                Math.max(errorLength + n, errorBody.length * 2)));
                    }
                    System.arraycopy(bytes, offset, errorBody, errorLength, n);
                    errorLength += n;
                }
            }
        }

        @Override
        public void end() {
            if (parser != null) {
                parser.finish();
            }
            if (errorBody != null) {
                signals.add(new SessionSignal.RelayError(call, httpError(status, errorBody, errorLength, retryAfter)));
            }
        }

        @Override
        public void failed(Failure failure) {
            switch (failure) {
                case UpstreamUnreachable u -> signals.add(new SessionSignal.RelayUnreachable(call, new ApiError(
                        "connection_failed", 0, "connection_failed", "the model-API relay cannot reach the upstream "
                        + u.upstream() + " (" + u.reason() + "); check the upstream, or switch the relay off "
                        + "(--model-api-relay off, BackendOptions.modelApiRelay(false))")));
                // Also what an interrupt looks like (the CLI closes its connection): the turn's records say which.
                case StreamBroken b -> LOG.log(System.Logger.Level.DEBUG, "session {0}: relayed call {1} broke off: {2}",
                        sessionId, call, b.reason());
            }
        }

        private void event(StreamEvent event) {
            accumulator.accept(event);
            if (partialEvents) {
                signals.add(new SessionSignal.RelayEvent(call, event));
            }
            switch (event) {
                case StreamEvent.MessageStop stop -> {
                    switch (accumulator.result()) {
                        case MessageAccumulator.Folded.Complete(var message) ->
                                signals.add(new SessionSignal.RelayMessage(call, message));
                        case MessageAccumulator.Folded.Failed(var error) -> LOG.log(System.Logger.Level.DEBUG,
                                "session {0}: relayed message does not fold (block {1}: {2}); the transcript gives it",
                                sessionId, error.index(), error.reason());
                    }
                }
                case StreamEvent.StreamError e -> signals.add(new SessionSignal.RelayError(call,
                        new ApiError(kindOf(statusOf(e.type())), statusOf(e.type()), e.type(), e.message(), retryAfter, true)));
                default -> {}
            }
        }
    }

    private static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                return h.getValue().getFirst();
            }
        }
        return null;
    }

    /** The API's error body {@code {"type":"error","error":{"type","message"}}}; another body keeps the status. */
    static ApiError httpError(int status, byte[] body, int length, String retryAfter) {
        String type = "";
        String message = "the upstream answered HTTP " + status;
        try {
            if (Json.parse(body, 0, length) instanceof JsonObject o && o.get("error") instanceof JsonObject e) {
                type = e.string("type", "");
                message = e.string("message", message);
            }
        } catch (JsonParseException e) {
            // not the API's error shape: status and retry-after are still exact
        }
        return new ApiError(kindOf(status), status, type, message, retryAfter, true);
    }

    /**
     * The HTTP status the Messages API gives an error type (its errors documentation), for an SSE
     * {@code error} event, which arrives inside a 200 stream.
     */
    static int statusOf(String type) {
        return switch (type) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> 500;
        };
    }

    /** The CLI's words for a status ({@code docs/CLI-BEHAVIOUR.md#api-errors}). */
    static String kindOf(int status) {
        return switch (status) {
            case 401, 403 -> "authentication_failed";
            case 413 -> "invalid_request";
            case 429 -> "rate_limit";
            default -> status >= 500 ? "server_error" : "unknown";
        };
    }

    private void hook(HttpExchange exchange, String path) throws IOException {
        String prefix = "/_" + HOOKS_ROUTE + "/";
        String event = path.startsWith(prefix) ? path.substring(prefix.length()) : "";
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(HOOK_BODY_LIMIT);
        }
        // Answered at once: a hook holds the CLI's turn until it is answered (docs/CLI-BEHAVIOUR.md#hooks).
        byte[] answer = "{}".getBytes(StandardCharsets.US_ASCII);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.getResponseBody().close();
        if (!"POST".equals(exchange.getRequestMethod())) {
            return;
        }
        JsonObject input = JsonObject.EMPTY;
        try {
            if (Json.parse(body) instanceof JsonObject o) {
                input = o;
            }
        } catch (JsonParseException e) {
            LOG.log(System.Logger.Level.DEBUG, "session {0}: hook {1} input is not JSON at byte {2}", sessionId,
                    event, e.offset());
        }
        String from = input.string("session_id", sessionId);
        if (!from.equals(sessionId)) {
            return; // another session's hook (a sub-agent's, or a forked one): not this conversation's end
        }
        signals.add(new SessionSignal.Hook(event, input));
    }

    /** A file of this session's (its settings, holding the secret URLs), removed at {@link #close()}. */
    void deleteOnClose(Path file) {
        ownFiles.add(file);
    }

    /**
     * Mounts the MCP server that offers the client's tools on this session's channel, and feeds each call the CLI
     * makes into the session's queue ({@link SessionSignal.ClientToolCall}) from a virtual thread of its own; both
     * end with the session.
     */
    void offerClientTools(McpSession session) {
        mcp = session;
        McpEndpoint endpoint = new McpEndpoint(session);
        channel.mount(MCP_ROUTE, (exchange, path) -> endpoint.handle(exchange));
        callFeeder = Thread.ofVirtual().name("claude-tool-calls " + sessionId).start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    session.nextCall(FEED_POLL).ifPresent(call -> signals.add(new SessionSignal.ClientToolCall(call)));
                }
            } catch (InterruptedException e) {
                // the session closes
            }
        });
    }

    /** How often the call feeder looks whether it should stop (it is interrupted at close; this is the backstop). */
    private static final java.time.Duration FEED_POLL = java.time.Duration.ofSeconds(1);

    /** The MCP server of the client's tools, or empty when the session offers the CLI's own. */
    Optional<McpSession> clientTools() {
        return Optional.ofNullable(mcp);
    }

    /** The URL of the client tools' MCP server, with the session's secret. */
    URI mcpUrl() {
        return URI.create(channel.baseUrl() + "/_" + MCP_ROUTE);
    }

    /** Unregisters the session's routes (the relay refuses its secret from now on) and removes its files. */
    @Override
    public void close() {
        channel.close();
        McpSession tools = mcp;
        if (tools != null) {
            tools.close();
        }
        Thread feeder = callFeeder;
        if (feeder != null) {
            feeder.interrupt();
            try {
                if (!feeder.join(java.time.Duration.ofSeconds(5))) {
                    LOG.log(System.Logger.Level.WARNING, "session {0}: the tool call feeder did not stop", sessionId);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Path file : ownFiles) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "session {0}: could not delete {1}: {2}", sessionId, file,
                        e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return "SessionRelay[" + sessionId + " via " + upstream + "]";
    }
}
