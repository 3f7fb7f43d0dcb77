package claude.code.api.mcp;

import claude.code.api.options.ClientTool;
import static org.junit.jupiter.api.Assertions.assertEquals;

import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class McpLaunchTest {
    final McpLaunch launch = new McpLaunch("c", URI.create("http://127.0.0.1:9/s3cret/mcp"), Duration.ofMinutes(10));

    @Test
    void theMcpConfigIsOneHttpServerWithItsTimeout() {
        assertEquals(Json.parse("{\"mcpServers\":{\"c\":{\"type\":\"http\",\"url\":\"http://127.0.0.1:9/s3cret/mcp\","
                + "\"timeout\":600000}}}"), Json.parse(launch.mcpConfig()));
    }

    @Test
    void theArgvDropsTheBuiltInsAndAllowsEachClientTool() {
        assertEquals(List.of("--tools", "", "--strict-mcp-config", "--allowedTools", "mcp__c__getWeather",
                "--mcp-config", launch.mcpConfig()),
                launch.argv(List.of(new ClientTool("getWeather", "", JsonObject.EMPTY, false))));
    }

    @Test
    void theFlagsForAConfigFileLeaveTheSecretUrlOutOfTheArgv() {
        List<String> flags = launch.flags(List.of(new ClientTool("getWeather", "", JsonObject.EMPTY, false)));
        assertEquals(List.of("--tools", "", "--strict-mcp-config", "--allowedTools", "mcp__c__getWeather"), flags);
    }
}
