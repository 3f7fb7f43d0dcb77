package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.testing.MockReply;
import claude.code.api.testing.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tool loops of the official clients ({@code client-tool-loop.cjs}: {@code @anthropic-ai/sdk} and {@code openai},
 * whole and through their stream helpers) through the gateway on the real CLI and the mock: the model's call of the
 * client's tools reaches the client in its API's shape, the client's results reach the model exactly, and every
 * step of a conversation runs on one CLI session that was offered only the client's tools.
 */
@Timeout(420)
class ClientToolLoopRealCliTest {
    static final Set<String> OFFERED = Set.of("mcp__c__getWeather", "mcp__c__getTime");

    /**
     * With tool results: text quoting each ("it says: A | B", by tool_use id: the CLI puts parallel results in the order
     * they completed; an error result as "error: A"). Else "call two": text and
     * both tools at once; "call the tool": getWeather alone. Tool ids are the prompt's own, so no two conversations
     * share one.
     */
    static MockReply reply(RecordedRequest request) {
        List<JsonObject> results = request.toolResults();
        if (!results.isEmpty()) {
            String quoted = results.stream().sorted(java.util.Comparator.comparing(r -> r.string("tool_use_id")))
                    .map(RecordedRequest::resultText).collect(Collectors.joining(" | "));
            return new MockReply.Message(List.of(new MockReply.Text("it says: " + quoted)), "end_turn", Duration.ZERO, null);
        }
        String prompt = request.promptText();
        String ids = "toolu_" + Integer.toHexString(prompt.hashCode());
        if (prompt.contains("call two")) {
            return new MockReply.Message(List.of(new MockReply.Text("Looking both up."),
                    new MockReply.ToolUse(ids + "_w", "mcp__c__getWeather", city("Oslo")),
                    new MockReply.ToolUse(ids + "_t", "mcp__c__getTime", city("Lima"))), "tool_use", Duration.ZERO, null);
        }
        if (prompt.contains("call the tool")) {
            return new MockReply.Message(List.of(new MockReply.ToolUse(ids + "_w", "mcp__c__getWeather", city("Oslo"))),
                    "tool_use", Duration.ZERO, null);
        }
        return new MockReply.Message(List.of(new MockReply.Text("no tool needed")), "end_turn", Duration.ZERO, null);
    }

    static JsonObject city(String name) {
        return JsonObject.builder().put("city", name).build();
    }


    static List<JsonObject> steps(JsonObject out, String scenario) {
        return ((JsonArray) out.get(scenario)).stream().map(v -> (JsonObject) v).toList();
    }

    static List<JsonObject> calls(JsonObject step) {
        return ((JsonArray) step.get("calls")).stream().map(v -> (JsonObject) v).toList();
    }

    /** The first step called both tools, with the model's ids and inputs; the last answered from their results. */
    static void assertTwoToolLoop(JsonObject out, String scenario, String tag) {
        List<JsonObject> steps = steps(out, scenario);
        assertEquals(2, steps.size(), scenario + ": " + steps);
        String ids = "toolu_" + Integer.toHexString((tag + ": call two tools").hashCode());
        List<JsonObject> calls = calls(steps.get(0));
        assertEquals(List.of(ids + "_w", ids + "_t"), calls.stream().map(c -> c.string("id")).toList(), scenario);
        assertEquals(List.of("getWeather", "getTime"), calls.stream().map(c -> c.string("name")).toList(), scenario);
        assertEquals(List.of(city("Oslo"), city("Lima")), calls.stream().map(c -> c.object("input")).toList(), scenario);
        assertEquals("Looking both up.", steps.get(0).string("text"), scenario);
        assertEquals(List.of(), calls(steps.get(1)), scenario);
        assertEquals("it says: 09:00 in Lima | rain in Oslo", steps.get(1).string("text"), scenario);
    }

    /** Every step at the mock: one CLI session, only the client's tools offered, the client's results exactly. */
    static void assertOneSessionWithExactResults(RealGateway g, String tag, java.util.Map<String, String> results) {
        List<RecordedRequest> requests = g.api.mainLoopRequests().stream().filter(r -> r.promptText().startsWith(tag + ":"))
                .toList();
        assertEquals(2, requests.size(), tag + ": " + requests);
        assertEquals(1, requests.stream().map(r -> r.sessionId().orElseThrow()).distinct().count(),
                tag + ": every step on one CLI session");
        for (RecordedRequest r : requests) {
            assertEquals(OFFERED, r.body().array("tools").stream().map(t -> ((JsonObject) t).string("name"))
                    .collect(Collectors.toSet()), tag + ": only the client's tools");
        }
        assertEquals(List.of(), requests.get(0).toolResults(), tag);
        String ids = "toolu_" + Integer.toHexString((tag + ": call two tools").hashCode());
        assertEquals(java.util.Map.of(ids + "_w", results.get("w"), ids + "_t", results.get("t")), requests.get(1).toolResults()
                .stream().collect(Collectors.toMap(r -> r.string("tool_use_id"), RecordedRequest::resultText)),
                tag + ": each result, exactly, for its call");
    }

    static String metrics(RealGateway g) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(g.baseUrl() + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            return r.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static long metric(String page, String name) {
        return page.lines().filter(l -> l.startsWith("claude_code_api_" + name + " ")).map(l -> Long.parseLong(l.substring(
                l.indexOf(' ') + 1))).findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + page));
    }

    @Test
    void theOfficialClientsRunTheirToolLoopsWholeAndStreamedEachOnOneCliSession() {
        try (RealGateway g = RealGateway.start(c -> c.pingInterval(Duration.ofMillis(200)), b -> b,
                ClientToolLoopRealCliTest::reply)) {
            JsonObject out = g.node("client-tool-loop.cjs");
            java.util.Map<String, String> both = java.util.Map.of("w", "rain in Oslo", "t", "09:00 in Lima");

            assertTwoToolLoop(out, "anthropicWhole", "anthropic whole");
            assertEquals(List.of("tool_use", "end_turn"), steps(out, "anthropicWhole").stream().map(s -> s.string("stop")).toList());
            assertOneSessionWithExactResults(g, "anthropic whole", both);

            assertTwoToolLoop(out, "anthropicStream", "anthropic stream");
            assertEquals(List.of("tool_use", "end_turn"), steps(out, "anthropicStream").stream().map(s -> s.string("stop")).toList());
            JsonObject seen = steps(out, "anthropicStream").get(0).object("seen");
            assertTrue(seen.integer("inputJson") >= 2, "the SDK assembled each input from input_json_delta: " + seen);
            assertEquals(2, ((JsonArray) seen.get("events")).stream().filter(e -> e.equals(new JsonString("start:tool_use")))
                    .count(), seen.toString());
            assertOneSessionWithExactResults(g, "anthropic stream", both);

            List<JsonObject> error = steps(out, "anthropicError");
            assertEquals("it says: error: no such city: Oslo", error.getLast().string("text"));
            List<RecordedRequest> errorRequests = g.api.mainLoopRequests().stream()
                    .filter(r -> r.promptText().startsWith("anthropic error:")).toList();
            assertTrue(errorRequests.getLast().toolResults().getFirst().findBool("is_error").orElse(false),
                    "is_error reached the model");

            assertTwoToolLoop(out, "chatWhole", "chat whole");
            assertEquals(List.of("tool_calls", "stop"), steps(out, "chatWhole").stream().map(s -> s.string("finish")).toList());
            assertOneSessionWithExactResults(g, "chat whole", both);

            assertTwoToolLoop(out, "chatStream", "chat stream");
            assertEquals(List.of("tool_calls", "stop"), steps(out, "chatStream").stream().map(s -> s.string("finish")).toList());
            assertTrue(steps(out, "chatStream").get(0).object("seen").integer("toolCallDeltas") >= 4,
                    "a start and argument pieces per call: " + steps(out, "chatStream").get(0));
            assertOneSessionWithExactResults(g, "chat stream", both);

            for (String scenario : List.of("responsesWhole", "responsesStream")) {
                String tag = scenario.equals("responsesWhole") ? "responses whole" : "responses stream";
                assertTwoToolLoop(out, scenario, tag);
                List<JsonObject> steps = steps(out, scenario);
                assertEquals(steps.get(0).string("id"), steps.get(1).string("previous"), "continued by previous_response_id");
                assertEquals(List.of("completed", "completed"), steps.stream().map(s -> s.string("status")).toList());
                assertOneSessionWithExactResults(g, tag, both);
            }
            JsonObject responsesSeen = steps(out, "responsesStream").get(0).object("seen");
            assertTrue(responsesSeen.integer("argumentDeltas") >= 2, responsesSeen.toString());
            assertTrue(((JsonArray) responsesSeen.get("events")).stream().anyMatch(new JsonString("response.function_call_arguments.done")::equals),
                    responsesSeen.toString());

            JsonObject missing = out.object("anthropicMissing");
            String missingId = ((JsonArray) missing.get("ids")).stream().map(v -> ((JsonString) v).value()).toList().get(1);
            assertEquals(400, missing.object("missing").integer("status"), missing.toString());
            assertTrue(missing.object("missing").string("message").contains("without `tool_result` blocks immediately "
                    + "after: " + missingId), missing.toString());
            assertEquals("it says: [image/png] | rain in Oslo", missing.string("text"), "the image result reached the model");
            assertEquals(1, g.sessionsOf("anthropic missing:").size(), "the refused request left the session waiting");

            String page = metrics(g);
            assertEquals(2 * 7 + 1, metric(page, "client_tool_calls_total"), "each call handed to a client, counted");
            assertEquals(0, metric(page, "sessions_awaiting_client_tools"));
            assertEquals(0, metric(page, "client_tool_timeouts_total"));
        }
    }

    @Test
    void aClientThatLeavesWithACallOpenLeavesNoSessionBehindOnceTheWaitIsOver() throws InterruptedException {
        try (RealGateway g = RealGateway.start(c -> c.pingInterval(Duration.ofMillis(200)),
                b -> b.clientToolTimeout(Duration.ofSeconds(3)), ClientToolLoopRealCliTest::reply)) {
            JsonObject out = g.node("client-tool-loop.cjs", "disconnect");
            assertTrue(out.object("disconnect").findBool("sawToolUse").orElse(false), out.toString());
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            String page = metrics(g);
            while ((metric(page, "live_sessions") > 0 || metric(page, "sessions_awaiting_client_tools") > 0)
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
                page = metrics(g);
            }
            assertEquals(0, metric(page, "live_sessions"), "the waiting session was closed: " + page);
            assertEquals(0, metric(page, "sessions_awaiting_client_tools"));
            assertTrue(metric(page, "client_tool_timeouts_total") + metric(page, "backend_interrupted_turns_total") >= 1,
                    "closed for the client's absence (the wait timed out, or the write failed mid-turn): " + page);
        } // RealGateway.close checks that no CLI is left running
    }
}
