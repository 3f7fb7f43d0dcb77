package claude.code.api.mcp;

import claude.code.api.options.ClientTool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class McpEndpointTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    final ClientTool weather = new ClientTool("getWeather", "Weather of a city",
            (JsonObject) Json.parse("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"), false);
    final ClientTool clock = new ClientTool("now", "Time", JsonObject.EMPTY, true);
    final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpServer server;
    McpSession session;
    URI uri;
    String sessionId;

    void start(Duration callTimeout, Duration progressInterval) throws Exception {
        session = new McpSession(List.of(weather, clock), callTimeout, progressInterval);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/mcp", new McpEndpoint(session));
        server.start();
        uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp");
    }

    @AfterEach
    void stop() throws Exception {
        if (session != null) {
            session.close();
        }
        if (server != null) {
            server.stop(0);
        }
        client.close();
        executor.shutdown();
        assertTrue(executor.awaitTermination(20, TimeUnit.SECONDS), "handler threads ended");
    }

    HttpResponse<String> post(String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream");
        if (sessionId != null) {
            b.header("Mcp-Session-Id", sessionId);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonObject json(HttpResponse<String> response) {
        return (JsonObject) Json.parse(response.body());
    }

    void handshake() throws Exception {
        post("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"claude-code\",\"version\":\"2.1.331\"}}}")
                .headers().firstValue("Mcp-Session-Id").ifPresent(id -> sessionId = id);
        post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    }

    /** Sends a tools/call and returns the SSE stream's lines as they arrive. */
    BufferedReader call(long id, String meta) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Mcp-Session-Id", sessionId)
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":" + id
                        + ",\"method\":\"tools/call\",\"params\":{\"name\":\"getWeather\",\"arguments\":{\"city\":\"Oslo\"},"
                        + "\"_meta\":" + meta + "}}"))
                .build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElseThrow());
        return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    /** The next {@code data:} line of the stream, parsed. */
    static JsonObject nextEvent(BufferedReader sse) throws Exception {
        for (String line = sse.readLine(); line != null; line = sse.readLine()) {
            if (line.startsWith("data: ")) {
                return (JsonObject) Json.parse(line.substring(6));
            }
        }
        throw new AssertionError("stream ended without an event");
    }

    PendingToolCall nextCall() throws Exception {
        return session.nextCall(WAIT).orElseThrow(() -> new AssertionError("no call reached the session"));
    }

    @Test
    void theHandshakeAsTheCliSendsItIsAnswered() throws Exception {
        start(WAIT, WAIT);
        JsonObject discover = json(post("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"server/discover\",\"params\":{}}"));
        assertEquals(McpEndpoint.METHOD_NOT_FOUND, discover.object("error").integer("code"));
        assertEquals(0, discover.integer("id"));

        HttpResponse<String> init = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"claude-code\"}}}");
        sessionId = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        JsonObject result = json(init).object("result");
        assertEquals("2025-11-25", result.string("protocolVersion"));
        assertTrue(result.object("capabilities").has("tools"));
        assertEquals("claude-code-api", result.object("serverInfo").string("name"));

        assertEquals(202, post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").statusCode());
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .header("Mcp-Session-Id", sessionId).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        assertTrue(session.toolsListedAt().isEmpty());
        assertEquals(2, json(post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}"))
                .object("result").array("tools").size());
        assertTrue(session.awaitToolsListed(WAIT));
        assertTrue(session.toolsListedAt().isPresent());
    }

    @Test
    void toolsListHoldsExactlyTheSessionsTools() throws Exception {
        start(WAIT, WAIT);
        handshake();
        JsonObject list = json(post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}")).object("result");
        assertEquals(Json.parse("{\"tools\":[{\"name\":\"getWeather\",\"description\":\"Weather of a city\","
                + "\"inputSchema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}},"
                + "{\"name\":\"now\",\"description\":\"Time\",\"inputSchema\":{},\"annotations\":{\"readOnlyHint\":true}}]}"),
                list);
    }

    @Test
    void aCallHeldOpenReceivesTheSessionsResult() throws Exception {
        start(WAIT, WAIT);
        handshake();
        CompletableFuture<JsonObject> answer = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader sse = call(7, "{\"claudecode/toolUseId\":\"toolu_01\",\"progressToken\":3}")) {
                return nextEvent(sse);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, executor);
        PendingToolCall call = nextCall();
        assertEquals("getWeather", call.toolName());
        assertEquals(Json.parse("{\"city\":\"Oslo\"}"), call.arguments());
        assertEquals("toolu_01", call.toolUseId().orElseThrow());
        assertEquals(Json.parse("3"), call.progressToken().orElseThrow());
        assertTrue(call.complete(new ToolResult(List.of(new ToolResult.Content.Text("12 C"),
                new ToolResult.Content.Image("iVBORw0KGgo=", "image/png")), false)));
        JsonObject response = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(7, response.integer("id"));
        assertEquals(Json.parse("{\"content\":[{\"type\":\"text\",\"text\":\"12 C\"},"
                + "{\"type\":\"image\",\"data\":\"iVBORw0KGgo=\",\"mimeType\":\"image/png\"}],\"isError\":false}"),
                response.object("result"));
    }

    @Test
    void progressNotificationsKeepTheCallAliveUntilTheResult() throws Exception {
        start(WAIT, Duration.ofMillis(20));
        handshake();
        try (BufferedReader sse = call(8, "{\"progressToken\":\"tok\"}")) {
            JsonObject first = nextEvent(sse);
            JsonObject second = nextEvent(sse);
            nextCall().complete(ToolResult.error("no such city"));
            List<JsonObject> rest = new ArrayList<>();
            JsonObject event;
            do {
                event = nextEvent(sse);
                rest.add(event);
            } while (event.has("method"));
            assertEquals("notifications/progress", first.string("method"));
            assertEquals(JsonString.of("tok"), first.object("params").get("progressToken"));
            assertEquals(1, first.object("params").integer("progress"));
            assertEquals(2, second.object("params").integer("progress"));
            JsonObject result = rest.getLast().object("result");
            assertTrue(result.bool("isError"));
            assertEquals("no such city", result.array("content").object(0).string("text"));
        }
    }

    @Test
    void aCallWithoutAResultInTimeGetsAnErrorResult() throws Exception {
        start(Duration.ofMillis(50), Duration.ofMillis(20));
        handshake();
        try (BufferedReader sse = call(9, "{}")) {
            JsonObject response = nextEvent(sse);
            assertTrue(response.object("result").bool("isError"));
            assertInstanceOf(CallOutcome.TimedOut.class,
                    nextCall().ended().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
    }

    @Test
    void aCliThatDisconnectsCancelsTheCall() throws Exception {
        start(WAIT, Duration.ofMillis(20));
        handshake();
        call(10, "{}").close();
        CallOutcome outcome = nextCall().ended().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertInstanceOf(CallOutcome.Cancelled.class, outcome);
    }

    @Test
    void notificationsCancelledFromTheCliCancelsTheCall() throws Exception {
        start(WAIT, WAIT);
        handshake();
        CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
            try (BufferedReader sse = call(11, "{}")) {
                while (sse.readLine() != null) { } // the cancelled call ends its stream without an answer
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, executor);
        PendingToolCall call = nextCall();
        assertEquals(202, post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
                + "\"params\":{\"requestId\":11,\"reason\":\"timeout\"}}").statusCode());
        assertInstanceOf(CallOutcome.Cancelled.class, call.ended().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        stream.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void badJsonIsAParseError() throws Exception {
        start(WAIT, WAIT);
        HttpResponse<String> response = post("{\"jsonrpc\":");
        assertEquals(400, response.statusCode());
        assertEquals(McpEndpoint.PARSE_ERROR, json(response).object("error").integer("code"));
    }

    @Test
    void aMessageWithoutJsonRpcVersionIsAnInvalidRequestEchoingItsId() throws Exception {
        start(WAIT, WAIT);
        JsonObject response = json(post("{\"id\":\"a\",\"method\":\"initialize\"}"));
        assertEquals(McpEndpoint.INVALID_REQUEST, response.object("error").integer("code"));
        assertEquals("a", response.string("id"));
    }

    @Test
    void anUnknownMethodIsMethodNotFoundEchoingItsId() throws Exception {
        start(WAIT, WAIT);
        handshake();
        JsonObject response = json(post("{\"jsonrpc\":\"2.0\",\"id\":\"x-1\",\"method\":\"resources/list\"}"));
        assertEquals(McpEndpoint.METHOD_NOT_FOUND, response.object("error").integer("code"));
        assertEquals("x-1", response.string("id"));
    }

    @Test
    void aRequestWithAnotherSessionIdIsNotFound() throws Exception {
        start(WAIT, WAIT);
        handshake();
        sessionId = "someone-else";
        assertEquals(404, post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}").statusCode());
    }

    @Test
    void aCallOfAToolTheSessionDoesNotHaveIsInvalidParams() throws Exception {
        start(WAIT, WAIT);
        handshake();
        JsonObject response = json(post("{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"Bash\",\"arguments\":{}}}"));
        assertEquals(McpEndpoint.INVALID_PARAMS, response.object("error").integer("code"));
        assertEquals(12, response.integer("id"));
    }

    @Test
    void aResultAfterTheCancellationIsDropped() throws Exception {
        start(WAIT, Duration.ofMillis(20));
        handshake();
        call(13, "{}").close();
        PendingToolCall call = nextCall();
        call.ended().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(false, call.complete(ToolResult.text("late")));
    }

    @Test
    void closingTheSessionFailsItsOpenCalls() throws Exception {
        start(WAIT, WAIT);
        handshake();
        try (BufferedReader sse = call(14, "{}")) {
            PendingToolCall call = nextCall();
            session.close();
            assertEquals(McpEndpoint.INTERNAL_ERROR, nextEvent(sse).object("error").integer("code"));
            assertInstanceOf(CallOutcome.Failed.class, call.ended().toCompletableFuture().get());
        }
    }
}
