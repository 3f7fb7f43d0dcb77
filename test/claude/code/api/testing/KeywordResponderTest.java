package claude.code.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonValue;
import claude.code.api.testing.MockReply.Message;
import claude.code.api.testing.MockReply.ToolUse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The prompt vocabulary of the default responder, without HTTP. */
class KeywordResponderTest {

    private final KeywordResponder responder = new KeywordResponder();

    @Test
    void plainPromptIsEchoedWithTheMessageCount() {
        Message reply = (Message) responder.apply(request(userText("hello"), system()));
        assertEquals("MOCK REPLY to: hello | nmsgs=2", reply.text());
        assertEquals("end_turn", reply.stopReason());
    }

    @Test
    void keywordsInsideSystemRemindersAreIgnored() {
        JsonObject user = JsonObject.builder().put("role", "user").put("content", JsonArray.of(
                text("<system-reminder>\nERR500 HANG USE_TOOL\n</system-reminder>\n"), text("just this"))).build();
        assertEquals("MOCK REPLY to: just this | nmsgs=1", ((Message) responder.apply(request(user))).text());
    }

    @Test
    void onlyTheLastTextBlockCountsWhenTheCliMergesAFailedPrompt() {
        // After an API error the CLI sends the failed prompt and the next one in one user message.
        JsonObject merged = JsonObject.builder().put("role", "user").put("content", JsonArray.of(
                text("ERR500 first\n"), text("after error"))).build();
        assertEquals("MOCK REPLY to: after error | nmsgs=1", ((Message) responder.apply(request(merged))).text());
    }

    @Test
    void toolSleepAsksBashToSleep() {
        Message reply = (Message) responder.apply(request(userText("TOOL_SLEEP20")));
        ToolUse tool = (ToolUse) reply.content().getLast();
        assertEquals("echo mock-tool-sleeping && sleep 20", tool.input().string("command"));
        assertEquals("tool_use", reply.stopReason());
    }

    @Test
    void clientToolCallsTheFirstMcpToolOfferedAndIsPlainTextWithoutOne() {
        JsonObject body = JsonObject.builder().put("model", "m").put("stream", true).put("tools", JsonArray.of(
                JsonObject.builder().put("name", "Bash").build(), JsonObject.builder().put("name", "mcp__c__lookup").build()))
                .put("messages", JsonArray.of(userText("look it up CLIENT_TOOL"))).build();
        Message reply = (Message) responder.apply(new RecordedRequest(1, Instant.now(), "POST", "/v1/messages", "beta=true",
                Map.of("X-Claude-Code-Session-Id", List.of("s1")), body, null, RecordedRequest.classify("POST", "/v1/messages", body)));
        ToolUse tool = (ToolUse) reply.content().getLast();
        assertEquals("mcp__c__lookup", tool.name());
        assertEquals("look it up CLIENT_TOOL", tool.input().string("query"));
        assertEquals("tool_use", reply.stopReason());
        assertEquals("end_turn", ((Message) responder.apply(request(userText("CLIENT_TOOL")))).stopReason());
    }

    @Test
    void keywordsCombine() {
        Message reply = (Message) responder.apply(request(userText("THINK USE_TOOL SLOW0p25")));
        assertEquals(List.of(MockReply.Thinking.class, MockReply.Text.class, ToolUse.class),
                reply.content().stream().map(Object::getClass).toList());
        assertEquals(Duration.ofMillis(250), reply.deltaDelay());
    }

    @Test
    void errorAndHangActOnlyOnThePromptNotOnItsToolRound() {
        assertInstanceOf(MockReply.Hang.class, responder.apply(request(userText("HANG USE_TOOL"))));
        JsonObject toolResult = JsonObject.builder().put("role", "user").put("content", JsonArray.of(JsonObject.builder()
                .put("type", "tool_result").put("tool_use_id", "t1").put("content", JsonArray.of(text("out"))).build())).build();
        Message reply = (Message) responder.apply(request(userText("HANG ERR500 SLOW1"), assistant(), toolResult));
        assertEquals("MOCK REPLY after tool: out | nmsgs=3", reply.text());
        assertEquals(Duration.ofSeconds(1), reply.deltaDelay(), "slowness covers the whole turn");
    }

    @Test
    void rateLimitsAndOverloadsSayWhenToRetry() {
        MockReply.HttpError e429 = (MockReply.HttpError) responder.apply(request(userText("ERR429")));
        assertEquals("rate_limit_error", e429.errorType());
        assertEquals(1, e429.retryAfterSeconds().orElseThrow());
        MockReply.HttpError e401 = (MockReply.HttpError) responder.apply(request(userText("ERR401")));
        assertEquals("authentication_error", e401.errorType());
        assertTrue(e401.retryAfterSeconds().isEmpty());
    }

    @Test
    void transientFailuresAreCountedPerIdenticalRequest() {
        RecordedRequest first = request(userText("ERR500x1"));
        assertInstanceOf(MockReply.HttpError.class, responder.apply(first));
        assertInstanceOf(Message.class, responder.apply(first));
        // A different conversation (more messages) with the same prompt fails afresh.
        assertInstanceOf(MockReply.HttpError.class, responder.apply(request(userText("ERR500x1"), system())));
    }

    @Test
    void streamErrorKeepsThePartialReply() {
        MockReply.StreamError reply = (MockReply.StreamError) responder.apply(request(userText("STREAMERR")));
        assertEquals("overloaded_error", reply.errorType());
        assertEquals(1, reply.before().size());
    }

    @Test
    void longPromptsAreCutAndWhitespaceCollapsed() {
        String prompt = "a\n\tb " + "x".repeat(200);
        String reply = ((Message) responder.apply(request(userText(prompt)))).text();
        assertEquals("MOCK REPLY to: a b " + "x".repeat(76) + " | nmsgs=1", reply);
    }

    // --- request builders ------------------------------------------------------------------------

    static RecordedRequest request(JsonObject... messages) {
        JsonObject body = JsonObject.builder().put("model", "m").put("stream", true)
                .put("messages", JsonArray.of(messages)).build();
        return new RecordedRequest(1, Instant.now(), "POST", "/v1/messages", "beta=true",
                Map.of("X-Claude-Code-Session-Id", List.of("s1")), body, null,
                RecordedRequest.classify("POST", "/v1/messages", body));
    }

    private static JsonObject userText(String s) {
        return JsonObject.builder().put("role", "user").put("content", JsonArray.of(text(s))).build();
    }

    private static JsonObject text(String s) {
        return JsonObject.builder().put("type", "text").put("text", s).build();
    }

    private static JsonObject system() {
        return JsonObject.builder().put("role", "system").put("content", "# Environment").build();
    }

    private static JsonObject assistant() {
        return JsonObject.builder().put("role", "assistant").put("content", JsonValue.of("ok")).build();
    }
}
