package claude.code.api.gateway;

import static claude.code.api.gateway.GatewayFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.Usage;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.options.ClientTool;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Requests with tools through the gateway on fake sessions: client tools give the request a backend of its own tool
 * set, and a call of them reaches the client as its API's tool call; server tools alone are left out and the request
 * runs; what cannot be honoured is refused, as the official clients send it.
 */
class ClientToolsGatewayTest {
    static String withTool(String name) {
        return "{\"tools\":[{\"name\":\"" + name + "\",\"input_schema\":{\"type\":\"object\"}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    static String errorMessage(HttpResponse<String> r) {
        return json(r).object("error").string("message");
    }

    @Test
    void aRequestWithClientToolsRunsOnSessionsForThemAndTheModelsCallReachesTheClientAsToolUse() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> RelayTurn.of(s).call("msg_1", new Usage(5, 1, 0, 0)).text("Checking.")
                    .toolUse("toolu_1", "getWeather", "{\"city\":", "\"Paris\"}").end("tool_use", 4).completed();
            JsonObject answer = json(g.post("/v1/messages", withTool("getWeather")));
            assertEquals("tool_use", answer.string("stop_reason"), answer.toString());
            assertEquals(Json.parse("[{\"type\":\"text\",\"text\":\"Checking.\"},{\"type\":\"tool_use\","
                    + "\"id\":\"toolu_1\",\"name\":\"getWeather\",\"input\":{\"city\":\"Paris\"}}]"), answer.get("content"));
            assertEquals(List.of(List.of("getWeather")), g.backendOptions.stream()
                    .map(o -> o.tools().tools().stream().map(ClientTool::name).toList()).toList());
            assertEquals(1, g.sessions.launches.size());

            JsonObject chat = json(g.post("/v1/chat/completions", "{\"tools\":[{\"type\":\"function\",\"function\":"
                    + "{\"name\":\"getWeather\",\"parameters\":{\"type\":\"object\"}}}],\"stream\":false,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
            JsonObject choice = chat.array("choices").object(0);
            assertEquals("tool_calls", choice.string("finish_reason"), chat.toString());
            assertEquals("toolu_1", choice.object("message").array("tool_calls").object(0).string("id"));
        }
    }

    @Test
    void requestsWithDifferentToolSetsNeverShareABackend() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.post("/v1/messages", withTool("getWeather"));
            g.post("/v1/messages", withTool("getTime"));
            g.post("/v1/messages", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertEquals(List.of(List.of("getWeather"), List.of("getTime"), List.of()), g.backendOptions.stream()
                    .map(o -> o.tools().tools().stream().map(ClientTool::name).toList()).toList());
            assertNotEquals(g.backendOptions.get(0).tools(), g.backendOptions.get(1).tools());
        }
    }

    @Test
    void aRequestOfferingOnlyServerToolsRunsWithoutThem() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/messages", "{\"tools\":[{\"type\":\"web_search_20250305\",\"name\":"
                    + "\"web_search\"}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(g.backendOptions.getFirst().tools().isEmpty());
        }
    }

    @Test
    void theOfficialClientsToolRequestsAreParsedAndWhatCannotBeHonouredIsRefused() {
        try (GatewayFixture g = GatewayFixture.start()) {
            JsonObject out = NodeClient.run("client-tools.cjs", g.server.baseUrl().toString());
            assertEquals(200L, out.object("anthropicClientTools").integer("status"), out.toString());
            assertEquals(200L, out.object("anthropicServerToolOnly").integer("status"), out.toString());
            assertRefused(out, "anthropicForcedServerTool",
                    "tool_choice: forces \"web_search\", a server or built-in tool the CLI cannot provide");
            assertRefused(out, "anthropicBadName", "tools[0].name: tool name \"get weather\" has a character outside");
            assertRefused(out, "anthropicMissingResult", "messages[1]: `tool_use` ids were found without `tool_result` "
                    + "blocks immediately after: toolu_1.");
            assertEquals(200L, out.object("chatClientTools").integer("status"), out.toString());
            // fake sessions have no model-API relay: the choice and the continuation on a new session need it
            assertRefused(out, "chatRequired", "toolChoice: any is set on the model API request by the model-API relay, which is off");
            assertRefused(out, "chatFollowUp", "messages: the last user turn holds tool results for calls no session "
                    + "waits for; continuing on a new session needs the model-API relay, which is off");
            assertEquals(200L, out.object("responsesClientTools").integer("status"), out.toString());
            assertEquals(200L, out.object("responsesBuiltInOnly").integer("status"), out.toString());
            assertEquals(List.of(List.of("getWeather"), List.of()), g.backendOptions.stream()
                    .map(o -> o.tools().tools().stream().map(ClientTool::name).toList()).distinct().toList(),
                    "the client tools reached the option set; server tools never did");
        }
    }

    @Test
    void aSessionHoldingTheClientsCallsOpenIsShownWaitingOnAdminAndCountedOnMetrics() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> {
                s.awaited = List.of("toolu_1");
                return RelayTurn.of(s).call("msg_1", new Usage(5, 1, 0, 0)).toolUse("toolu_1", "getWeather", "{}")
                        .end("tool_use", 4).completed();
            };
            assertEquals(200, g.post("/v1/messages", withTool("getWeather")).statusCode());
            JsonObject session = json(g.get("/admin/sessions")).array("sessions").object(0);
            assertEquals("awaiting_client_tools", session.string("state"));
            assertEquals(1, session.integer("awaited_tool_calls"));
            String metrics = g.get("/metrics").body();
            assertTrue(metrics.contains("\nclaude_code_api_sessions_awaiting_client_tools 1\n"), metrics);
            assertTrue(metrics.contains("\n# TYPE claude_code_api_client_tool_calls_total counter\n"), metrics);
            assertTrue(metrics.contains("\n# TYPE claude_code_api_client_tool_timeouts_total counter\n"), metrics);
        }
    }

    static void assertRefused(JsonObject out, String name, String messageStart) {
        JsonObject o = out.object(name);
        assertEquals(400L, o.integer("status"), name + ": " + o);
        assertTrue(o.string("message").startsWith(messageStart), name + ": " + o);
    }
}
