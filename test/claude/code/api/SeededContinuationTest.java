package claude.code.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.Message;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.options.ClientTool;
import claude.code.api.options.ClientToolSet;
import claude.code.api.options.ToolChoice;
import claude.code.api.session.RequestAmendment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a conversation whose session is gone is seeded with, and what stands in for the typed marker. */
class SeededContinuationTest {
    static final ClientToolSet TOOLS = new ClientToolSet(List.of(new ClientTool("getWeather", "w",
            JsonObject.builder().put("type", "object").build(), false)));

    static Message call(String id) {
        return new Message(Message.Role.ASSISTANT, List.of(new TextBlock("looking"), new ToolUseBlock(id, "getWeather",
                JsonObject.EMPTY)));
    }

    static Message result(String id) {
        return new Message(Message.Role.USER, List.of(new ToolResultBlock(id, JsonString.of("12 C"), null)));
    }

    /** Two tool rounds in the open turn, after a finished one that used the tool too. */
    static final List<Message> CONVERSATION = List.of(Message.user("q1"), call("t0"), result("t0"), Message.assistant("a1"),
            Message.user("q2"), call("t1"), result("t1"), call("t2"), result("t2"));

    static List<JsonObject> replacing(SeededContinuation c) {
        return ((RequestAmendment.ReplaceMarker) c.everyMainCall().getFirst()).messages();
    }

    @Test
    void theSeedEndsOnTheLastAssistantMessageWithoutAToolUseAndTheRestReplacesTheMarker() {
        SeededContinuation c = SeededContinuation.of(CONVERSATION, TOOLS, true);
        assertEquals(4, c.seed().size(), "up to a1: a seed ending on a tool use or a user message makes the CLI add messages");
        assertEquals(5, replacing(c).size());
        assertEquals("user", replacing(c).getFirst().string("role"));
        assertEquals(Json.parse("{\"type\":\"tool_use\",\"id\":\"t2\",\"name\":\"mcp__c__getWeather\",\"input\":{}}"),
                replacing(c).get(3).array("content").object(1), "the name the model called it by");
    }

    @Test
    void theSeedsToolUsesCarryTheNamesTheModelSaw() {
        Message seeded = SeededContinuation.of(CONVERSATION, TOOLS, true).seed().get(1);
        assertEquals("mcp__c__getWeather", ((ToolUseBlock) seeded.content().get(1)).name());
    }

    @Test
    void withoutSeedingTheMarkerStandsForTheWholeConversation() {
        SeededContinuation c = SeededContinuation.of(CONVERSATION, TOOLS, false);
        assertEquals(List.of(), c.seed());
        assertEquals(CONVERSATION.size(), replacing(c).size());
    }

    @Test
    void theMarkerIsRandomPerSessionAndPlainText() {
        SeededContinuation c = SeededContinuation.of(CONVERSATION, TOOLS, true);
        String other = SeededContinuation.of(CONVERSATION, TOOLS, true).marker();
        assertNotEquals(c.marker(), other);
        assertTrue(c.marker().matches("continue-[0-9a-f]{32}"), c.marker());
        assertEquals(c.marker(), ((RequestAmendment.ReplaceMarker) c.everyMainCall().getFirst()).marker(),
                "what is typed is what the relay replaces");
    }

    @Test
    void aToolChoiceNeedsClientToolsToForceAndARelayToBeSet(@TempDir Path tmp) throws Exception {
        Path cwd = Files.createDirectory(tmp.resolve("work"));
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(BackendOptions.builder(cwd).extraEnv("CLAUDE_CONFIG_DIR",
                tmp.resolve("config").toString()).build(), new FakeSessions(), Map.of("HOME", tmp.toString()),
                System::nanoTime)) {
            IllegalArgumentException forced = assertThrows(IllegalArgumentException.class, () -> backend.complete(
                    List.of(Message.user("hi")), TurnOptions.of(ToolChoice.any())));
            assertTrue(forced.getMessage().startsWith("toolChoice: any forces a call of the client's tools, but this "
                    + "backend offers none"), forced.getMessage());
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> backend.complete(
                    List.of(Message.user("hi")), TurnOptions.of(ToolChoice.none())));
            assertTrue(none.getMessage().contains("model-API relay, which is off"), none.getMessage());
        }
    }
}
