package claude.code.api.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.Message;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConcatPromptTest {
    @Test
    void theHistoryIsFoldedIntoTaggedMessagesBeforeTheNewText() {
        List<Message> prior = List.of(
                Message.user("list the files"),
                Message.assistant(new ThinkingBlock("private", "sig"), new TextBlock("Let me look."),
                        new ToolUseBlock("toolu_1", "Bash", (JsonObject) Json.parse("{\"command\":\"ls\"}"))),
                Message.user(new ToolResultBlock("toolu_1", new JsonString("a.txt\n"), null)),
                Message.assistant("One file."));
        String prompt = ConcatPrompt.build(prior, "and now?");
        assertEquals(ConcatPrompt.PREAMBLE + "\n\n"
                + "<conversation>\n"
                + "<user>\nlist the files\n</user>\n"
                + "<assistant>\nLet me look.\n[tool_use id=toolu_1 name=Bash]\n{\"command\":\"ls\"}\n[/tool_use]\n</assistant>\n"
                + "<user>\n[tool_result id=toolu_1]\na.txt\n[/tool_result]\n</user>\n"
                + "<assistant>\nOne file.\n</assistant>\n"
                + "</conversation>\n\n"
                + "and now?", prompt);
    }

    @Test
    void aFailedToolResultAndBlockContentAreShown() {
        String prompt = ConcatPrompt.build(List.of(Message.user(new ToolResultBlock("t", Json.parse(
                "[{\"type\":\"text\",\"text\":\"boom\"},{\"type\":\"image\",\"source\":{}}]"), true))), "x");
        assertTrue(prompt.contains("[tool_result id=t error]\nboom\n[image block omitted]\n[/tool_result]\n"), prompt);
    }

    @Test
    void clientTextNeverStartsThePrompt() {
        String prompt = ConcatPrompt.build(List.of(Message.user("/help"), Message.assistant("!rm")), "/exit");
        assertTrue(prompt.startsWith(ConcatPrompt.PREAMBLE));
        assertTrue(prompt.endsWith("\n\n/exit"));
    }
}
