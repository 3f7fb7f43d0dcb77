package claude.code.api.mcp;

import claude.code.api.options.ClientTool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.CliPeer;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.MockReply;
import claude.code.api.testing.RecordedRequest;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pinned CLI as the MCP client: its tools/call reaches the endpoint and the session's result reaches the model API. */
class McpEndpointRealCliTest {
    static final Duration GUARD = Duration.ofSeconds(90);

    @Test
    void theCliCallsTheClientToolAndSendsTheSessionsResultToTheModel() throws Exception {
        JsonObject schema = (JsonObject) Json.parse(
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
        ClientTool weather = new ClientTool("getWeather", "Weather of a city", schema, false);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        try (McpSession session = new McpSession(List.of(weather), GUARD, Duration.ofSeconds(1));
                MockMessagesApi api = MockMessagesApi.start(request -> request.toolResults().isEmpty()
                        ? new MockReply.Message(List.of(new MockReply.ToolUse("toolu_mcp_1", "mcp__c__getWeather",
                                (JsonObject) Json.parse("{\"city\":\"Oslo\"}"))), "tool_use", Duration.ZERO, null)
                        : new MockReply.Message(List.of(new MockReply.Text("done")), "end_turn", Duration.ZERO, null));
                ClaudeTestHome home = withEnvironment(ClaudeTestHome.builder(api), McpLaunch.environment()).build()) {
            server.createContext("/mcp", new McpEndpoint(session));
            server.start();
            McpLaunch launch = new McpLaunch("c",
                    java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp"), GUARD);
            CompletableFuture<PendingToolCall> answered = CompletableFuture.supplyAsync(() -> {
                try {
                    PendingToolCall call = session.nextCall(GUARD).orElseThrow();
                    call.complete(ToolResult.text("12 C and sunny"));
                    return call;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, executor);
            List<String> args = new java.util.ArrayList<>(List.of("-p", "weather in Oslo?"));
            args.addAll(launch.argv(List.of(weather)));
            CliPeer.Run run = CliPeer.run(home, GUARD, args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), run.stderr());
            assertEquals(List.of(), home.strayProcesses(), "the CLI is gone");

            PendingToolCall call = answered.get(GUARD.toSeconds(), TimeUnit.SECONDS);
            assertEquals("getWeather", call.toolName());
            assertEquals(Json.parse("{\"city\":\"Oslo\"}"), call.arguments());
            assertEquals("toolu_mcp_1", call.toolUseId().orElseThrow());
            assertTrue(session.toolsListedAt().isPresent());

            List<RecordedRequest> requests = api.mainLoopRequests();
            assertEquals(2, requests.size());
            JsonArray offered = requests.getFirst().body().array("tools");
            assertEquals(1, offered.size(), "exactly the client's tool: " + offered);
            assertEquals("mcp__c__getWeather", offered.object(0).string("name"));
            assertEquals(schema, offered.object(0).object("input_schema"));
            JsonObject result = requests.get(1).toolResults().getFirst();
            assertEquals("toolu_mcp_1", result.string("tool_use_id"));
            assertFalse(result.findBool("is_error").orElse(false));
            assertEquals("12 C and sunny", text(result));
        } finally {
            server.stop(0);
            executor.shutdown();
            assertTrue(executor.awaitTermination(20, TimeUnit.SECONDS));
        }
    }

    static ClaudeTestHome.Builder withEnvironment(ClaudeTestHome.Builder builder, java.util.Map<String, String> env) {
        env.forEach(builder::env);
        return builder;
    }

    /** A tool_result's content as the API carries it: a string or text blocks. */
    static String text(JsonObject result) {
        return switch (result.get("content")) {
            case claude.code.api.json.JsonString s -> s.value();
            case JsonArray blocks -> blocks.object(0).string("text");
            default -> throw new AssertionError("unexpected content: " + result);
        };
    }
}
