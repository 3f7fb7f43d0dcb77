package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import claude.code.api.events.Message;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.history.Fingerprint;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tool loop's follow-up as each API's clients echo it: the assistant's tool calls and the results parse into the
 * same tool_use and tool_result blocks, and so the same fingerprint, whatever shape or spacing the client used.
 */
class EchoedToolCallsTest {
    static final List<Message> EXPECTED = List.of(Message.user("weather in Paris?"),
            Message.assistant(new ToolUseBlock("call_1", "getWeather", (JsonObject) Json.parse("{\"city\":\"Paris\",\"days\":2}"))),
            Message.user(new ToolResultBlock("call_1", new JsonString("sunny"), null)));

    static List<Message> chat(String assistant) throws HttpError {
        return new OpenAiChatCompletions().parse((JsonObject) Json.parse("{\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"weather in Paris?\"}," + assistant + ",{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":"
                + "\"sunny\"}]}"), new FieldPolicy()).turn().messages();
    }

    static String toolCalls(String arguments) {
        return "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"getWeather\","
                + "\"arguments\":" + Json.quote(arguments) + "}}]";
    }

    @Test
    void argumentsWithOtherSpacingAndKeyOrderGiveTheSameFingerprint() throws HttpError {
        List<Message> compact = chat("{\"role\":\"assistant\",\"content\":null," + toolCalls("{\"city\":\"Paris\",\"days\":2}") + "}");
        List<Message> spaced = chat("{\"role\":\"assistant\",\"content\":null,"
                + toolCalls("{\n  \"days\": 2.0,\n  \"city\": \"Paris\"\n}") + "}");
        assertEquals(Fingerprint.of(compact), Fingerprint.of(spaced));
    }

    @Test
    void chatContentNullEmptyOrAbsentAllEchoTheToolUseAsTheAnthropicBlocks() throws HttpError {
        String args = toolCalls("{\"city\":\"Paris\",\"days\":2}");
        for (String assistant : List.of("{\"role\":\"assistant\",\"content\":null," + args + "}",
                "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null," + args + "}",
                "{\"role\":\"assistant\"," + args + "}")) {
            assertEquals(Fingerprint.of(EXPECTED), Fingerprint.of(chat(assistant)), assistant);
        }
    }

    @Test
    void chatHistoryMayEndOnToolMessages() throws HttpError {
        List<Message> messages = chat("{\"role\":\"assistant\",\"content\":null," + toolCalls("{\"city\":\"Paris\",\"days\":2}") + "}");
        assertEquals(EXPECTED, messages);
    }

    @Test
    void anthropicWholeBlocksAndResponsesItemsGiveTheSameFingerprint() throws HttpError {
        List<Message> anthropic = new AnthropicMessages().parse((JsonObject) Json.parse("{\"messages\":[{\"role\":\"user\","
                + "\"content\":\"weather in Paris?\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":"
                + "\"call_1\",\"name\":\"getWeather\",\"input\":{\"days\":2,\"city\":\"Paris\"}}]},{\"role\":\"user\","
                + "\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"call_1\",\"content\":\"sunny\"}]}]}"),
                new FieldPolicy()).turn().messages();
        List<Message> responses = new OpenAiResponses(new ResponseStore(8, Duration.ofMinutes(1)), "t")
                .parse((JsonObject) Json.parse("{\"input\":[{\"role\":\"user\",\"content\":\"weather in Paris?\"},"
                        + "{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\",\"name\":\"getWeather\","
                        + "\"arguments\":\"{\\\"city\\\": \\\"Paris\\\", \\\"days\\\": 2}\",\"status\":\"completed\"},"
                        + "{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"sunny\"}]}"),
                        new FieldPolicy()).turn().messages();
        assertEquals(Fingerprint.of(EXPECTED), Fingerprint.of(anthropic));
        assertEquals(Fingerprint.of(EXPECTED), Fingerprint.of(responses));
    }

    @Test
    void textBesideTheToolUseIsKeptInOrder() throws HttpError {
        List<Message> messages = chat("{\"role\":\"assistant\",\"content\":\"Let me check.\","
                + toolCalls("{\"city\":\"Paris\",\"days\":2}") + "}");
        assertEquals(List.of(new TextBlock("Let me check."), EXPECTED.get(1).content().getFirst()), messages.get(1).content());
    }
}
