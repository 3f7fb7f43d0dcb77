package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.options.ClientTool;
import claude.code.api.options.ClientToolSet;
import claude.code.api.options.ToolChoice;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each amendment does to a main-loop request body, and which calls of a session it applies to. */
class RequestAmendmentTest {
    static final ClientToolSet TOOLS = new ClientToolSet(List.of(new ClientTool("getWeather", "w",
            JsonObject.builder().put("type", "object").build(), false)));
    /** The shape the pinned CLI sends (docs/CLI-BEHAVIOUR.md#relay-amendments), cut down. */
    static final String CLI_REQUEST = """
            {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"first"}]},\
            {"role":"system","content":[],"output_config":{"effort":"medium"}},\
            {"role":"assistant","content":[{"type":"text","text":"one"}]},\
            {"role":"user","content":"MARK"},\
            {"role":"system","content":"# Environment"}],\
            "system":[{"type":"text","text":"You are Claude Code"}],"tools":[],\
            "thinking":{"type":"adaptive","display":"updates"},\
            "context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},"stream":true}""";

    static JsonObject json(String s) {
        return (JsonObject) Json.parse(s);
    }

    static RequestAmendment choice(ToolChoice c) {
        return RequestAmendment.toolChoice(c, TOOLS).orElseThrow();
    }

    @Test
    void theApisDefaultChoiceNeedsNoAmendment() {
        assertTrue(RequestAmendment.toolChoice(ToolChoice.AUTO, TOOLS).isEmpty());
    }

    @Test
    void aNamedToolIsForcedUnderTheNameTheModelSeesAndThinkingGoesWithItsClearEdit() {
        JsonObject out = choice(ToolChoice.tool("getWeather")).apply(json(CLI_REQUEST));
        assertEquals(json("{\"type\":\"tool\",\"name\":\"mcp__c__getWeather\"}"), out.get("tool_choice"));
        assertFalse(out.has("thinking"), "the API refuses thinking with forced tool use");
        assertFalse(out.has("context_management"), "clear_thinking needs thinking; nothing else was in it");
        assertEquals(json(CLI_REQUEST).get("messages"), out.get("messages"));
    }

    @Test
    void anyWithParallelUseDisabledIsTheApisShape() {
        JsonObject out = choice(ToolChoice.any().withParallelToolUseDisabled()).apply(json(CLI_REQUEST));
        assertEquals(json("{\"type\":\"any\",\"disable_parallel_tool_use\":true}"), out.get("tool_choice"));
    }

    @Test
    void noneAndAutoKeepThinking() {
        JsonObject none = choice(ToolChoice.none()).apply(json(CLI_REQUEST));
        assertEquals(json("{\"type\":\"none\"}"), none.get("tool_choice"));
        assertTrue(none.has("thinking") && none.has("context_management"));
        JsonObject auto = choice(ToolChoice.AUTO.withParallelToolUseDisabled()).apply(json(CLI_REQUEST));
        assertEquals(json("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"), auto.get("tool_choice"));
        assertTrue(auto.has("thinking"));
    }

    @Test
    void otherContextEditsStayWhenThinkingGoes() {
        JsonObject request = json(CLI_REQUEST).with("context_management", json(
                "{\"edits\":[{\"type\":\"clear_thinking_20251015\"},{\"type\":\"clear_tool_uses_20250919\"}]}"));
        JsonObject out = choice(ToolChoice.any()).apply(request);
        assertEquals(json("{\"edits\":[{\"type\":\"clear_tool_uses_20250919\"}]}"), out.get("context_management"));
    }

    @Test
    void aToolTheClientDoesNotOfferCannotBeForced() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RequestAmendment.toolChoice(ToolChoice.tool("other"), TOOLS));
        assertTrue(e.getMessage().contains("\"other\""), e.getMessage());
    }

    static final String CONTINUATION = """
            {"messages":[{"role":"user","content":"q"},\
            {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"mcp__c__getWeather","input":{}}]},\
            {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"12 C"}]},\
            {"role":"system","content":"# Environment"}]}""";
    static final JsonObject TEXT = json("{\"type\":\"text\",\"text\":\"and in Celsius please\"}");

    @Test
    void textBesideResultsGoesAfterTheToolResultBlocksOfTheLastUserMessage() {
        JsonObject out = new RequestAmendment.AppendAfterToolResults(List.of(TEXT)).apply(json(CONTINUATION));
        assertEquals(Json.parse("[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"12 C\"},"
                + "{\"type\":\"text\",\"text\":\"and in Celsius please\"}]"), out.array("messages").object(2).get("content"));
        assertEquals(json("{\"role\":\"system\",\"content\":\"# Environment\"}"), out.array("messages").object(3),
                "the CLI's own entry stays where it was");
    }

    @Test
    void textBesideResultsLeavesARequestWithoutResultsAsItIs() {
        JsonObject request = json(CLI_REQUEST);
        assertSame(request, new RequestAmendment.AppendAfterToolResults(List.of(TEXT)).apply(request));
    }

    static final String PARALLEL = """
            {"messages":[{"role":"user","content":"q"},\
            {"role":"assistant","content":[{"type":"tool_use","id":"a","name":"x","input":{}},\
            {"type":"tool_use","id":"b","name":"y","input":{}}]},\
            {"role":"user","content":[{"type":"tool_result","tool_use_id":"b","content":"B"},\
            {"type":"tool_result","tool_use_id":"a","content":"A"},{"type":"text","text":"note"}]},\
            {"role":"system","content":"# Environment"}]}""";

    @Test
    void parallelResultsArePutInTheOrderOfTheCallsAndTheOtherBlocksStay() {
        JsonObject out = new RequestAmendment.OrderToolResults(List.of("a", "b")).apply(json(PARALLEL));
        assertEquals(Json.parse("[{\"type\":\"tool_result\",\"tool_use_id\":\"a\",\"content\":\"A\"},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"b\",\"content\":\"B\"},"
                + "{\"type\":\"text\",\"text\":\"note\"}]"), out.array("messages").object(2).get("content"));
        assertEquals(json(PARALLEL).array("messages").object(3), out.array("messages").object(3));
    }

    @Test
    void resultsAlreadyInTheOrderOfTheCallsLeaveTheRequestAsItIs() {
        JsonObject request = json(PARALLEL);
        assertSame(request, new RequestAmendment.OrderToolResults(List.of("b", "a")).apply(request));
    }

    static final List<JsonObject> TAIL = List.of(json("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"q\"}]}"),
            json("{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"mcp__c__getWeather\",\"input\":{}}]}"),
            json("{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"12 C\"}]}"));

    @Test
    void theMarkerMessageIsReplacedByTheTrueHistoryAndTheCliEntriesStay() {
        JsonObject out = new RequestAmendment.ReplaceMarker("MARK", TAIL).apply(json(CLI_REQUEST));
        List<JsonObject> messages = out.array("messages").stream().map(JsonObject.class::cast).toList();
        assertEquals(7, messages.size(), messages.toString());
        assertEquals(TAIL, messages.subList(3, 6));
        assertEquals("system", messages.get(6).string("role"));
        assertFalse(Json.write(out).contains("MARK"), Json.write(out));
    }

    @Test
    void aMarkerBlockKeepsTheCliBlocksBesideItAndItsCacheBreakpoint() {
        JsonObject request = json(CLI_REQUEST.replace("\"content\":\"MARK\"", "\"content\":[{\"type\":\"text\","
                + "\"text\":\"<system-reminder>r</system-reminder>\"},{\"type\":\"text\",\"text\":\"MARK\","
                + "\"cache_control\":{\"type\":\"ephemeral\"}}]"));
        List<JsonObject> messages = new RequestAmendment.ReplaceMarker("MARK", TAIL).apply(request).array("messages")
                .stream().map(JsonObject.class::cast).toList();
        assertEquals(Json.parse("[{\"type\":\"text\",\"text\":\"<system-reminder>r</system-reminder>\"},{\"type\":\"text\",\"text\":\"q\"}]"),
                messages.get(3).get("content"));
        assertEquals(Json.parse("[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"12 C\",\"cache_control\":{\"type\":\"ephemeral\"}}]"),
                messages.get(5).get("content"));
    }

    @Test
    void aRequestWithoutTheMarkerIsLeftAsItIs() {
        JsonObject request = json(CLI_REQUEST);
        assertSame(request, new RequestAmendment.ReplaceMarker("OTHER", TAIL).apply(request));
    }

    // --- which calls ---------------------------------------------------------------------------------------

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void withoutAmendmentsTheCliBytesAreForwardedThemselves() {
        byte[] sent = bytes(CLI_REQUEST.replace(",", ", ")); // spacing our writer would not keep
        assertSame(sent, new MainCallAmendments().forCall(sent));
    }

    @Test
    void anAmendmentThatChangesNothingKeepsTheCliBytes() {
        MainCallAmendments amendments = new MainCallAmendments();
        amendments.nextCall(List.of(new RequestAmendment.AppendAfterToolResults(List.of(TEXT))));
        byte[] sent = bytes(CLI_REQUEST.replace(",", ", "));
        assertSame(sent, amendments.forCall(sent));
    }

    @Test
    void theNextCallAmendmentAppliesToThatCallAndItsRetryOnly() {
        MainCallAmendments amendments = new MainCallAmendments();
        amendments.nextCall(List.of(choice(ToolChoice.any())));
        byte[] first = bytes(CLI_REQUEST);
        assertTrue(json(new String(amendments.forCall(first), StandardCharsets.UTF_8)).has("tool_choice"));
        byte[] retry = bytes(CLI_REQUEST.replace("\"stream\":true", "\"stream\":false")); // same messages
        assertTrue(json(new String(amendments.forCall(retry), StandardCharsets.UTF_8)).has("tool_choice"),
                "a retry of the amended request is that request");
        byte[] afterResult = bytes(CONTINUATION);
        assertSame(afterResult, amendments.forCall(afterResult), "after a tool result: a new request, its own choice");
        assertSame(first, amendments.forCall(first), "over once another call came");
    }

    @Test
    void everyCallAmendmentsApplyToEachCallAndANewTurnDropsOnlyTheNextCallOnes() {
        MainCallAmendments amendments = new MainCallAmendments();
        amendments.everyCall(List.of(new RequestAmendment.ReplaceMarker("MARK", TAIL)));
        amendments.nextCall(List.of(choice(ToolChoice.none())));
        amendments.newTurn();
        for (int i = 0; i < 2; i++) {
            JsonObject out = json(new String(amendments.forCall(bytes(CLI_REQUEST)), StandardCharsets.UTF_8));
            assertEquals(TAIL.get(1), out.array("messages").object(4));
            assertFalse(out.has("tool_choice"), "dropped by the new turn");
        }
    }

    @Test
    void anAmendedRequestIsWrittenAsValidJsonOfTheSameOtherMembers() {
        MainCallAmendments amendments = new MainCallAmendments();
        amendments.nextCall(List.of(choice(ToolChoice.none())));
        byte[] out = amendments.forCall(bytes(CLI_REQUEST));
        assertEquals(json(CLI_REQUEST).with("tool_choice", json("{\"type\":\"none\"}")), Json.parse(out));
        assertFalse(java.util.Arrays.equals(bytes(CLI_REQUEST), out));
        assertArrayEquals(out, Json.writeUtf8(json(new String(out, StandardCharsets.UTF_8))));
    }
}
