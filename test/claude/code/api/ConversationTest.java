package claude.code.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import claude.code.api.events.Message;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A follow-up that answers the client's tool calls, checked as the API checks it. */
class ConversationTest {
    static final ToolUseBlock A = new ToolUseBlock("toolu_a", "getWeather", JsonObject.EMPTY);
    static final ToolUseBlock B = new ToolUseBlock("toolu_b", "getTime", JsonObject.EMPTY);

    static ToolResultBlock result(String id) {
        return new ToolResultBlock(id, new JsonString("r-" + id), null);
    }

    static List<Message> afterTwoCalls(Message... turn) {
        List<Message> out = new java.util.ArrayList<>(List.of(Message.user("weather and time?"),
                Message.assistant(new TextBlock("Looking."), A, B)));
        out.addAll(List.of(turn));
        return out;
    }

    @Test
    void aTurnOfOnlyToolResultsIsATurnWithNoText() {
        Conversation c = Conversation.of(afterTwoCalls(Message.user(result("toolu_a"), result("toolu_b"))));
        assertEquals(List.of(result("toolu_a"), result("toolu_b")), c.results());
        assertEquals("", c.prompt());
        assertEquals(2, c.prior().size());
    }

    @Test
    void resultsInSeveralTrailingUserMessagesFormOneTurn() { // OpenAI: one tool message per call
        Conversation c = Conversation.of(afterTwoCalls(Message.user(result("toolu_a")), Message.user(result("toolu_b"))));
        assertEquals(2, c.results().size());
    }

    @Test
    void aMissingResultIsRefusedNamingTheIdsAsTheApiDoes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conversation.of(afterTwoCalls(Message.user("never mind"))));
        assertEquals("messages[1]: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_a, "
                + "toolu_b. Each `tool_use` block must have a corresponding `tool_result` block in the next message.",
                e.getMessage());
    }

    @Test
    void textAfterTheResultsBelongsToTheTurn() {
        Conversation c = Conversation.of(afterTwoCalls(Message.user(result("toolu_a"), result("toolu_b"),
                new TextBlock("answer in French"))));
        assertEquals(2, c.results().size());
        assertEquals("answer in French", c.prompt());
    }

    @Test
    void aResultAfterTextIsNotImmediatelyAfterTheCall() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Conversation.of(afterTwoCalls(
                Message.user(result("toolu_a"), new TextBlock("and"), result("toolu_b")))));
        assertEquals("messages[1]: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_b. "
                + "Each `tool_use` block must have a corresponding `tool_result` block in the next message.", e.getMessage());
    }

    @Test
    void aResultForAnIdNotAskedForIsRefusedAsTheApiDoes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Conversation.of(afterTwoCalls(
                Message.user(result("toolu_a"), result("toolu_b"), result("toolu_x")))));
        assertEquals("messages[2].content[2]: unexpected `tool_use_id` found in `tool_result` blocks: toolu_x. Each "
                + "`tool_result` block must have a corresponding `tool_use` block in the previous message.", e.getMessage());
    }

    @Test
    void aResultWithoutAnyCallBeforeItIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conversation.of(List.of(Message.user(result("toolu_a")))));
        assertEquals("messages[0].content[0]: unexpected `tool_use_id` found in `tool_result` blocks: toolu_a. Each "
                + "`tool_result` block must have a corresponding `tool_use` block in the previous message.", e.getMessage());
    }

    static final claude.code.api.events.DocumentBlock PDF = new claude.code.api.events.DocumentBlock(
            new claude.code.api.events.MediaSource.Base64("application/pdf", "JVBERi0xLjQK"));

    @Test
    void aDocumentOfTheNewTurnIsTypedAsARandomMarkerWhereTheClientPutItAndTheRelayPutsItThere() {
        Conversation c = Conversation.of(List.of(Message.of(Message.Role.USER, new TextBlock("read"), PDF,
                new TextBlock("sum it up"))));
        String[] parts = c.prompt().split("\n\n");
        assertEquals(3, parts.length, c.prompt());
        assertEquals(List.of("read", "sum it up"), List.of(parts[0], parts[2]));
        org.junit.jupiter.api.Assertions.assertTrue(parts[1].matches("doc-[0-9a-f]{32}"), parts[1]);
        assertEquals(List.of(new claude.code.api.session.RequestAmendment.PlaceAtMarker(parts[1], PDF.toJson())),
                c.documents());
        assertEquals("messages[0].content[1]", c.firstDocument());
    }

    @Test
    void eachDocumentHasItsOwnMarker() {
        Conversation c = Conversation.of(List.of(Message.of(Message.Role.USER, PDF, PDF)));
        assertEquals(2, c.documents().size());
        String[] markers = c.prompt().split("\n\n");
        org.junit.jupiter.api.Assertions.assertNotEquals(markers[0], markers[1]);
    }

    @Test
    void aDocumentEarlierInTheHistoryIsNoMarker() {
        Conversation c = Conversation.of(List.of(Message.of(Message.Role.USER, PDF, new TextBlock("keep it")),
                Message.assistant("kept"), Message.user("what was it?")));
        assertEquals("what was it?", c.prompt());
        assertEquals(List.of(), c.documents());
        assertEquals(null, c.firstDocument());
    }
}
