package claude.code.api.gateway;

import static claude.code.api.gateway.ClientToolRenderingTest.ASK;
import static claude.code.api.gateway.ClientToolRenderingTest.PARIS;
import static claude.code.api.gateway.ClientToolRenderingTest.SCHEMA;
import static claude.code.api.gateway.ClientToolRenderingTest.legacyFunctions;
import static claude.code.api.gateway.ClientToolRenderingTest.oneCall;
import static claude.code.api.gateway.ClientToolRenderingTest.streamed;
import static claude.code.api.gateway.ClientToolRenderingTest.whole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.Message;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.history.Fingerprint;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The legacy {@code functions} follow-up on chat completions: the assistant's echoed {@code function_call} and the
 * {@code role: "function"} result carry no call id, so the gateway gives them the id of the call it answered the
 * conversation with, and the backend finds the session waiting for that call.
 */
class LegacyFunctionFollowUpTest {
    static final String FUNCTIONS = "[{\"name\":\"getWeather\",\"parameters\":" + Json.write(SCHEMA) + "}]";

    static OpenAiChatCompletions.CompletionRequest followUp(OpenAiChatCompletions api, String assistant, String result)
            throws HttpError {
        return api.parse((JsonObject) Json.parse("{\"model\":\"claude-test\",\"functions\":" + FUNCTIONS + ",\"messages\":["
                + ASK + "," + assistant + "," + result + "]}"), new FieldPolicy());
    }

    /** The answer's message, as the SDK returns it and the client echoes it back. */
    static String answeredMessage(OpenAiChatCompletions api) {
        JsonObject choice = (JsonObject) ((JsonArray) whole(api, legacyFunctions(false), oneCall().events(true))
                .get("choices")).get(0);
        return Json.write(choice.object("message"));
    }

    static final String RESULT = "{\"role\":\"function\",\"name\":\"getWeather\",\"content\":\"sunny\"}";

    @Test
    void theFollowUpHasTheModelsCallIdOnTheCallAndItsResult() throws HttpError {
        OpenAiChatCompletions api = new OpenAiChatCompletions();
        List<Message> messages = followUp(api, answeredMessage(api), RESULT).turn().messages();
        assertEquals(List.of(Message.user("weather in Paris and the time in Tokyo?"),
                new Message(Message.Role.ASSISTANT, List.of(new ToolUseBlock("toolu_1", "getWeather", PARIS))),
                Message.user(new ToolResultBlock("toolu_1", new JsonString("sunny"), null))), messages);
        assertEquals(Fingerprint.of(messages.subList(0, 2)), Fingerprint.of(List.of(Message.user(
                "weather in Paris and the time in Tokyo?"), oneCall().message())), "the history the waiting session is under");
    }

    @Test
    void aStreamedCallIsFoundByItsIdToo() throws HttpError {
        OpenAiChatCompletions api = new OpenAiChatCompletions();
        streamed(api, legacyFunctions(true), oneCall().events(true));
        String assistant = "{\"role\":\"assistant\",\"content\":null,\"function_call\":{\"name\":\"getWeather\","
                + "\"arguments\":" + new JsonString(Json.write(PARIS)) + "}}"; // as the SDK assembles it from the chunks
        assertEquals("toolu_1", id(followUp(api, assistant, RESULT)));
    }

    @Test
    void aCallThisGatewayDidNotAnswerGetsAnIdOfItsConversationTheSameOnEveryEcho() throws HttpError {
        String assistant = "{\"role\":\"assistant\",\"content\":null,\"function_call\":{\"name\":\"getWeather\","
                + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\",\\\"days\\\":2}\"}}";
        String first = id(followUp(new OpenAiChatCompletions(), assistant, RESULT));
        assertEquals(first, id(followUp(new OpenAiChatCompletions(), assistant, RESULT)), "a restarted gateway gives the same");
        assertTrue(first.startsWith("call_legacy_"), first);
        assertNotEquals(first, id(followUp(new OpenAiChatCompletions(), assistant.replace("getWeather", "getTime"),
                RESULT.replace("getWeather", "getTime"))));
    }

    static String id(OpenAiChatCompletions.CompletionRequest request) {
        ToolResultBlock result = (ToolResultBlock) request.turn().messages().getLast().content().getFirst();
        assertEquals(((ToolUseBlock) request.turn().messages().get(1).content().getLast()).id(), result.toolUseId());
        return result.toolUseId();
    }

    @Test
    void aFunctionMessageWithoutTheCallBeforeItNamesTheProblem() {
        OpenAiChatCompletions api = new OpenAiChatCompletions();
        HttpError unnamed = assertThrows(HttpError.class, () -> followUp(api, answeredMessage(api),
                "{\"role\":\"function\",\"content\":\"sunny\"}"));
        assertEquals("messages[2].name: missing; a \"function\" message names the function it answers", unnamed.getMessage());
        HttpError other = assertThrows(HttpError.class, () -> followUp(api, answeredMessage(api),
                RESULT.replace("getWeather", "getTime")));
        assertEquals("messages[2]: a \"function\" message answers the function_call of the assistant message just "
                + "before it, and that has no function_call of \"getTime\"", other.getMessage());
        HttpError noCall = assertThrows(HttpError.class, () -> followUp(api, "{\"role\":\"assistant\",\"content\":\"hi\"}",
                RESULT));
        assertTrue(noCall.getMessage().startsWith("messages[2]: a \"function\" message answers"), noCall.getMessage());
    }
}
