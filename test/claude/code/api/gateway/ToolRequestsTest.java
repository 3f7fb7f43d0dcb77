package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.options.ClientTool;
import claude.code.api.options.ClientToolSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How each API's tools and tool_choice are read: unit tests on the dialects' parse. */
class ToolRequestsTest {
    static final String SCHEMA = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
            + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
    static final String USER = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    static TurnRequest anthropic(String fields) throws HttpError {
        return new AnthropicMessages().parse(body("{" + fields + "," + USER + "}"), new FieldPolicy()).turn();
    }

    static TurnRequest chat(String fields) throws HttpError {
        return new OpenAiChatCompletions().parse(body("{" + fields + "," + USER + "}"), new FieldPolicy()).turn();
    }

    static TurnRequest responses(String fields) throws HttpError {
        return new OpenAiResponses(new ResponseStore(8, Duration.ofMinutes(1)), "t")
                .parse(body("{" + fields + ",\"input\":\"hi\"}"), new FieldPolicy()).turn();
    }

    static JsonObject body(String json) {
        return (JsonObject) Json.parse(json);
    }

    static String message(HttpError e) {
        return e.getMessage();
    }

    static List<String> names(TurnRequest turn) {
        return turn.tools().tools().stream().map(ClientTool::name).toList();
    }

    static final String WEATHER = "{\"name\":\"getWeather\",\"description\":\"Weather\",\"input_schema\":" + SCHEMA + "}";

    // --- Anthropic --------------------------------------------------------------------------------

    @Test
    void anAnthropicCustomToolKeepsItsSchemaExactlyAndItsUnknownFieldsAreIgnored() throws HttpError {
        TurnRequest turn = anthropic("\"tools\":[{\"type\":\"custom\",\"name\":\"getWeather\",\"description\":\"Weather\","
                + "\"input_schema\":" + SCHEMA + ",\"cache_control\":{\"type\":\"ephemeral\"},\"eager_input_streaming\":true}]");
        assertEquals(new ClientToolSet(List.of(new ClientTool("getWeather", "Weather", body(SCHEMA), false))), turn.tools());
        assertEquals(ToolChoice.AUTO, turn.toolChoice());
    }

    @Test
    void anthropicServerAndBuiltInToolsAreLeftOutWhenMerelyOffered() throws HttpError {
        FieldPolicy policy = new FieldPolicy();
        TurnRequest turn = new AnthropicMessages().parse(body("{\"tools\":[{\"type\":\"web_search_20250305\",\"name\":"
                + "\"web_search\"}," + WEATHER + ",{\"type\":\"bash_20250124\",\"name\":\"bash\"},{\"type\":\"computer_20250124\","
                + "\"name\":\"computer\",\"display_width_px\":1024},{\"type\":\"text_editor_20250728\",\"name\":"
                + "\"str_replace_based_edit_tool\"},{\"type\":\"code_execution_20250825\",\"name\":\"code_execution\"},"
                + "{\"type\":\"tomorrows_tool\"}]," + USER + "}"), policy).turn();
        assertEquals(List.of("getWeather"), names(turn));
        assertEquals(6, policy.loggedFields(), "each left-out tool said once");
    }

    @Test
    void aLeftOutToolIsSaidOnlyOnceAcrossRequests() throws HttpError {
        FieldPolicy policy = new FieldPolicy();
        AnthropicMessages dialect = new AnthropicMessages();
        for (int i = 0; i < 3; i++) {
            dialect.parse(body("{\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]," + USER + "}"), policy);
        }
        assertEquals(1, policy.loggedFields());
    }

    @Test
    void anAnthropicToolWithoutInputSchemaIsA400NamingTheField() {
        HttpError e = assertThrows(HttpError.class, () -> anthropic("\"tools\":[" + WEATHER + ",{\"name\":\"b\"}]"));
        assertEquals("tools[1].input_schema: missing; expected an object", message(e));
    }

    @Test
    void aSchemaThatIsNotOfTypeObjectIsA400NamingTheField() {
        HttpError e = assertThrows(HttpError.class,
                () -> anthropic("\"tools\":[{\"name\":\"b\",\"input_schema\":{\"type\":\"string\"}}]"));
        assertTrue(message(e).startsWith("tools[0].input_schema.type: "), message(e));
    }

    @Test
    void aToolNameOutsideTheApisCharactersIsA400NamingTheTool() {
        HttpError e = assertThrows(HttpError.class,
                () -> anthropic("\"tools\":[{\"name\":\"get weather\",\"input_schema\":{}}]"));
        assertEquals("tools[0].name: tool name \"get weather\" has a character outside [a-zA-Z0-9_-] at index 3", message(e));
    }

    @Test
    void aToolNameTooLongOncePrefixedIsA400NamingTheTool() {
        String name = "x".repeat(64 - ("mcp__" + ClientToolSet.MCP_SERVER + "__").length() + 1);
        HttpError e = assertThrows(HttpError.class,
                () -> anthropic("\"tools\":[{\"name\":\"" + name + "\",\"input_schema\":{}}]"));
        assertTrue(message(e).startsWith("tools[0].name: tool name \"" + name + "\" is "), message(e));
    }

    @Test
    void twoToolsWithOneNameAreA400() {
        HttpError e = assertThrows(HttpError.class, () -> anthropic("\"tools\":[" + WEATHER + "," + WEATHER + "]"));
        assertTrue(message(e).startsWith("tools: the name \"getWeather\" is used twice"), message(e));
    }

    @Test
    void anthropicToolChoicesAreRead() throws HttpError {
        String serverOnly = "\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}],";
        assertEquals(ToolChoice.AUTO, anthropic(serverOnly + "\"tool_choice\":{\"type\":\"auto\"}").toolChoice());
        assertEquals(ToolChoice.Kind.NONE, anthropic(serverOnly + "\"tool_choice\":{\"type\":\"none\"}").toolChoice().kind());
        assertEquals(false, anthropic(serverOnly + "\"tool_choice\":{\"type\":\"auto\",\"disable_parallel_tool_use\":true}")
                .toolChoice().parallel());
        assertTrue(message(assertThrows(HttpError.class, () -> anthropic("\"tool_choice\":{\"type\":\"sometimes\"}")))
                .startsWith("tool_choice.type: "));
    }

    @Test
    void forcingAServerToolIsA400NamingIt() {
        HttpError e = assertThrows(HttpError.class, () -> anthropic("\"tools\":[{\"type\":\"web_search_20250305\","
                + "\"name\":\"web_search\"}],\"tool_choice\":{\"type\":\"tool\",\"name\":\"web_search\"}"));
        assertEquals("tool_choice: forces \"web_search\", a server or built-in tool the CLI cannot provide", message(e));
    }

    @Test
    void forcingAToolThatIsNotOfferedIsA400() {
        HttpError e = assertThrows(HttpError.class, () -> anthropic("\"tools\":[" + WEATHER + "],"
                + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"getTime\"}"));
        assertEquals("tool_choice: names the tool \"getTime\", which is not in tools", message(e));
    }

    @Test
    void anyWithOnlyServerToolsIsA400NamingWhatWasLeftOut() {
        HttpError e = assertThrows(HttpError.class, () -> anthropic("\"tools\":[{\"type\":\"web_search_20250305\","
                + "\"name\":\"web_search\"}],\"tool_choice\":{\"type\":\"any\"}"));
        assertEquals("tool_choice: \"any\" forces a tool call, but no tool the CLI can provide is offered (server and "
                + "built-in tools are left out: web_search)", message(e));
    }

    static claude.code.api.options.ToolChoice backendChoice(TurnRequest turn) {
        return turn.turnOptions().toolChoice();
    }

    @Test
    void everyAnthropicChoiceOverClientToolsGoesToTheBackendForTheRelayToSet() throws HttpError {
        assertEquals(claude.code.api.options.ToolChoice.any(),
                backendChoice(anthropic("\"tools\":[" + WEATHER + "],\"tool_choice\":{\"type\":\"any\"}")));
        assertEquals(claude.code.api.options.ToolChoice.none(),
                backendChoice(anthropic("\"tools\":[" + WEATHER + "],\"tool_choice\":{\"type\":\"none\"}")));
        assertEquals(claude.code.api.options.ToolChoice.tool("getWeather"), backendChoice(anthropic("\"tools\":["
                + WEATHER + "],\"tool_choice\":{\"type\":\"tool\",\"name\":\"getWeather\"}")));
        assertEquals(claude.code.api.options.ToolChoice.AUTO.withParallelToolUseDisabled(), backendChoice(anthropic(
                "\"tools\":[" + WEATHER + "],\"tool_choice\":{\"type\":\"auto\",\"disable_parallel_tool_use\":true}")));
        assertEquals(claude.code.api.options.ToolChoice.any().withParallelToolUseDisabled(), backendChoice(anthropic(
                "\"tools\":[" + WEATHER + "],\"tool_choice\":{\"type\":\"any\",\"disable_parallel_tool_use\":true}")));
    }

    @Test
    void withoutClientToolsNoChoiceReachesTheBackend() throws HttpError {
        assertEquals(claude.code.api.options.ToolChoice.AUTO, backendChoice(anthropic("\"tool_choice\":{\"type\":\"none\"}")));
    }

    // --- OpenAI chat ------------------------------------------------------------------------------

    static final String FUNCTION = "{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"description\":\"d\","
            + "\"parameters\":" + SCHEMA + ",\"strict\":true}}";

    @Test
    void chatFunctionToolsAreReadWithTheirParametersAsGiven() throws HttpError {
        TurnRequest turn = chat("\"tools\":[" + FUNCTION + ",{\"type\":\"web_search\"},{\"type\":\"custom\",\"custom\":"
                + "{\"name\":\"grammar\"}}]");
        assertEquals(new ClientToolSet(List.of(new ClientTool("lookup", "d", body(SCHEMA), false))), turn.tools());
    }

    @Test
    void chatAutoComesAsAStringOrAnObject() throws HttpError {
        assertEquals(ToolChoice.AUTO, chat("\"tools\":[" + FUNCTION + "],\"tool_choice\":\"auto\"").toolChoice());
        assertEquals(ToolChoice.AUTO, chat("\"tools\":[" + FUNCTION + "],\"tool_choice\":{\"type\":\"auto\"}").toolChoice());
        assertEquals(ToolChoice.AUTO, chat("\"tools\":[" + FUNCTION + "],\"parallel_tool_calls\":true").toolChoice());
    }

    @Test
    void chatRequiredNoneAndNamedFunctionGoToTheBackendAndAnUnknownNameIsA400() throws HttpError {
        assertEquals(claude.code.api.options.ToolChoice.any(),
                backendChoice(chat("\"tools\":[" + FUNCTION + "],\"tool_choice\":\"required\"")));
        assertEquals(claude.code.api.options.ToolChoice.none(),
                backendChoice(chat("\"tools\":[" + FUNCTION + "],\"tool_choice\":\"none\",\"parallel_tool_calls\":false")));
        assertEquals(claude.code.api.options.ToolChoice.tool("lookup"), backendChoice(chat("\"tools\":[" + FUNCTION
                + "],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"lookup\"}}")));
        HttpError unknown = assertThrows(HttpError.class, () -> chat("\"tools\":[" + FUNCTION + "],\"tool_choice\":"
                + "{\"type\":\"function\",\"function\":{\"name\":\"other\"}}"));
        assertEquals("tool_choice: names the tool \"other\", which is not in tools", message(unknown));
    }

    @Test
    void chatParallelToolCallsFalseIsParallelUseDisabled() throws HttpError {
        assertEquals(claude.code.api.options.ToolChoice.AUTO.withParallelToolUseDisabled(),
                backendChoice(chat("\"tools\":[" + FUNCTION + "],\"parallel_tool_calls\":false")));
    }

    @Test
    void legacyFunctionsAndFunctionCallAreRead() throws HttpError {
        TurnRequest turn = chat("\"functions\":[{\"name\":\"now\"}],\"function_call\":\"auto\"");
        assertEquals(new ClientToolSet(List.of(new ClientTool("now", "", body("{\"type\":\"object\"}"), false))),
                turn.tools());
        assertEquals(claude.code.api.options.ToolChoice.tool("now"), backendChoice(chat("\"functions\":[{\"name\":\"now\"}],"
                + "\"function_call\":{\"name\":\"now\"}")));
    }

    @Test
    void aChatFunctionWithoutNameIsA400NamingTheField() {
        HttpError e = assertThrows(HttpError.class, () -> chat("\"tools\":[{\"type\":\"function\",\"function\":{}}]"));
        assertEquals("tools[0].function.name: missing; expected a string", message(e));
    }

    // --- Responses --------------------------------------------------------------------------------

    @Test
    void responsesFunctionToolsAreFlatAndBuiltInsAreLeftOut() throws HttpError {
        TurnRequest turn = responses("\"tools\":[{\"type\":\"function\",\"name\":\"lookup\",\"description\":\"d\","
                + "\"parameters\":" + SCHEMA + ",\"strict\":false},{\"type\":\"web_search_preview\"},{\"type\":\"file_search\","
                + "\"vector_store_ids\":[]},{\"type\":\"code_interpreter\",\"container\":{\"type\":\"auto\"}},"
                + "{\"type\":\"namespace\",\"name\":\"ns\"},{\"type\":\"computer_use_preview\"}]");
        assertEquals(new ClientToolSet(List.of(new ClientTool("lookup", "d", body(SCHEMA), false))), turn.tools());
    }

    @Test
    void responsesForcingABuiltInToolIsA400NamingIt() {
        HttpError e = assertThrows(HttpError.class, () -> responses("\"tools\":[{\"type\":\"web_search_preview\"}],"
                + "\"tool_choice\":{\"type\":\"web_search_preview\"}"));
        assertEquals("tool_choice: forces \"web_search_preview\", a server or built-in tool the CLI cannot provide", message(e));
    }

    @Test
    void responsesNamedFunctionIsFlat() throws HttpError {
        assertEquals(claude.code.api.options.ToolChoice.tool("lookup"), backendChoice(responses("\"tools\":[{\"type\":"
                + "\"function\",\"name\":\"lookup\"}],\"tool_choice\":{\"type\":\"function\",\"name\":\"lookup\"}")));
    }
}
