package claude.code.api.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.BackendOptions;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientToolSetTest {
    static ClientTool tool(String name) {
        return new ClientTool(name, "secret description", JsonObject.EMPTY, false);
    }

    static final String PREFIX = "mcp__" + ClientToolSet.MCP_SERVER + "__";

    @Test
    void aNameThatFitsThePrefixedLimitPasses() {
        assertTrue(new ClientToolSet(List.of(tool("x".repeat(64 - PREFIX.length())))).contains("x".repeat(64 - PREFIX.length())));
    }

    @Test
    void aNameTooLongOncePrefixedFailsNamingTheTool() {
        String name = "x".repeat(64 - PREFIX.length() + 1);
        ClientToolNameException e = assertThrows(ClientToolNameException.class, () -> new ClientToolSet(List.of(tool(name))));
        assertEquals(name, e.toolName());
    }

    @Test
    void aNameWithAForbiddenCharacterFailsNamingTheTool() {
        ClientToolNameException e = assertThrows(ClientToolNameException.class,
                () -> new ClientToolSet(List.of(tool("get.weather"))));
        assertEquals("get.weather", e.toolName());
    }

    @Test
    void anEmptyNameFails() {
        assertThrows(ClientToolNameException.class, () -> new ClientToolSet(List.of(tool(""))));
    }

    @Test
    void twoToolsWithOneNameFail() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClientToolSet(List.of(tool("a"), tool("a"))));
        assertTrue(e.getMessage().startsWith("tools: the name \"a\" is used twice"), e.getMessage());
    }

    @Test
    void setsWithTheSameToolsAreEqualWhateverTheSchemasKeyOrder() {
        ClientTool a = new ClientTool("a", "", (JsonObject) Json.parse("{\"type\":\"object\",\"properties\":{}}"), false);
        ClientTool b = new ClientTool("a", "", (JsonObject) Json.parse("{\"properties\":{},\"type\":\"object\"}"), false);
        assertEquals(new ClientToolSet(List.of(a)), new ClientToolSet(List.of(b)));
        assertEquals(new ClientToolSet(List.of(a)).hashCode(), new ClientToolSet(List.of(b)).hashCode());
    }

    @Test
    void toStringHoldsNoClientText() {
        assertFalse(new ClientToolSet(List.of(tool("a"))).toString().contains("secret"));
    }

    @Test
    void theToolSetIsABackendOptionKeptByToBuilder() {
        ClientToolSet tools = new ClientToolSet(List.of(tool("a")));
        BackendOptions options = BackendOptions.builder(Path.of("/tmp")).tools(tools).build();
        assertEquals(tools, options.toBuilder().build().tools());
        assertEquals(ClientToolSet.NONE, BackendOptions.builder(Path.of("/tmp")).build().tools());
    }
}
