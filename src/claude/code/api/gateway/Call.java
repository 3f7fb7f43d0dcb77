package claude.code.api.gateway;

import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonParseException;
import claude.code.api.json.JsonParser;
import claude.code.api.json.JsonValue;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** One HTTP request being answered: reading its body within limits, and writing one response. */
final class Call {
    final HttpExchange exchange;
    /** How this call's errors are shaped: the API's of its route. */
    final ErrorShape errors;
    final String requestId;
    final long startNanos = System.nanoTime();
    private int status;
    private boolean responded;
    private int streamErrorStatus;

    Call(HttpExchange exchange, ErrorShape errors) {
        this.exchange = exchange;
        this.errors = errors;
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        this.requestId = "req_" + HexFormat.of().formatHex(id);
    }

    String method() {
        return exchange.getRequestMethod();
    }

    String path() {
        return exchange.getRequestURI().getRawPath();
    }

    /** The first value of a request header, or {@code null}. */
    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /**
     * The first value of a query parameter, decoded ({@code +} and {@code %XX} as in a form), or {@code null}.
     *
     * @throws HttpError a 400 naming the parameter when its encoding is broken
     */
    String query(String name) throws HttpError {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                try {
                    return java.net.URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw HttpError.badRequest(name + ": badly encoded query parameter");
                }
            }
        }
        return null;
    }

    int status() {
        return status;
    }

    boolean responded() {
        return responded;
    }

    /** A streamed response that began with 200 ended in an error event of this status (for the log and metrics). */
    void markStreamError(int errorStatus) {
        streamErrorStatus = errorStatus;
    }

    /** The status to log: the error's for a stream that failed, else the response's. */
    int outcomeStatus() {
        return streamErrorStatus != 0 ? streamErrorStatus : status;
    }

    /**
     * The request body, at most {@code max} bytes: a larger declared or actual length is a 413
     * before anything is parsed.
     */
    byte[] body(long max) throws HttpError, IOException {
        String declared = header("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw HttpError.badRequest("Content-Length is not a number");
            }
            if (length > max) {
                throw tooLarge(max);
            }
        }
        InputStream in = exchange.getRequestBody();
        byte[] body = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 16));
        if (body.length > max) {
            throw tooLarge(max);
        }
        return body;
    }

    /** The body as a JSON object (POST with {@code Content-Type: application/json}). */
    JsonObject jsonBody(long maxBytes, int maxDepth) throws HttpError, IOException {
        String type = header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).strip().startsWith("application/json")) {
            throw new HttpError(415, "invalid_request_error", "the request body must be JSON, sent with "
                    + "Content-Type: application/json");
        }
        byte[] body = body(maxBytes);
        if (body.length == 0) {
            throw HttpError.badRequest("the request body is empty; expected a JSON object");
        }
        JsonValue json;
        try {
            json = JsonParser.withMaxDepth(maxDepth).parse(body);
        } catch (JsonParseException e) {
            throw HttpError.badRequest("the request body is not valid JSON: " + e.getMessage());
        }
        if (!(json instanceof JsonObject o)) {
            throw HttpError.badRequest("the request body must be a JSON object");
        }
        return o;
    }

    private static HttpError tooLarge(long max) {
        return new HttpError(413, "request_too_large", "the request body is larger than the limit of " + max + " bytes");
    }

    void sendJson(int code, JsonValue body) throws IOException {
        send(code, "application/json", Json.writeUtf8(body));
    }

    void sendText(int code, String contentType, String text) throws IOException {
        send(code, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    void send(int code, String contentType, byte[] body) throws IOException {
        start(code, contentType);
        exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Sends a 200 with a body of unknown length (chunked) and returns it, for event streams. */
    OutputStream startStream(String contentType) throws IOException {
        start(200, contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private void start(int code, String contentType) {
        if (responded) {
            throw new IllegalStateException("response already started");
        }
        responded = true;
        status = code;
        var h = exchange.getResponseHeaders();
        h.set("Content-Type", contentType);
        h.set("request-id", requestId);
        h.set("X-Content-Type-Options", "nosniff");
    }

    /** Sends {@code error} in this call's shape (when nothing was sent yet). */
    void sendError(HttpError error) throws IOException {
        if (error.retryAfter > 0) {
            exchange.getResponseHeaders().set("Retry-After", Integer.toString(error.retryAfter));
        }
        if (error.status == 401) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        }
        sendJson(error.status, errors.errorBody(error, requestId));
    }
}
