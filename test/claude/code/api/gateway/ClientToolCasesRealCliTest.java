package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonValue;
import claude.code.api.testing.MockReply;
import claude.code.api.testing.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The official clients' client-tool cases beyond the plain loop ({@code client-tool-cases.cjs}), through the gateway
 * on the real CLI, as the model API (the mock) receives them: each API's tool choice on the turn's first model
 * request, text beside the results after them on the waiting session, the legacy {@code functions} follow-up, and results
 * sent to a gateway that never saw the call, continued with exactly the API's messages. One run of the script; each test checks one behaviour of it.
 */
@Timeout(480)
class ClientToolCasesRealCliTest {
    static RealGateway gateway;
    /** Knows none of {@link #gateway}'s sessions: the conversations whose results go here have no session waiting. */
    static RealGateway other;
    static JsonObject out;

    @BeforeAll
    static void runTheClients() {
        gateway = RealGateway.start(c -> c, b -> b, ClientToolCasesRealCliTest::reply);
        other = RealGateway.beside(gateway, c -> c, b -> b);
        out = gateway.node("client-tool-cases.cjs", other.baseUrl());
    }

    /** Runs after a failed {@link #runTheClients} too: closes what it started (the first gateway last, with the mock). */
    @AfterAll
    static void stop() {
        try {
            if (other != null) {
                other.close(); // each checks on close that no CLI of it is left running
            }
        } finally {
            if (gateway != null) {
                gateway.close();
            }
        }
    }

    /**
     * As the API honours a request: with tool results, text quoting them ("it says: A | B", by tool_use id); under
     * {@code tool_choice} {@code none}, text; else "call two" calls getWeather and getTime, "call the tool" getWeather
     * alone, only the named tool under {@code {type: tool}}, only the first under {@code disable_parallel_tool_use}.
     */
    static MockReply reply(RecordedRequest request) {
        List<JsonObject> results = request.toolResults();
        if (!results.isEmpty()) {
            String quoted = results.stream().sorted(Comparator.comparing(r -> r.string("tool_use_id")))
                    .map(RecordedRequest::resultText).collect(Collectors.joining(" | "));
            return text("it says: " + quoted);
        }
        JsonObject choice = request.body().findObject("tool_choice").orElse(JsonObject.EMPTY);
        if (choice.string("type", "auto").equals("none")) {
            return text("no tool called");
        }
        String prompt = request.promptText();
        String ids = "toolu_" + Integer.toHexString(prompt.hashCode());
        List<MockReply.ToolUse> uses = new ArrayList<>();
        if (prompt.contains("call two") || prompt.contains("call the tool")) {
            uses.add(new MockReply.ToolUse(ids + "_w", "mcp__c__getWeather", ClientToolLoopRealCliTest.city("Oslo")));
        }
        if (prompt.contains("call two")) {
            uses.add(new MockReply.ToolUse(ids + "_t", "mcp__c__getTime", ClientToolLoopRealCliTest.city("Lima")));
        }
        if (choice.string("type", "").equals("tool")) {
            uses.removeIf(u -> !u.name().equals(choice.string("name")));
        }
        if (choice.findBool("disable_parallel_tool_use").orElse(false) && uses.size() > 1) {
            uses.subList(1, uses.size()).clear();
        }
        return uses.isEmpty() ? text("no tool needed")
                : new MockReply.Message(List.copyOf(uses), "tool_use", Duration.ZERO, null);
    }

    static MockReply text(String text) {
        return new MockReply.Message(List.of(new MockReply.Text(text)), "end_turn", Duration.ZERO, null);
    }

    /**
     * The main-loop requests of the conversation whose question begins with {@code tag}, in order: those with a user
     * message that begins so (the last one's text is the client's text beside the results, where it sent some).
     */
    static List<RecordedRequest> requests(String tag) {
        return gateway.api.mainLoopRequests().stream().filter(r -> r.messages().stream()
                .filter(m -> "user".equals(m.string("role", null))).anyMatch(m -> asked(m, tag + ":"))).toList();
    }

    static boolean asked(JsonObject userMessage, String prefix) {
        return switch (userMessage.get("content")) {
            case claude.code.api.json.JsonString s -> s.value().startsWith(prefix);
            case JsonArray blocks -> blocks.stream().anyMatch(b -> b instanceof JsonObject o && "text".equals(o.string("type", null))
                    && o.string("text", "").startsWith(prefix));
            case null, default -> false;
        };
    }

    static List<JsonObject> steps(String scenario) {
        return ClientToolLoopRealCliTest.steps(out, scenario);
    }

    static List<String> calledNames(String scenario) {
        return ClientToolLoopRealCliTest.calls(steps(scenario).getFirst()).stream().map(c -> c.string("name")).toList();
    }

    /**
     * The first request of {@code scenario}'s conversation carried {@code choice} to the model, and without thinking
     * when it forces a call; the request with the results (which the client sent without a choice) carried none.
     */
    static void assertChoiceOnFirstRequestOnly(String scenario, String tag, String choice, boolean forces) {
        List<RecordedRequest> requests = requests(tag);
        assertEquals(2, requests.size(), tag + ": " + requests);
        JsonObject first = requests.getFirst().body();
        assertEquals(Json.parse(choice), first.get("tool_choice"), tag);
        assertEquals(!forces, first.has("thinking"), tag + ": thinking off only with a forced call (the API refuses both)");
        assertFalse(requests.get(1).body().has("tool_choice"), tag + ": the request with the results carries none");
        assertFalse(requests.get(1).toolResults().isEmpty(), tag);
        assertTrue(steps(scenario).getLast().string("text").startsWith("it says: "), scenario + ": " + steps(scenario));
    }

    @Test
    void anyAndRequiredReachTheFirstModelRequestAsAnyWithoutThinking() {
        for (String[] c : List.of(new String[] {"anthropicAny", "anthropic any"}, new String[] {"chatRequired", "chat required"},
                new String[] {"responsesRequired", "responses required"})) {
            assertChoiceOnFirstRequestOnly(c[0], c[1], "{\"type\":\"any\"}", true);
            assertEquals(List.of("getWeather", "getTime"), calledNames(c[0]), c[0]);
        }
        assertEquals("tool_use", steps("anthropicAny").getFirst().string("stop"));
        assertEquals("tool_calls", steps("chatRequired").getFirst().string("stop"));
        assertEquals("it says: 09:00 in Lima | rain in Oslo", steps("responsesRequired").getLast().string("text"));
    }

    @Test
    void aNamedToolReachesTheFirstModelRequestUnderItsMcpNameWithoutThinking() {
        for (String[] c : List.of(new String[] {"anthropicTool", "anthropic tool"}, new String[] {"chatNamed", "chat named"},
                new String[] {"responsesNamed", "responses named"})) {
            assertChoiceOnFirstRequestOnly(c[0], c[1], "{\"type\":\"tool\",\"name\":\"mcp__c__getTime\"}", true);
            assertEquals(List.of("getTime"), calledNames(c[0]), c[0]);
            assertEquals("it says: 09:00 in Lima", steps(c[0]).getLast().string("text"), c[0]);
        }
    }

    @Test
    void oneCallAtMostReachesTheFirstModelRequestAsDisableParallelToolUseAndKeepsThinking() {
        for (String[] c : List.of(new String[] {"anthropicOne", "anthropic one"}, new String[] {"chatOne", "chat one"})) {
            assertChoiceOnFirstRequestOnly(c[0], c[1], "{\"type\":\"auto\",\"disable_parallel_tool_use\":true}", false);
            assertEquals(List.of("getWeather"), calledNames(c[0]), c[0]);
            assertEquals("it says: rain in Oslo", steps(c[0]).getLast().string("text"), c[0]);
        }
    }

    @Test
    void noneReachesTheModelRequestKeepsThinkingAndTheAnswerIsText() {
        for (String[] c : List.of(new String[] {"anthropicNone", "anthropic none", "end_turn"},
                new String[] {"chatNone", "chat none", "stop"})) {
            List<RecordedRequest> requests = requests(c[1]);
            assertEquals(1, requests.size(), c[1] + ": " + requests);
            assertEquals(Json.parse("{\"type\":\"none\"}"), requests.getFirst().body().get("tool_choice"), c[1]);
            assertTrue(requests.getFirst().body().has("thinking"), c[1]);
            List<JsonObject> steps = steps(c[0]);
            assertEquals(1, steps.size(), steps.toString());
            assertEquals(c[2], steps.getFirst().string("stop"));
            assertEquals("no tool called", steps.getFirst().string("text"));
        }
    }

    @Test
    void textBesideTheResultsFollowsThemInOneUserMessageOnTheWaitingSession() {
        for (String[] c : List.of(new String[] {"anthropicBeside", "anthropic beside"}, new String[] {"chatBeside", "chat beside"})) {
            List<RecordedRequest> requests = requests(c[1]);
            assertEquals(2, requests.size(), c[1] + ": " + requests);
            assertEquals(1, requests.stream().map(r -> r.sessionId().orElseThrow()).distinct().count(),
                    c[1] + ": the results continued the CLI that made the calls");
            JsonArray content = requests.get(1).lastUserMessage().orElseThrow().array("content");
            String ids = "toolu_" + Integer.toHexString((c[1] + ": call two tools").hashCode());
            assertEquals(List.of("tool_result", "tool_result", "text"), content.stream()
                    .map(b -> ((JsonObject) b).string("type")).toList(), c[1] + ": " + content);
            assertEquals(List.of(ids + "_w", ids + "_t"), content.elements().subList(0, 2).stream()
                    .map(b -> ((JsonObject) b).string("tool_use_id")).toList(), c[1] + ": in the order of the calls");
            assertEquals(List.of("rain in Oslo", "09:00 in Lima"), content.elements().subList(0, 2).stream()
                    .map(b -> RecordedRequest.resultText((JsonObject) b)).toList(), c[1]);
            assertEquals("answer in one word", content.object(2).string("text"), c[1]);
            assertEquals("it says: 09:00 in Lima | rain in Oslo", steps(c[0]).getLast().string("text"), c[0]);
        }
    }

    /** The exact messages the API gets for a conversation of one getWeather call {@code id}, answered. */
    static JsonValue oneCallConversation(String prompt, String id) {
        return Json.parse("""
                [{"role":"user","content":[{"type":"text","text":"%s"}]},\
                {"role":"assistant","content":[{"type":"tool_use","id":"%s","name":"mcp__c__getWeather","input":{"city":"Oslo"}}]},\
                {"role":"user","content":[{"type":"tool_result","tool_use_id":"%s","content":"rain in Oslo"}]}]"""
                .formatted(prompt, id, id));
    }

    @Test
    void resultsSentToAGatewayWithoutTheSessionContinueOnANewOneWithExactlyTheApisMessages() {
        for (String[] c : List.of(new String[] {"anthropicGone", "anthropic gone"}, new String[] {"chatGone", "chat gone"})) {
            List<JsonObject> steps = steps(c[0]);
            assertEquals(2, steps.size(), steps.toString());
            assertEquals("it says: rain in Oslo", steps.getLast().string("text"), c[0]);
            List<RecordedRequest> requests = requests(c[1]);
            assertEquals(2, requests.size(), c[1] + ": " + requests);
            assertNotEquals(requests.get(0).sessionId(), requests.get(1).sessionId(), c[1] + ": another gateway's session");
            String id = ClientToolLoopRealCliTest.calls(steps.getFirst()).getFirst().string("id");
            RecordedRequest continuation = requests.get(1);
            assertEquals(oneCallConversation(c[1] + ": call the tool", id), conversation(continuation),
                    c[1] + ": the question, the call under the model's name, the result; nothing else");
            assertFalse(new String(gateway.api.rawBody(continuation), StandardCharsets.UTF_8).contains("continue-"),
                    c[1] + ": the typed marker never reaches the model");
        }
    }

    @Test
    void theLegacyFunctionsFollowUpContinuesTheWaitingSessionWithTheResultOfTheModelsCall() {
        for (String[] c : List.of(new String[] {"legacyWhole", "legacy whole"}, new String[] {"legacyStream", "legacy stream"})) {
            List<JsonObject> steps = steps(c[0]);
            assertEquals(List.of("function_call", "stop"), steps.stream().map(s -> s.string("stop")).toList(), c[0]);
            assertEquals(List.of("getWeather"), calledNames(c[0]), c[0]);
            assertEquals("it says: rain in Oslo", steps.getLast().string("text"), c[0]);
            List<RecordedRequest> requests = requests(c[1]);
            assertEquals(2, requests.size(), c[1] + ": " + requests);
            assertEquals(1, requests.stream().map(r -> r.sessionId().orElseThrow()).distinct().count(),
                    c[1] + ": the result continued the CLI that made the call");
            List<JsonObject> results = requests.get(1).toolResults();
            assertEquals(List.of("toolu_" + Integer.toHexString((c[1] + ": call the tool").hashCode()) + "_w"),
                    results.stream().map(r -> r.string("tool_use_id")).toList(), c[1] + ": for the model's own call");
            assertEquals("rain in Oslo", RecordedRequest.resultText(results.getFirst()), c[1]);
        }
    }

    @Test
    void aLegacyFollowUpSentToAGatewayWithoutTheSessionContinuesOnANewOneWithTheCallAndItsResult() {
        List<JsonObject> steps = steps("legacyGone");
        assertEquals("it says: rain in Oslo", steps.getLast().string("text"), steps.toString());
        List<RecordedRequest> requests = requests("legacy gone");
        assertEquals(2, requests.size(), requests.toString());
        assertNotEquals(requests.get(0).sessionId(), requests.get(1).sessionId());
        String id = requests.get(1).toolResults().getFirst().string("tool_use_id");
        assertTrue(id.startsWith("call_legacy_"), "an id of the conversation's own (the echo has none): " + id);
        assertEquals(oneCallConversation("legacy gone: call the tool", id), conversation(requests.get(1)));
    }

    /** The request's messages without the CLI's own {@code role: system} entries (its environment context). */
    static JsonArray conversation(RecordedRequest request) {
        return JsonArray.of(request.messages().stream().filter(m -> !"system".equals(m.string("role", null)))
                .map(JsonValue.class::cast).toList());
    }
}
