package claude.code.api.mcp;

import claude.code.api.options.ClientTool;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonNumber;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonParseException;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The MCP server (streamable HTTP, JSON-RPC 2.0) of one {@link McpSession}, as an {@link HttpHandler} so the
 * side channel's loopback server mounts it with {@code createContext}: a held tools/call answers as an SSE
 * stream written while the call waits, which a buffered (method, headers, body) → response shape cannot do.
 * The side channel checks the per-session secret in the path before it hands an exchange here.
 */
public final class McpEndpoint implements HttpHandler {
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    /** The CLI's messages are small; a bound keeps hostile input from filling the heap. */
    static final int MAX_BODY_BYTES = 4 << 20;
    private static final Set<String> KNOWN_VERSIONS = Set.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
    private static final String SESSION_HEADER = "Mcp-Session-Id";
    /** The CLI sends server/discover before initialize, so before it has a session id. */
    private static final Set<String> SESSIONLESS = Set.of("initialize", "server/discover", "ping");

    private final McpSession session;
    private final String sessionId = UUID.randomUUID().toString();

    public McpEndpoint(McpSession session) {
        this.session = session;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                // No server-initiated stream: the CLI's GET for one is answered as the spec allows.
                exchange.getResponseHeaders().set("Allow", "POST");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                sendJson(exchange, 413, error(JsonNull.INSTANCE, INVALID_REQUEST,
                        "request body over " + MAX_BODY_BYTES + " bytes"));
                return;
            }
            JsonValue message;
            try {
                message = Json.parse(body);
            } catch (JsonParseException e) {
                sendJson(exchange, 400, error(JsonNull.INSTANCE, PARSE_ERROR, "parse error: " + e.getMessage()));
                return;
            }
            dispatch(exchange, message);
        }
    }

    private void dispatch(HttpExchange exchange, JsonValue message) throws IOException {
        if (!(message instanceof JsonObject request) || !JsonString.of("2.0").equals(request.get("jsonrpc"))) {
            sendJson(exchange, 400, error(idOf(message), INVALID_REQUEST, "not a JSON-RPC 2.0 message object"));
            return;
        }
        JsonValue id = request.get("id");
        boolean hasId = request.has("id");
        if (hasId && !(id instanceof JsonString || id instanceof JsonNumber)) {
            sendJson(exchange, 400, error(JsonNull.INSTANCE, INVALID_REQUEST, "id must be a string or a number"));
            return;
        }
        if (!(request.get("method") instanceof JsonString(String method))) {
            if (hasId && (request.has("result") || request.has("error"))) {
                exchange.sendResponseHeaders(202, -1); // a response to a request we never send: nothing to do
                return;
            }
            sendJson(exchange, 400, error(hasId ? id : JsonNull.INSTANCE, INVALID_REQUEST, "method must be a string"));
            return;
        }
        if (!SESSIONLESS.contains(method) && !sessionIdMatches(exchange)) {
            return;
        }
        if (!hasId) {
            notification(method, request.get("params"));
            exchange.sendResponseHeaders(202, -1);
            return;
        }
        JsonValue params = request.has("params") ? request.get("params") : JsonObject.EMPTY;
        switch (method) {
            case "initialize" -> {
                exchange.getResponseHeaders().set(SESSION_HEADER, sessionId);
                sendJson(exchange, 200, result(id, initializeResult(params)));
            }
            case "ping" -> sendJson(exchange, 200, result(id, JsonObject.EMPTY));
            case "tools/list" -> {
                sendJson(exchange, 200, result(id, toolsList()));
                session.markToolsListed();
            }
            case "tools/call" -> call(exchange, id, params);
            default -> sendJson(exchange, 200, error(id, METHOD_NOT_FOUND, "method not found: " + method));
        }
    }

    /** An unknown or missing session id after initialize is answered as the transport spec says (404 / 400). */
    private boolean sessionIdMatches(HttpExchange exchange) throws IOException {
        String given = exchange.getRequestHeaders().getFirst(SESSION_HEADER);
        if (given == null) {
            sendJson(exchange, 400, error(JsonNull.INSTANCE, INVALID_REQUEST, "missing " + SESSION_HEADER + " header"));
            return false;
        }
        if (!given.equals(sessionId)) {
            sendJson(exchange, 404, error(JsonNull.INSTANCE, INVALID_REQUEST, "unknown " + SESSION_HEADER));
            return false;
        }
        return true;
    }

    private void notification(String method, JsonValue params) {
        if (method.equals("notifications/cancelled") && params instanceof JsonObject p && p.has("requestId")) {
            session.cancel(Json.canonical(p.get("requestId")), "cancelled by the CLI");
        }
        // notifications/initialized and anything else need no action.
    }

    private JsonObject initializeResult(JsonValue params) {
        String asked = params instanceof JsonObject p ? p.string("protocolVersion", PROTOCOL) : PROTOCOL;
        return JsonObject.builder()
                .put("protocolVersion", KNOWN_VERSIONS.contains(asked) ? asked : PROTOCOL)
                .put("capabilities", JsonObject.builder()
                        .put("tools", JsonObject.builder().put("listChanged", false).build()).build())
                .put("serverInfo", JsonObject.builder().put("name", "claude-code-api").put("version", "1").build())
                .build();
    }

    private static final String PROTOCOL = McpSession.PROTOCOL_VERSION;

    private JsonObject toolsList() {
        JsonArray.Builder list = JsonArray.builder();
        for (ClientTool tool : session.tools()) {
            JsonObject.Builder t = JsonObject.builder().put("name", tool.name())
                    .put("description", tool.description()).put("inputSchema", tool.inputSchema());
            if (tool.readOnly()) {
                t.put("annotations", JsonObject.builder().put("readOnlyHint", true).build());
            }
            list.add(t.build());
        }
        return JsonObject.builder().put("tools", list.build()).build();
    }

    private void call(HttpExchange exchange, JsonValue id, JsonValue params) throws IOException {
        if (!(params instanceof JsonObject p) || !(p.get("name") instanceof JsonString(String name))) {
            sendJson(exchange, 200, error(id, INVALID_PARAMS, "tools/call needs params.name"));
            return;
        }
        if (session.tool(name).isEmpty()) {
            sendJson(exchange, 200, error(id, INVALID_PARAMS, "unknown tool: " + name));
            return;
        }
        JsonObject meta = p.findObject("_meta").orElse(JsonObject.EMPTY);
        PendingToolCall call = new PendingToolCall(name, p.has("arguments") ? p.get("arguments") : JsonObject.EMPTY,
                meta.findString("claudecode/toolUseId"), meta.find("progressToken").filter(t -> t != JsonNull.INSTANCE));
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.flush(); // the server holds the headers until a body write: the CLI sees the stream open at once
        session.offer(Json.canonical(id), call);
        try {
            CallOutcome outcome = await(call, out);
            switch (outcome) {
                case CallOutcome.Completed c -> event(out, result(id, c.result().toJson()));
                case CallOutcome.Failed f -> event(out, error(id, INTERNAL_ERROR, f.message()));
                case CallOutcome.TimedOut t -> event(out, result(id, ToolResult.error(
                        "the client did not return a result within " + session.callTimeout()).toJson()));
                case CallOutcome.Cancelled c -> { } // the CLI expects no answer to a call it cancelled
            }
        } catch (IOException e) {
            call.cancel("the CLI disconnected");
        }
    }

    /**
     * Waits for the session's outcome, writing to the stream every interval: notifications/progress when the CLI
     * gave a token (without them it aborts the call after 300 s), an SSE comment otherwise; either write is also
     * how a disconnected CLI is noticed.
     */
    private CallOutcome await(PendingToolCall call, OutputStream out) throws IOException {
        long deadline = System.nanoTime() + session.callTimeout().toNanos();
        long intervalNanos = session.progressInterval().toNanos();
        long progress = 0;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                CallOutcome timedOut = new CallOutcome.TimedOut();
                return call.outcome.complete(timedOut) ? timedOut : call.outcome.join();
            }
            try {
                return call.outcome.get(Math.min(left, intervalNanos), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (call.progressToken().isPresent()) {
                    event(out, progressNotification(call.progressToken().get(), ++progress));
                } else {
                    out.write(": waiting\n\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                call.cancel("interrupted");
                return call.outcome.join();
            } catch (ExecutionException e) {
                throw new IllegalStateException("outcome futures are never completed exceptionally", e);
            }
        }
    }

    private static JsonObject progressNotification(JsonValue token, long progress) {
        return JsonObject.builder().put("jsonrpc", "2.0").put("method", "notifications/progress")
                .put("params", JsonObject.builder().put("progressToken", token).put("progress", progress)
                        .put("message", "waiting for the client's result").build())
                .build();
    }

    private static void event(OutputStream out, JsonObject message) throws IOException {
        out.write(("event: message\ndata: " + Json.write(message) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static JsonValue idOf(JsonValue message) {
        if (message instanceof JsonObject o && (o.get("id") instanceof JsonString || o.get("id") instanceof JsonNumber)) {
            return o.get("id");
        }
        return JsonNull.INSTANCE;
    }

    static JsonObject result(JsonValue id, JsonObject result) {
        return JsonObject.builder().put("jsonrpc", "2.0").put("id", id).put("result", result).build();
    }

    static JsonObject error(JsonValue id, int code, String message) {
        return JsonObject.builder().put("jsonrpc", "2.0").put("id", id)
                .put("error", JsonObject.builder().put("code", code).put("message", message).build()).build();
    }

    private static void sendJson(HttpExchange exchange, int status, JsonObject message) throws IOException {
        byte[] bytes = Json.writeUtf8(message);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
