package claude.code.api.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import claude.code.api.json.Json;
import claude.code.api.json.JsonString;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageTest {
    static String error(String json) {
        return assertThrows(IllegalArgumentException.class, () -> Message.listFromJson(Json.parse(json))).getMessage();
    }

    @Test
    void stringContentIsOneTextBlock() {
        List<Message> m = Message.listFromJson(Json.parse("[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"hello\"}]}]"));
        assertEquals(List.of(Message.user("hi"), Message.assistant("hello")), m);
    }

    @Test
    void blocksKeepTheirApiFieldsOnly() {
        Message m = Message.fromJson(Json.parse("{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                + "\"tool_use_id\":\"t\",\"content\":\"ok\",\"cache_control\":{\"type\":\"ephemeral\"}},"
                + "{\"type\":\"text\",\"text\":\"next\",\"citations\":[]}]}"), 0);
        assertEquals(Message.of(Message.Role.USER, new ToolResultBlock("t", new JsonString("ok"), null), new TextBlock("next")), m);
    }

    @Test
    void theWireShapeRoundTrips() {
        Message m = Message.of(Message.Role.ASSISTANT, new TextBlock("a"));
        assertEquals(Json.parse("{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"a\"}]}"), m.toJson());
        assertEquals(m, Message.fromJson(m.toJson(), 0));
    }

    @Test
    void errorsNameTheMessageIndexAndTheField() {
        assertEquals("messages: expected an array, found an object", error("{}"));
        assertEquals("messages[1]: expected an object, found a string", error("[{\"role\":\"user\",\"content\":\"x\"},\"hi\"]"));
        assertEquals("messages[0].role: missing", error("[{\"content\":\"x\"}]"));
        assertEquals("messages[0].role: unknown role \"system\" (expected \"user\" or \"assistant\")",
                error("[{\"role\":\"system\",\"content\":\"x\"}]"));
        assertEquals("messages[0].role: expected a string, found a number", error("[{\"role\":1,\"content\":\"x\"}]"));
        assertEquals("messages[0].content: missing", error("[{\"role\":\"user\"}]"));
        assertEquals("messages[0].content: expected a string or an array of blocks, found a number",
                error("[{\"role\":\"user\",\"content\":5}]"));
        assertEquals("messages[0].content[0]: expected an object, found a string",
                error("[{\"role\":\"user\",\"content\":[\"x\"]}]"));
        assertEquals("messages[0].content[0].type: missing", error("[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]"));
        assertEquals("messages[2].content[0].type: unsupported block type \"search_result\" (supported: text, thinking, "
                + "redacted_thinking, tool_use, tool_result, image, document)", error("[{\"role\":\"user\",\"content\":\"a\"},"
                + "{\"role\":\"assistant\",\"content\":\"b\"},{\"role\":\"user\",\"content\":[{\"type\":\"search_result\",\"source\":{}}]}]"));
        assertEquals("messages[0].content[0]: field \"name\" is missing",
                error("[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"input\":{}}]}]"));
        assertEquals("messages[0].content[0].type: a thinking block cannot be in a user message",
                error("[{\"role\":\"user\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"x\",\"signature\":\"s\"}]}]"));
        assertEquals("messages[0].content[0].type: a tool_result block cannot be in an assistant message",
                error("[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\"}]}]"));
    }
}
