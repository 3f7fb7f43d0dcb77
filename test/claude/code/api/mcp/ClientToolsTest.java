package claude.code.api.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientToolsTest {
    static JsonArray array(String json) {
        return (JsonArray) Json.parse(json);
    }

    @Test
    void anthropicCustomToolKeepsItsSchemaExactlyAndIgnoresUnknownFields() {
        String schema = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
                + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
        ToolOffer offer = ClientTools.anthropic(array("[{\"name\":\"getWeather\",\"description\":\"Weather\","
                + "\"input_schema\":" + schema + ",\"cache_control\":{\"type\":\"ephemeral\"},\"eager_input_streaming\":true}]"));
        assertEquals(List.of(new ClientTool("getWeather", "Weather", (JsonObject) Json.parse(schema), false)), offer.tools());
        assertEquals(List.of(), offer.notProvidable());
    }

    @Test
    void anthropicServerAndBuiltInToolsAreSetAsideByName() {
        ToolOffer offer = ClientTools.anthropic(array("[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"},"
                + "{\"type\":\"custom\",\"name\":\"a\",\"input_schema\":{\"type\":\"object\"}},"
                + "{\"type\":\"bash_20250124\",\"name\":\"bash\"},{\"type\":\"computer_20250124\",\"name\":\"computer\"},"
                + "{\"type\":\"code_execution_20250522\",\"name\":\"code_execution\"},{\"type\":\"future_tool\"}]"));
        assertEquals(List.of("a"), offer.tools().stream().map(ClientTool::name).toList());
        assertEquals(List.of("web_search", "bash", "computer", "code_execution", "future_tool"), offer.notProvidable());
        assertTrue(offer.providable("a"));
        assertFalse(offer.providable("bash"));
    }

    @Test
    void openAiFunctionToolsAreReadAndOtherTypesSetAside() {
        ToolOffer offer = ClientTools.openAi(array("[{\"type\":\"function\",\"function\":{\"name\":\"lookup\","
                + "\"description\":\"d\",\"parameters\":{\"type\":\"object\"},\"strict\":true}},"
                + "{\"type\":\"web_search_preview\"}]"));
        assertEquals(List.of(new ClientTool("lookup", "d", (JsonObject) Json.parse("{\"type\":\"object\"}"), false)),
                offer.tools());
        assertEquals(List.of("web_search_preview"), offer.notProvidable());
    }

    @Test
    void legacyFunctionsWithoutParametersGetAnEmptyObjectSchema() {
        ToolOffer offer = ClientTools.openAiFunctions(array("[{\"name\":\"now\"}]"));
        assertEquals(List.of(new ClientTool("now", "", (JsonObject) Json.parse("{\"type\":\"object\"}"), false)),
                offer.tools());
    }

    @Test
    void aToolWithoutNameIsRefusedNamingItsIndex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientTools.anthropic(array("[{\"name\":\"a\",\"input_schema\":{}},{\"input_schema\":{}}]")));
        assertTrue(e.getMessage().startsWith("tools[1]: "), e.getMessage());
    }

    @Test
    void aNameThatFitsThePrefixedLimitPasses() {
        new ClientTool("x".repeat(64 - "mcp__c__".length()), "", JsonObject.EMPTY, false).checkName("c");
    }

    @Test
    void aNameTooLongOncePrefixedFailsNamingTheTool() {
        String name = "x".repeat(64 - "mcp__c__".length() + 1);
        ClientToolNameException e = assertThrows(ClientToolNameException.class,
                () -> new ClientTool(name, "", JsonObject.EMPTY, false).checkName("c"));
        assertEquals(name, e.toolName());
    }

    @Test
    void aNameWithAForbiddenCharacterFailsNamingTheTool() {
        ClientToolNameException e = assertThrows(ClientToolNameException.class,
                () -> new ClientTool("get.weather", "", JsonObject.EMPTY, false).checkName("c"));
        assertEquals("get.weather", e.toolName());
    }
}
