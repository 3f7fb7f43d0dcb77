package claude.code.api.gateway;

import static claude.code.api.gateway.GatewayFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.JsonObject;
import claude.code.api.options.ClientTool;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Requests with tools through the gateway, while sessions cannot offer client tools yet (they need the model-API
 * side channel): such a request is refused, never run without its tools; server tools alone are left out and the
 * request runs.
 */
class ClientToolsGatewayTest {
    static final String REFUSED = "tools: client tools cannot be offered yet";

    static String withTool(String name) {
        return "{\"tools\":[{\"name\":\"" + name + "\",\"input_schema\":{\"type\":\"object\"}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    static String errorMessage(HttpResponse<String> r) {
        return json(r).object("error").string("message");
    }

    @Test
    void aRequestWithClientToolsIsRefusedRatherThanRunWithoutThem() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/messages", withTool("getWeather"));
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(errorMessage(r).startsWith(REFUSED), r.body());
            assertEquals(0, g.sessions.launches.size(), "no CLI started");
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
    void theOfficialClientsToolRequestsAreParsedAndRefusedAsSpecified() {
        try (GatewayFixture g = GatewayFixture.start()) {
            JsonObject out = NodeClient.run("client-tools.cjs", g.server.baseUrl().toString());
            assertRefused(out, "anthropicClientTools", REFUSED);
            assertEquals(200L, out.object("anthropicServerToolOnly").integer("status"), out.toString());
            assertRefused(out, "anthropicForcedServerTool",
                    "tool_choice: forces \"web_search\", a server or built-in tool the CLI cannot provide");
            assertRefused(out, "anthropicBadName", "tools[0].name: tool name \"get weather\" has a character outside");
            assertRefused(out, "anthropicMissingResult", "messages[1]: `tool_use` ids were found without `tool_result` "
                    + "blocks immediately after: toolu_1.");
            assertRefused(out, "chatClientTools", REFUSED);
            assertRefused(out, "chatRequired", REFUSED); // the choice is honoured; the tools wait for the bridge
            assertRefused(out, "chatFollowUp", REFUSED);
            assertRefused(out, "responsesClientTools", REFUSED);
            assertEquals(200L, out.object("responsesBuiltInOnly").integer("status"), out.toString());
            assertEquals(List.of(List.of("getWeather"), List.of()), g.backendOptions.stream()
                    .map(o -> o.tools().tools().stream().map(ClientTool::name).toList()).distinct().toList(),
                    "the client tools reached the option set; server tools never did");
        }
    }

    static void assertRefused(JsonObject out, String name, String messageStart) {
        JsonObject o = out.object(name);
        assertEquals(400L, o.integer("status"), name + ": " + o);
        assertTrue(o.string("message").startsWith(messageStart), name + ": " + o);
    }
}
