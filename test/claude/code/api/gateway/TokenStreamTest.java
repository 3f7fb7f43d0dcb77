package claude.code.api.gateway;

import static claude.code.api.gateway.GatewayFixture.json;
import static claude.code.api.gateway.GatewayFixture.messagesBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.StreamEvent;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.TurnRendering;
import claude.code.api.events.Usage;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With the model-API relay the gateway's streams are token streams: the API's own deltas, one
 * event per upstream delta, for the turn's API calls as one message (fake sessions feeding the
 * events the relay delivers, {@link RelayTurn}).
 */
class TokenStreamTest {
    static final Usage START = new Usage(12, 1, 3, 40);

    static List<GatewayFixture.Sse> anthropicStream(GatewayFixture g, String... headers) {
        var r = g.post("/v1/messages", messagesBody("\"stream\":true", "hi"), headers);
        assertEquals(200, r.statusCode(), r.body());
        return GatewayFixture.sse(r.body()).stream().filter(e -> !"ping".equals(e.event()) && !":".equals(e.event())).toList();
    }

    static List<String> names(List<GatewayFixture.Sse> events) {
        return events.stream().map(GatewayFixture.Sse::event).toList();
    }

    static List<JsonObject> deltas(List<GatewayFixture.Sse> events) {
        return events.stream().filter(e -> e.event().equals("content_block_delta")).map(GatewayFixture.Sse::json).toList();
    }

    static List<Long> indices(List<GatewayFixture.Sse> events, String name) {
        return events.stream().filter(e -> e.event().equals(name)).map(e -> e.json().integer("index")).toList();
    }

    @Test
    void anthropicSendsOneContentBlockDeltaPerUpstreamDelta() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> RelayTurn.of(s).call("msg_1", START).text("Hel", "lo, ", "world").end("end_turn", 7)
                    .completed();
            List<GatewayFixture.Sse> events = anthropicStream(g);
            assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_delta",
                    "content_block_delta", "content_block_stop", "message_delta", "message_stop"), names(events));
            assertEquals(List.of("Hel", "lo, ", "world"), deltas(events).stream()
                    .map(d -> d.object("delta").string("text")).toList());
            deltas(events).forEach(d -> assertEquals("text_delta", d.object("delta").string("type")));
        }
    }

    @Test
    void blockIndicesRunOnAcrossTheTurnsApiCallsInOneMessage() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> RelayTurn.of(s)
                    .call("msg_1", START).text("Let me look.").toolUse("toolu_1", "Bash", "{\"command\":", "\"ls\"}").end("tool_use", 9)
                    .toolResult("toolu_1", "a.txt")
                    .call("msg_2", START).text("There is ", "a.txt.").end("end_turn", 5).completed();
            List<GatewayFixture.Sse> events = anthropicStream(g);
            assertEquals(1, names(events).stream().filter("message_start"::equals).count(), "one message");
            assertEquals(1, names(events).stream().filter("message_stop"::equals).count());
            assertEquals(1, names(events).stream().filter("message_delta"::equals).count());
            assertEquals(List.of(0L, 1L), indices(events, "content_block_start"));
            assertEquals(List.of(0L, 1L, 1L), indices(events, "content_block_delta"));
            assertEquals(List.of(0L, 1L), indices(events, "content_block_stop"));
        }
    }

    @Test
    void thinkingAndSignatureDeltasPassThroughAsTheApiSentThem() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> RelayTurn.of(s).call("msg_1", START).thinking(List.of("Hmm, ", "let me think."), "sig-abc")
                    .text("Done.").end("end_turn", 4).completed();
            List<GatewayFixture.Sse> events = anthropicStream(g);
            JsonObject start = events.get(1).json().object("content_block");
            assertEquals("thinking", start.string("type"));
            List<JsonObject> d = deltas(events).stream().map(e -> e.object("delta")).toList();
            assertEquals("thinking_delta", d.get(0).string("type"));
            assertEquals("Hmm, ", d.get(0).string("thinking"));
            assertEquals("let me think.", d.get(1).string("thinking"));
            assertEquals("signature_delta", d.get(2).string("type"));
            assertEquals("sig-abc", d.get(2).string("signature"));
            assertEquals("text_delta", d.get(3).string("type"));
        }
    }

    static RelayTurn toolTurn(claude.code.api.FakeSessions.Session s) {
        return RelayTurn.of(s).call("msg_1", START).toolUse("toolu_1", "Bash", "{\"comm", "and\":\"ls\"}").end("tool_use", 3)
                .toolResult("toolu_1", "a.txt")
                .call("msg_2", START).text("Found a.txt").end("end_turn", 2);
    }

    @Test
    void theClisToolUseIsHiddenByDefault() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> toolTurn(s).completed();
            List<GatewayFixture.Sse> events = anthropicStream(g);
            assertEquals(List.of(0L), indices(events, "content_block_start"), "only the final text");
            assertTrue(events.stream().noneMatch(e -> e.data().contains("tool_use") && !e.event().equals("message_delta")),
                    "no tool_use block, no input_json_delta");
            assertEquals("Found a.txt", deltas(events).getFirst().object("delta").string("text"));
        }
    }

    @Test
    void withToolActivityTheClisToolUseIsTheSameTextBlockAsInTheWholeAnswer() {
        try (GatewayFixture g = GatewayFixture.start(c -> c.toolActivity(GatewayConfig.ToolActivity.TEXT))) {
            g.sessions.script = (s, p) -> toolTurn(s).completed();
            List<String> streamed = deltas(anthropicStream(g)).stream().map(d -> d.object("delta").string("text")).toList();
            JsonArray whole = (JsonArray) json(g.post("/v1/messages", messagesBody("", "hi"))).get("content");
            List<String> wholeTexts = whole.stream().map(b -> ((JsonObject) b).string("text")).toList();
            assertEquals(wholeTexts, streamed, "one rendering rule for streamed and whole answers");
            assertEquals(TurnRendering.toolUseText(new ToolUseBlock("toolu_1", "Bash",
                    JsonObject.builder().put("command", "ls").build())).text(), streamed.get(0));
            assertTrue(streamed.get(1).startsWith("[tool_result id=toolu_1]"), streamed.get(1));
            assertEquals("Found a.txt", streamed.get(2));
        }
    }

    @Test
    void stopReasonUsageAndModelComeFromTheApisEvents() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> RelayTurn.of(s).call("msg_1", START).text("a").end("tool_use", 9)
                    .call("msg_2", new Usage(20, 1, 0, 60)).text("b").end("max_tokens", 5).completed();
            List<GatewayFixture.Sse> events = anthropicStream(g);
            assertEquals(RelayTurn.API_MODEL, events.getFirst().json().object("message").string("model"));
            JsonObject delta = events.get(events.size() - 2).json();
            assertEquals("max_tokens", delta.object("delta").string("stop_reason"));
            JsonObject usage = delta.object("usage");
            assertEquals(32, usage.integer("input_tokens"), "summed over the two calls");
            assertEquals(14, usage.integer("output_tokens"), "each call's cumulative output, summed");
            assertEquals(3, usage.integer("cache_creation_input_tokens"));
            assertEquals(100, usage.integer("cache_read_input_tokens"));
        }
    }

    @Test
    void theWholeAnswerReportsTheSameUsageAndStopReasonFromTheApisEvents() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> RelayTurn.of(s).call("msg_1", START).text("a").end("tool_use", 9)
                    .call("msg_2", new Usage(20, 1, 0, 60)).text("b").end("max_tokens", 5).completed();
            JsonObject answer = json(g.post("/v1/messages", messagesBody("", "hi")));
            assertEquals("max_tokens", answer.string("stop_reason"));
            assertEquals(32, answer.object("usage").integer("input_tokens"));
            assertEquals(14, answer.object("usage").integer("output_tokens"));
            assertEquals(RelayTurn.API_MODEL, answer.string("model"));
            assertEquals(2, ((JsonArray) answer.get("content")).size(), "blocks from the assistant messages");
        }
    }

    @Test
    void theAssistantMessageThatFollowsItsStreamIsNotShownAgain() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> RelayTurn.of(s).call("msg_1", START).text("only ", "once").end("end_turn", 2).completed();
            List<GatewayFixture.Sse> events = anthropicStream(g);
            assertEquals(1, indices(events, "content_block_start").size());
            assertEquals(2, deltas(events).size());
        }
    }

    @Test
    void aCallWithoutStreamEventsShowsItsAssistantMessageAsAWholeBlock() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> RelayTurn.of(s).call("msg_1", START).text("streamed").end("tool_use", 2)
                    .unstreamed("msg_2", new TextBlock("recorded")).completed();
            List<GatewayFixture.Sse> events = anthropicStream(g);
            assertEquals(List.of(0L, 1L), indices(events, "content_block_start"));
            assertEquals(List.of("streamed", "recorded"), deltas(events).stream().map(d -> d.object("delta").string("text")).toList());
        }
    }

    @Test
    void anEmptyTextBlockIsNotStreamed() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> RelayTurn.of(s).call("msg_1", START).text().text("", "x").end("end_turn", 1).completed();
            List<GatewayFixture.Sse> events = anthropicStream(g);
            assertEquals(List.of(0L), indices(events, "content_block_start"), "as the whole answer drops it");
            assertEquals(List.of("x"), deltas(events).stream().map(d -> d.object("delta").string("text")).toList());
        }
    }

    @Test
    void aCallCutShortMidBlockStopsTheOpenBlockBeforeTheErrorEvent() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> RelayTurn.of(s).raw(
                    new StreamEvent.MessageStart("msg_1", RelayTurn.API_MODEL, START, JsonObject.EMPTY),
                    new StreamEvent.BlockStart(0, new StreamEvent.BlockHead.Text("")),
                    new StreamEvent.BlockDelta(0, new StreamEvent.Delta.TextDelta("half a sen")),
                    new StreamEvent.StreamError("overloaded_error", "Overloaded"))
                    .failed(529, "overloaded_error", "Overloaded", 0);
            List<GatewayFixture.Sse> events = anthropicStream(g);
            assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_stop", "error"),
                    names(events));
        }
    }

    // --- OpenAI chat completions ----------------------------------------------------------------

    static List<JsonObject> chunks(GatewayFixture g, String path, String body) {
        var r = g.post(path, body);
        assertEquals(200, r.statusCode(), r.body());
        return GatewayFixture.sse(r.body()).stream().filter(e -> e.data().startsWith("{")).map(GatewayFixture.Sse::json).toList();
    }

    static final String CHAT = "{\"model\":\"x\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    static String content(JsonObject chunk) {
        JsonArray choices = (JsonArray) chunk.get("choices");
        if (choices.isEmpty()) {
            return null;
        }
        JsonValue c = ((JsonObject) choices.get(0)).object("delta").get("content");
        return c instanceof claude.code.api.json.JsonString s ? s.value() : null;
    }

    @Test
    void openAiChatSendsOneChunkPerTextDelta() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> RelayTurn.of(s).call("msg_1", START).text("Hel", "lo").end("tool_use", 3)
                    .call("msg_2", START).text("Bye").end("end_turn", 2).completed();
            List<JsonObject> chunks = chunks(g, "/v1/chat/completions", CHAT);
            List<String> texts = chunks.stream().map(TokenStreamTest::content).filter(t -> t != null && !t.isEmpty()).toList();
            assertEquals(List.of("Hel", "lo", "\n\nBye"), texts, "one chunk per delta; a later block begins with the separator");
            JsonObject usage = chunks.getLast().object("usage");
            assertEquals(5, usage.integer("completion_tokens"));
            assertEquals(2 * (12 + 3 + 40), usage.integer("prompt_tokens"));
            chunks.forEach(c -> assertEquals(RelayTurn.API_MODEL, c.string("model")));
        }
    }

    // --- OpenAI Responses -----------------------------------------------------------------------

    @Test
    void responsesSendOneOutputTextDeltaPerTextDeltaWithTheFieldsTheSdksRequire() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> RelayTurn.of(s).call("msg_1", START).text("Hel", "lo").end("end_turn", 3).completed();
            List<JsonObject> events = chunks(g, "/v1/responses", "{\"model\":\"x\",\"stream\":true,\"input\":\"hi\"}");
            List<JsonObject> deltas = events.stream().filter(e -> e.string("type").equals("response.output_text.delta")).toList();
            assertEquals(List.of("Hel", "lo"), deltas.stream().map(d -> d.string("delta")).toList());
            String itemId = events.stream().filter(e -> e.string("type").equals("response.output_item.added")).findFirst()
                    .orElseThrow().object("item").string("id");
            for (JsonObject d : deltas) {
                assertEquals(itemId, d.string("item_id"));
                assertEquals(0, d.integer("output_index"));
                assertEquals(0, d.integer("content_index"));
                assertTrue(d.get("logprobs") instanceof JsonArray);
            }
            for (int i = 0; i < events.size(); i++) {
                assertEquals(i, events.get(i).integer("sequence_number"));
            }
            JsonObject completed = events.getLast().object("response");
            assertEquals("Hello", completed.string("output_text"));
            assertEquals(3, completed.object("usage").integer("output_tokens"));
        }
    }

    @Test
    void aResponseStoppedAtTheOutputLimitIsIncompleteStreamedAndWhole() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> RelayTurn.of(s).call("msg_1", START).text("cut ", "sho").end("max_tokens", 2)
                    .completed();
            List<JsonObject> events = chunks(g, "/v1/responses", "{\"model\":\"x\",\"stream\":true,\"input\":\"hi\"}");
            JsonObject last = events.getLast();
            assertEquals("response.incomplete", last.string("type"));
            assertEquals("incomplete", last.object("response").string("status"));
            assertEquals("max_output_tokens", last.object("response").object("incomplete_details").string("reason"));

            JsonObject whole = GatewayFixture.json(g.post("/v1/responses", "{\"model\":\"x\",\"input\":\"again\"}"));
            assertEquals("incomplete", whole.string("status"));
            assertEquals("max_output_tokens", whole.object("incomplete_details").string("reason"));
            assertEquals("cut sho", whole.string("output_text"));
        }
    }

    @Test
    void withoutTheRelayTheStreamIsMadeOfWholeBlocksAsBefore() {
        try (GatewayFixture g = GatewayFixture.start()) {
            List<GatewayFixture.Sse> events = anthropicStream(g);
            assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_stop",
                    "message_delta", "message_stop"), names(events));
            assertEquals("reply 1 to: hi", deltas(events).getFirst().object("delta").string("text"));
            assertFalse(events.getFirst().json().object("message").string("model").equals(RelayTurn.API_MODEL));
        }
    }
}
