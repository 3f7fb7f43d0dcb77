package claude.code.api.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FingerprintTest {
    static ContentBlock block(String json) {
        return ContentBlock.fromJson((JsonObject) Json.parse(json));
    }

    static List<HistoryMessage> plus(List<HistoryMessage> a, List<HistoryMessage> b) {
        List<HistoryMessage> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static final List<HistoryMessage> CONVERSATION = List.of(HistoryMessage.user("list the files"));
    static final ToolUseBlock TOOL_USE = new ToolUseBlock("toolu_1", "Bash", (JsonObject) Json.parse("{\"command\":\"ls\"}"));
    static final ToolResultBlock TOOL_RESULT = new ToolResultBlock("toolu_1", new JsonString("a.txt\nb.txt"), null);
    static final ThinkingBlock THINKING = new ThinkingBlock("I should run ls.", "c2lnbmF0dXJl");
    /** A tool turn: thinking + text + tool use, the tool's result, the final answer. */
    static final List<HistoryMessage> TURN = List.of(
            HistoryMessage.assistant(THINKING, new TextBlock("Let me look."), TOOL_USE),
            HistoryMessage.user(TOOL_RESULT),
            HistoryMessage.assistant(new TextBlock("Two files: a.txt and b.txt.")));

    @Test
    void aFingerprintIsSha256Hex() {
        String fp = Fingerprint.of(CONVERSATION);
        assertTrue(fp.matches("[0-9a-f]{64}"), fp);
        assertEquals(fp, Fingerprint.of(List.of(HistoryMessage.user("list the files"))));
    }

    @Test
    void fieldsOutsideTheApiShapeDoNotChangeIt() {
        List<HistoryMessage> plain = List.of(HistoryMessage.user(block("{\"type\":\"text\",\"text\":\"hi\"}")));
        List<HistoryMessage> decorated = List.of(HistoryMessage.user(block(
                "{\"type\":\"text\",\"text\":\"hi\",\"cache_control\":{\"type\":\"ephemeral\"},\"citations\":[]}")));
        assertEquals(Fingerprint.of(plain), Fingerprint.of(decorated));
    }

    @Test
    void memberOrderAndNumberSpellingInToolInputDoNotChangeIt() {
        ContentBlock a = block("{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"X\",\"input\":{\"a\":1,\"b\":[2.0]}}");
        ContentBlock b = block("{\"input\":{\"b\":[2],\"a\":1.0},\"name\":\"X\",\"id\":\"t\",\"type\":\"tool_use\"}");
        assertEquals(Fingerprint.of(List.of(HistoryMessage.assistant(a))), Fingerprint.of(List.of(HistoryMessage.assistant(b))));
    }

    @Test
    void adjacentMessagesOfOneRoleCountAsOne() {
        List<HistoryMessage> split = List.of(HistoryMessage.user("q"), HistoryMessage.assistant("part one"),
                HistoryMessage.assistant(TOOL_USE));
        List<HistoryMessage> merged = List.of(HistoryMessage.user("q"),
                HistoryMessage.assistant(new TextBlock("part one"), TOOL_USE));
        assertEquals(Fingerprint.of(merged), Fingerprint.of(split));
    }

    @Test
    void emptyTextBlocksAndEmptyMessagesDoNotCount() {
        List<HistoryMessage> withEmpty = List.of(HistoryMessage.user(new TextBlock(""), new TextBlock("q")),
                new HistoryMessage(true, List.of()), HistoryMessage.assistant("a"));
        assertEquals(Fingerprint.of(List.of(HistoryMessage.user("q"), HistoryMessage.assistant("a"))),
                Fingerprint.of(withEmpty));
    }

    @Test
    void aToolResultsStringContentEqualsOneTextBlockAndFalseIsErrorEqualsAbsent() {
        ContentBlock asString = block("{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":\"out\"}");
        ContentBlock asBlocks = block("{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"out\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"is_error\":false}");
        ContentBlock failed = block("{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":\"out\",\"is_error\":true}");
        assertEquals(Fingerprint.of(List.of(HistoryMessage.user(asString))), Fingerprint.of(List.of(HistoryMessage.user(asBlocks))));
        assertNotEquals(Fingerprint.of(List.of(HistoryMessage.user(asString))), Fingerprint.of(List.of(HistoryMessage.user(failed))));
    }

    @Test
    void textRolesAndOrderAllCount() {
        String base = Fingerprint.of(List.of(HistoryMessage.user("a"), HistoryMessage.assistant("b")));
        assertNotEquals(base, Fingerprint.of(List.of(HistoryMessage.user("a"), HistoryMessage.assistant("B"))));
        assertNotEquals(base, Fingerprint.of(List.of(HistoryMessage.assistant("a"), HistoryMessage.user("b"))));
        assertNotEquals(base, Fingerprint.of(List.of(HistoryMessage.user("b"), HistoryMessage.assistant("a"))));
        assertNotEquals(Fingerprint.of(List.of(HistoryMessage.assistant(THINKING, new TextBlock("x")))),
                Fingerprint.of(List.of(HistoryMessage.assistant("x"))), "thinking counts in the full view");
    }

    @Test
    void aTurnIsRegisteredUnderTheFullCycle() {
        Set<String> keys = Fingerprint.registrationKeys(CONVERSATION, TURN);
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION, TURN))));
    }

    @Test
    void aTurnIsRegisteredUnderItsFinalTextAlone() {
        Set<String> keys = Fingerprint.registrationKeys(CONVERSATION, TURN);
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION, List.of(HistoryMessage.assistant("Two files: a.txt and b.txt."))))));
    }

    @Test
    void aTurnIsRegisteredUnderAllItsTextAsBlocksAndAsOneString() {
        Set<String> keys = Fingerprint.registrationKeys(CONVERSATION, TURN);
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION, List.of(HistoryMessage.assistant(
                new TextBlock("Let me look."), new TextBlock("Two files: a.txt and b.txt.")))))));
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION,
                List.of(HistoryMessage.assistant("Let me look.Two files: a.txt and b.txt."))))));
    }

    @Test
    void aTurnIsRegisteredWithItsThinkingStripped() {
        Set<String> keys = Fingerprint.registrationKeys(CONVERSATION, TURN);
        List<HistoryMessage> stripped = List.of(HistoryMessage.assistant(new TextBlock("Let me look."), TOOL_USE),
                HistoryMessage.user(TOOL_RESULT), HistoryMessage.assistant(new TextBlock("Two files: a.txt and b.txt.")));
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION, stripped))));
    }

    @Test
    void thinkingInEarlierTurnsMayBeStrippedToo() {
        List<HistoryMessage> earlier = List.of(HistoryMessage.user("hi"),
                HistoryMessage.assistant(THINKING, new TextBlock("hello")), HistoryMessage.user("list the files"));
        Set<String> keys = Fingerprint.registrationKeys(earlier, List.of(HistoryMessage.assistant("done")));
        List<HistoryMessage> echoedWithoutThinking = List.of(HistoryMessage.user("hi"), HistoryMessage.assistant("hello"),
                HistoryMessage.user("list the files"), HistoryMessage.assistant("done"));
        assertTrue(keys.contains(Fingerprint.of(echoedWithoutThinking)));
    }

    @Test
    void aPlainTurnHasOneViewWithAndOneWithoutThinking() {
        Set<String> keys = Fingerprint.registrationKeys(CONVERSATION, List.of(HistoryMessage.assistant("hello")));
        assertEquals(Set.of(Fingerprint.of(plus(CONVERSATION, List.of(HistoryMessage.assistant("hello"))))), keys);
    }

    @Test
    void theViewsNeverMatchTheHistoryBeforeTheTurn() {
        Set<String> keys = Fingerprint.registrationKeys(CONVERSATION, TURN);
        assertTrue(!keys.contains(Fingerprint.of(CONVERSATION)));
        assertEquals(10, keys.size(), "cycle with and without thinking, final text, text blocks, joined text, "
                + "and the gateway's renderings (without and with tool activity, as blocks with and without thinking "
                + "and as one string)");
    }

    @Test
    void aTurnIsRegisteredAsTheGatewayShowsItWithThinkingInPlace() {
        Set<String> keys = Fingerprint.registrationKeys(CONVERSATION, TURN);
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION, List.of(HistoryMessage.assistant(
                THINKING, new TextBlock("Let me look."), new TextBlock("Two files: a.txt and b.txt.")))))));
    }

    @Test
    void aTurnIsRegisteredAsTheGatewayShowsItWithToolActivity() {
        Set<String> keys = Fingerprint.registrationKeys(CONVERSATION, TURN);
        List<HistoryMessage> shown = List.of(HistoryMessage.assistant(THINKING, new TextBlock("Let me look."),
                TurnRendering.toolUseText(TOOL_USE), TurnRendering.toolResultText(TOOL_RESULT),
                new TextBlock("Two files: a.txt and b.txt.")));
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION, shown))));
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION, Fingerprint.withoutThinking(shown)))));
    }

    @Test
    void aTurnIsRegisteredAsTheGatewaysOpenAiStringWithAndWithoutToolActivity() {
        Set<String> keys = Fingerprint.registrationKeys(CONVERSATION, TURN);
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION,
                List.of(HistoryMessage.assistant("Let me look.\n\nTwo files: a.txt and b.txt."))))));
        String withTools = "Let me look.\n\n[tool_use id=toolu_1 name=Bash]\n{\"command\":\"ls\"}\n[/tool_use]\n\n"
                + "[tool_result id=toolu_1]\na.txt\nb.txt\n[/tool_result]\n\nTwo files: a.txt and b.txt.";
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION, List.of(HistoryMessage.assistant(withTools))))));
    }
}
