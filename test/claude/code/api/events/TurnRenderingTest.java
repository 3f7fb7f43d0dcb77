package claude.code.api.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.util.List;
import org.junit.jupiter.api.Test;

public class TurnRenderingTest {
    public static final ToolUseBlock USE = new ToolUseBlock("toolu_1", "Bash", (JsonObject) Json.parse("{\"command\":\"ls\"}"));
    public static final ToolResultBlock RESULT = new ToolResultBlock("toolu_1", new JsonString("a.txt\nb.txt"), null);
    public static final ThinkingBlock THINKING = new ThinkingBlock("I should run ls.", "c2lnbmF0dXJl");
    /** A tool turn: thinking + text + tool use, the tool's result, the final answer. */
    public static final List<Message> TURN = List.of(
            Message.assistant(THINKING, new TextBlock("Let me look."), USE),
            Message.user(RESULT),
            Message.assistant(new TextBlock("Two files: a.txt and b.txt.")));

    @Test
    void withoutToolActivityOnlyTextAndThinkingRemainInOrder() {
        List<ContentBlock> blocks = TurnRendering.blocks(TURN, false);
        assertEquals(List.of(THINKING, new TextBlock("Let me look."),
                new TextBlock("Two files: a.txt and b.txt.")), blocks);
    }

    @Test
    void withToolActivityToolBlocksBecomeTextBlocksInPlace() {
        List<ContentBlock> blocks = TurnRendering.blocks(TURN, true);
        assertEquals(5, blocks.size());
        assertEquals(new TextBlock("[tool_use id=toolu_1 name=Bash]\n{\"command\":\"ls\"}\n[/tool_use]"), blocks.get(2));
        assertEquals(new TextBlock("[tool_result id=toolu_1]\na.txt\nb.txt\n[/tool_result]"), blocks.get(3));
    }

    @Test
    void anErrorResultIsMarkedAndAnEmptyResultHasNoBody() {
        assertEquals("[tool_result id=t error]\nboom\n[/tool_result]",
                TurnRendering.toolResultText(new ToolResultBlock("t", new JsonString("boom"), true)).text());
        assertEquals("[tool_result id=t]\n[/tool_result]", TurnRendering.toolResultText(new ToolResultBlock("t", null, null)).text());
    }

    @Test
    void aResultGivenAsBlocksShowsTheirTextAndNamesOtherBlocks() {
        JsonArray content = (JsonArray) Json.parse("[{\"type\":\"text\",\"text\":\"one\"},{\"type\":\"image\",\"source\":{}}]");
        assertEquals("[tool_result id=t]\none\n[image block omitted]\n[/tool_result]",
                TurnRendering.toolResultText(new ToolResultBlock("t", content, null)).text());
    }

    @Test
    void aLongResultIsCutWithACount() {
        String text = TurnRendering.toolResultText(new ToolResultBlock("t", new JsonString("x".repeat(2500)), null)).text();
        assertTrue(text.contains("x".repeat(TurnRendering.MAX_TOOL_TEXT) + "\n[... 500 more characters]\n[/tool_result]"), text);
    }

    @Test
    void userTextInTheTurnAndUnknownBlocksAreNeverShown() {
        assertNull(TurnRendering.render(new TextBlock("[Request interrupted by user]"), false, true));
        assertNull(TurnRendering.render(new UnknownBlock("server_tool_use", JsonObject.EMPTY), true, true));
        assertNull(TurnRendering.render(USE, true, false));
    }

    @Test
    void joinedTextSeparatesBlocksByABlankLineAndSkipsThinking() {
        assertEquals("Let me look.\n\nTwo files: a.txt and b.txt.",
                TurnRendering.joinedText(TurnRendering.blocks(TURN, false)));
    }
}
