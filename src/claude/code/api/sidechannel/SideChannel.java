package claude.code.api.sidechannel;

import claude.code.api.json.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One loopback HTTP server per backend, shared by its sessions. Path layout under a session's base
 * {@code /<secret>}: {@code /<secret>/_<route>/...} goes to the handler mounted as {@code <route>}
 * (e.g. {@code _hooks}, {@code _mcp}); every other path under the base (the CLI's
 * {@code /v1/messages}, {@code /v1/messages/count_tokens}) goes to the route {@value #RELAY}.
 * The underscore cannot start a model-API path, so the two never collide. A request whose first
 * segment is not a registered secret gets 403 and reaches no handler.
 */
public final class SideChannel implements AutoCloseable {

    /** The route that receives every path under the base not starting with {@code /_}. */
    public static final String RELAY = "relay";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, SessionChannel> sessions = new ConcurrentHashMap<>();

    private SideChannel(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts the server on 127.0.0.1, a random port. */
    public static SideChannel start() throws IOException {
        // Before JDK 24 a virtual thread blocked in a synchronized method pins its carrier, and jdk.httpserver reads
        // a request under a monitor (the same reason as the gateway's executor): platform threads there.
        ExecutorService executor = Executors.newThreadPerTaskExecutor((Runtime.version().feature() >= 24
                ? Thread.ofVirtual() : Thread.ofPlatform().daemon()).name("side-channel-", 0).factory());
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            executor.close();
            throw e;
        }
        SideChannel channel = new SideChannel(server, executor);
        server.setExecutor(executor);
        server.createContext("/", channel::dispatch);
        server.start();
        return channel;
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Registers a new session with a fresh secret; close the result to unregister it. */
    public SessionChannel register() {
        byte[] bytes = new byte[24]; // 192 bits
        RANDOM.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        SessionChannel session = new SessionChannel(secret,
                URI.create("http://127.0.0.1:" + port() + "/" + secret), () -> sessions.remove(secret));
        sessions.put(secret, session);
        return session;
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            int end = path.indexOf('/', 1);
            String secret = end < 0 ? path.substring(1) : path.substring(1, end);
            String rest = end < 0 ? "" : path.substring(end);
            SessionChannel session = find(secret);
            if (session == null) {
                refuse(exchange, 403, "permission_error", "missing or wrong side-channel secret");
                return;
            }
            String route = rest.startsWith("/_") ? rest.substring(2).split("/", 2)[0] : RELAY;
            RouteHandler handler = session.handler(route);
            if (handler == null) {
                refuse(exchange, 404, "not_found_error", "no side-channel route " + route);
                return;
            }
            handler.handle(exchange, rest);
        }
    }

    /** Constant-time over every registered secret, so a probe learns nothing from timing. */
    private SessionChannel find(String candidate) {
        byte[] given = candidate.getBytes(StandardCharsets.US_ASCII);
        SessionChannel found = null;
        for (SessionChannel s : sessions.values()) {
            if (MessageDigest.isEqual(given, s.secret().getBytes(StandardCharsets.US_ASCII))) {
                found = s;
            }
        }
        return found;
    }

    static void refuse(HttpExchange exchange, int status, String type, String message) throws IOException {
        // Json.quote escapes: the message may carry a route name from the path or an upstream's reason.
        byte[] body = ("{\"type\":\"error\",\"error\":{\"type\":" + Json.quote(type) + ",\"message\":"
                + Json.quote(message) + "}}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    /** Stops the server and waits for every handler thread to end. */
    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
