package claude.code.api.gateway;

import claude.code.api.BackendOptions;
import claude.code.api.ClaudeCodeBackend;
import claude.code.api.FakeSessions;
import claude.code.api.TestBackends;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
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
import java.util.List;
import java.util.function.UnaryOperator;

/** A gateway on fake CLI sessions (in memory), and an HTTP client for it. */
final class GatewayFixture implements AutoCloseable {
    final FakeSessions sessions = new FakeSessions();
    /** The options of every backend the gateway created, in order. */
    final List<BackendOptions> backendOptions = Collections.synchronizedList(new ArrayList<>());
    final List<ClaudeCodeBackend> backends = Collections.synchronizedList(new ArrayList<>());
    final Path root;
    final Path cwd;
    final GatewayServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayFixture(UnaryOperator<GatewayConfig.Builder> config, UnaryOperator<BackendOptions.Builder> options) {
        try {
            root = Files.createTempDirectory("gateway-test-");
            cwd = Files.createDirectory(root.resolve("work"));
            Path configDir = Files.createDirectory(root.resolve("config"));
            BackendOptions template = options.apply(BackendOptions.builder(cwd).maxSessions(4)).build();
            GatewayConfig c = config.apply(GatewayConfig.builder(template).port(0).pingInterval(Duration.ofMillis(100))).build();
            server = GatewayServer.start(c, o -> {
                backendOptions.add(o);
                ClaudeCodeBackend b = TestBackends.withSessions(o, sessions, configDir);
                backends.add(b);
                return b;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GatewayFixture start() {
        return start(c -> c, o -> o);
    }

    static GatewayFixture start(UnaryOperator<GatewayConfig.Builder> config) {
        return start(config, o -> o);
    }

    static GatewayFixture start(UnaryOperator<GatewayConfig.Builder> config, UnaryOperator<BackendOptions.Builder> options) {
        return new GatewayFixture(config, options);
    }

    URI uri(String path) {
        return server.baseUrl().resolve(path);
    }

    HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!hasHeader(headers, "content-type")) {
            b.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    private static boolean hasHeader(String[] headers, String name) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonObject json(HttpResponse<String> response) {
        return (JsonObject) Json.parse(response.body());
    }

    /** One server-sent event. */
    record Sse(String event, String data) {
        JsonObject json() {
            return (JsonObject) Json.parse(data);
        }
    }

    static List<Sse> sse(String body) {
        List<Sse> out = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            String event = null;
            StringBuilder data = new StringBuilder();
            boolean any = false;
            for (String line : frame.split("\n")) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                    any = true;
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                    any = true;
                } else if (line.startsWith(":")) {
                    out.add(new Sse(":", line.substring(1).strip()));
                }
            }
            if (any) {
                out.add(new Sse(event, data.toString()));
            }
        }
        return out;
    }

    /** A raw HTTP/1.1 request over a socket (for headers the JDK client will not send); returns the whole response. */
    String raw(String request) {
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String userMessages(String... texts) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < texts.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"role\":\"").append(i % 2 == 0 ? "user" : "assistant").append("\",\"content\":")
                    .append(Json.quote(texts[i])).append('}');
        }
        return out.append(']').toString();
    }

    static String messagesBody(String extra, String... texts) {
        return "{\"model\":\"claude-test\",\"max_tokens\":100,\"messages\":" + userMessages(texts)
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    static JsonValue at(JsonObject o, String... path) {
        JsonValue v = o;
        for (String p : path) {
            v = p.matches("\\d+") ? ((claude.code.api.json.JsonArray) v).get(Integer.parseInt(p)) : ((JsonObject) v).get(p);
        }
        return v;
    }

    @Override
    public void close() {
        server.close();
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
