package claude.code.api.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import claude.code.api.events.ApiError;
import claude.code.api.events.AssistantMessage;
import claude.code.api.events.ContentBlock;
import claude.code.api.events.Event;
import claude.code.api.events.Message;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.SystemMessage;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.Usage;
import claude.code.api.events.UserMessage;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnSynthesisTest {
    static AssistantMessage assistant(String id, String stop, ContentBlock block) {
        return new AssistantMessage("uuid-" + id + block.type(), id, "claude-test", List.of(block), stop, Usage.ZERO, null);
    }

    static final ToolUseBlock TOOL_USE = new ToolUseBlock("toolu_1", "Bash", (JsonObject) Json.parse("{\"command\":\"ls\"}"));
    static final ToolResultBlock TOOL_RESULT = new ToolResultBlock("toolu_1", new JsonString("a.txt"), null);

    @Test
    void aToolTurnBecomesTheAssistantToolCycle() {
        List<Event> events = List.of(
                new UserMessage("p", List.of(new TextBlock("list the files")), true, false),
                assistant("m1", "tool_use", new ThinkingBlock("hmm", "sig")),
                assistant("m1", "tool_use", new TextBlock("Let me look.")),
                assistant("m1", "tool_use", TOOL_USE),
                new UserMessage("r", List.of(TOOL_RESULT), false, false),
                new UserMessage("meta", List.of(new TextBlock("<system-reminder>x</system-reminder>")), false, true),
                assistant("m2", "end_turn", new TextBlock("One file.")),
                new SystemMessage("s", "turn_duration", JsonObject.EMPTY),
                new ResultMessage("sid", Duration.ofMillis(5), 2, Usage.ZERO, "One file.", "end_turn", null, false));
        assertEquals(List.of(
                Message.assistant(new ThinkingBlock("hmm", "sig"), new TextBlock("Let me look."), TOOL_USE),
                Message.user(TOOL_RESULT),
                Message.assistant("One file.")), TurnSynthesis.synthesize(events));
    }

    @Test
    void anAbsentIsErrorStaysAbsent() {
        List<Message> messages = TurnSynthesis.synthesize(List.of(assistant("m", "tool_use", TOOL_USE),
                new UserMessage("r", List.of(TOOL_RESULT), false, false)));
        JsonObject wire = messages.get(1).content().get(0).toJson();
        assertFalse(wire.has("is_error"));
    }

    @Test
    void theCliOwnApiErrorMessagesAndNotesAreLeftOut() {
        AssistantMessage apiError = new AssistantMessage("e", "x", "<synthetic>", List.of(new TextBlock("API Error: 500")),
                "stop_sequence", Usage.ZERO, new ApiError("server_error", 500, "api_error", "API Error: 500"));
        UserMessage note = new UserMessage("n", List.of(new TextBlock("[Request interrupted by user]")), false, false);
        assertEquals(List.of(), TurnSynthesis.synthesize(List.of(apiError, note)));
    }
}
