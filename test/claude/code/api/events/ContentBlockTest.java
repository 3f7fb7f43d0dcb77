package claude.code.api.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import org.junit.jupiter.api.Test;

class ContentBlockTest {
    static JsonObject json(String text) {
        return (JsonObject) Json.parse(text);
    }

    @Test
    void everyModelledBlockRoundTripsThroughItsWireShape() {
        for (String wire : new String[] {
                "{\"type\":\"text\",\"text\":\"hi\"}",
                "{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"c2ln\"}",
                "{\"type\":\"redacted_thinking\",\"data\":\"opaque\"}",
                "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Bash\",\"input\":{\"command\":\"echo hi\"}}",
                "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"hi\\n\",\"is_error\":false}",
                "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}]}",
                "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"AA==\"}}",
                "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/a.png\"}}",
                "{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBERg==\"}}",
                "{\"type\":\"server_tool_use\",\"id\":\"s\",\"name\":\"web_search\",\"input\":{}}"}) {
            assertEquals(json(wire), ContentBlock.fromJson(json(wire)).toJson(), wire);
        }
    }

    @Test
    void anAbsentIsErrorStaysAbsent() {
        ToolResultBlock block = (ToolResultBlock) ContentBlock.fromJson(json("{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":\"x\"}"));
        assertEquals(null, block.isError());
        assertFalse(block.toJson().has("is_error"));
    }

    @Test
    void fieldsTheApiDoesNotDefineAreDropped() {
        ContentBlock block = ContentBlock.fromJson(json("{\"type\":\"text\",\"text\":\"hi\",\"cache_control\":{\"type\":\"ephemeral\"},\"citations\":[]}"));
        assertEquals(new TextBlock("hi"), block);
    }

    @Test
    void unknownTypesAreKeptWhole() {
        ContentBlock block = ContentBlock.fromJson(json("{\"type\":\"search_result\",\"x\":1}"));
        assertEquals(new UnknownBlock("search_result", json("{\"type\":\"search_result\",\"x\":1}")), block);
    }

    @Test
    void aMissingRequiredFieldIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContentBlock.fromJson(json("{\"type\":\"tool_use\",\"id\":\"x\"}")));
        assertEquals("field \"name\" is missing", e.getMessage());
    }

    @Test
    void usageSumsAndReadsAbsentCountsAsZero() {
        Usage u = Usage.fromJson(json("{\"input_tokens\":3,\"output_tokens\":5}"));
        assertEquals(new Usage(3, 5, 0, 0), u);
        assertEquals(new Usage(6, 10, 0, 0), u.plus(u));
    }
}
