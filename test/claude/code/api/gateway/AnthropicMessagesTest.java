package claude.code.api.gateway;

import static claude.code.api.gateway.GatewayFixture.at;
import static claude.code.api.gateway.GatewayFixture.json;
import static claude.code.api.gateway.GatewayFixture.messagesBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.FakeSessions;
import claude.code.api.events.Event;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.Usage;
import claude.code.api.events.UserMessage;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonNumber;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicMessagesTest {

    /** A turn with thinking, a tool call and its result, then the answer. */
    static final FakeSessions.Script TOOL_TURN = (s, prompt) -> List.<Event>of(
            new UserMessage("u", List.of(new TextBlock(prompt)), true, false),
            FakeSessions.assistant("m1", "tool_use", new ThinkingBlock("Let me look.", "c2ln")),
            FakeSessions.assistant("m1", "tool_use", new TextBlock("Running ls.")),
            FakeSessions.assistant("m1", "tool_use", new ToolUseBlock("toolu_1", "Bash",
                    (JsonObject) Json.parse("{\"command\":\"ls\"}"))),
            new UserMessage("r", List.of(new ToolResultBlock("toolu_1", new JsonString("a.txt"), null)), false, false),
            FakeSessions.assistant("m2", "end_turn", new TextBlock("One file: a.txt.")),
            new ResultMessage(s.sessionId(), Duration.ofMillis(5), 2, new Usage(10, 7, 3, 4), "One file: a.txt.", "end_turn",
                    null, false));

    @Test
    void aMessageIsAnsweredWithTheApisMessageShape() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/messages", messagesBody("", "Hello there"));
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
            JsonObject m = json(r);
            assertTrue(m.string("id").startsWith("msg_"));
            assertEquals("message", m.string("type"));
            assertEquals("assistant", m.string("role"));
            assertEquals("claude-test", m.string("model"), "the model that answered");
            assertEquals("end_turn", m.string("stop_reason"));
            assertEquals(JsonNull.INSTANCE, m.get("stop_sequence"));
            assertEquals(Json.parse("[{\"type\":\"text\",\"text\":\"reply 1 to: Hello there\"}]"), m.get("content"));
            assertEquals(Json.parse("{\"input_tokens\":1,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
                    + "\"output_tokens\":1}"), m.get("usage"));
            assertEquals(g.sessions.sessions.getFirst().sessionId(), r.headers().firstValue("x-claude-code-session-id").orElseThrow());
        }
    }

    @Test
    void turnsTwoAndThreeReuseTheSessionOfTurnOne() {
        try (GatewayFixture g = GatewayFixture.start()) {
            String reply1 = ((JsonString) at(json(g.post("/v1/messages", messagesBody("", "one"))), "content", "0", "text")).value();
            JsonObject m2 = json(g.post("/v1/messages", messagesBody("", "one", reply1, "two")));
            String reply2 = ((JsonString) at(m2, "content", "0", "text")).value();
            assertEquals("reply 2 to: two", reply2);
            JsonObject m3 = json(g.post("/v1/messages", messagesBody("", "one", reply1, "two", reply2, "three")));
            assertEquals("reply 3 to: three", ((JsonString) at(m3, "content", "0", "text")).value());
            assertEquals(1, g.sessions.launches.size(), "one CLI session for the whole conversation");
            assertEquals(List.of("one", "two", "three"), g.sessions.sessions.getFirst().prompts);
        }
    }

    @Test
    void streamingFollowsTheApisEventSequence() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/messages", messagesBody("\"stream\":true", "Hello"));
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
            List<GatewayFixture.Sse> events = GatewayFixture.sse(r.body()).stream().filter(e -> !e.event().equals("ping")).toList();
            assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_stop",
                    "message_delta", "message_stop"), events.stream().map(GatewayFixture.Sse::event).toList());
            JsonObject start = events.get(0).json();
            assertEquals("message_start", start.string("type"));
            assertEquals(List.of(), ((JsonArray) at(start, "message", "content")).elements());
            assertEquals(JsonNull.INSTANCE, at(start, "message", "stop_reason"));
            assertEquals(Json.parse("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                    events.get(1).json());
            assertEquals(Json.parse("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                    + "\"text\":\"reply 1 to: Hello\"}}"), events.get(2).json());
            assertEquals(Json.parse("{\"type\":\"content_block_stop\",\"index\":0}"), events.get(3).json());
            JsonObject delta = events.get(4).json();
            assertEquals(new JsonString("end_turn"), at(delta, "delta", "stop_reason"));
            assertEquals(JsonNumber.of(1), at(delta, "usage", "output_tokens"));
            assertEquals(JsonNumber.of(1), at(delta, "usage", "input_tokens"));
            assertTrue(r.body().startsWith("event: message_start\ndata: {"), "framing: event line, data line, blank line");
            assertTrue(GatewayFixture.sse(r.body()).get(1).event().equals("ping"), "a ping follows message_start, as in the API");
        }
    }

    @Test
    void thinkingStreamsWithItsSignatureAndToolActivityIsLeftOutByDefault() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = TOOL_TURN;
            HttpResponse<String> r = g.post("/v1/messages", messagesBody("\"stream\":true", "list files"));
            List<JsonObject> events = GatewayFixture.sse(r.body()).stream().filter(e -> !e.event().equals("ping"))
                    .map(GatewayFixture.Sse::json).toList();
            List<String> types = events.stream().map(e -> e.string("type") + (e.get("delta") instanceof JsonObject d
                    && d.get("type") != null ? ":" + d.string("type") : "")).toList();
            assertEquals(List.of("message_start", "content_block_start", "content_block_delta:thinking_delta",
                    "content_block_delta:signature_delta", "content_block_stop", "content_block_start",
                    "content_block_delta:text_delta", "content_block_stop", "content_block_start",
                    "content_block_delta:text_delta", "content_block_stop", "message_delta", "message_stop"), types);
            assertEquals(new JsonString("c2ln"), at(events.get(3), "delta", "signature"));
            assertFalse(r.body().contains("tool_use\""), "no tool_use block reaches the client");
            assertEquals(new JsonString("end_turn"), at(events.get(11), "delta", "stop_reason"), "not tool_use");
            assertEquals(Json.parse("{\"input_tokens\":10,\"cache_creation_input_tokens\":3,\"cache_read_input_tokens\":4,"
                    + "\"output_tokens\":7}"), events.get(11).get("usage"));
        }
    }

    @Test
    void toolActivityOnRequestArrivesAsTextBlocksAndTheEchoedHistoryHitsThePool() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = TOOL_TURN;
            HttpResponse<String> r = g.post("/v1/messages", messagesBody("", "list files"), "x-claude-code-tool-activity", "text");
            JsonObject m = json(r);
            JsonArray content = (JsonArray) m.get("content");
            assertEquals(List.of("thinking", "text", "text", "text", "text"),
                    content.stream().map(b -> ((JsonObject) b).string("type")).toList());
            assertEquals("[tool_use id=toolu_1 name=Bash]\n{\"command\":\"ls\"}\n[/tool_use]", content.object(2).string("text"));
            assertEquals("[tool_result id=toolu_1]\na.txt\n[/tool_result]", content.object(3).string("text"));

            g.sessions.script = FakeSessions.ECHO;
            String next = "{\"model\":\"claude-test\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"list files\"},"
                    + "{\"role\":\"assistant\",\"content\":" + Json.write(content) + "},{\"role\":\"user\",\"content\":\"thanks\"}]}";
            assertEquals(200, g.post("/v1/messages", next).statusCode());
            assertEquals(1, g.sessions.launches.size(), "the rendered history found the session");
        }
    }

    @Test
    void theDefaultRenderingEchoedWithThinkingHitsThePoolToo() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = TOOL_TURN;
            JsonArray content = (JsonArray) json(g.post("/v1/messages", messagesBody("", "list files"))).get("content");
            assertEquals(3, content.size(), "thinking and the two texts");
            g.sessions.script = FakeSessions.ECHO;
            String next = "{\"model\":\"claude-test\",\"messages\":[{\"role\":\"user\",\"content\":\"list files\"},"
                    + "{\"role\":\"assistant\",\"content\":" + Json.write(content) + "},{\"role\":\"user\",\"content\":\"thanks\"}]}";
            assertEquals(200, g.post("/v1/messages", next).statusCode());
            assertEquals(1, g.sessions.launches.size());
        }
    }

    @Test
    void theServerDefaultCanShowToolActivityAndAHeaderTurnsItOff() {
        try (GatewayFixture g = GatewayFixture.start(c -> c.toolActivity(GatewayConfig.ToolActivity.TEXT))) {
            g.sessions.script = TOOL_TURN;
            assertEquals(5, ((JsonArray) json(g.post("/v1/messages", messagesBody("", "a"))).get("content")).size());
            assertEquals(3, ((JsonArray) json(g.post("/v1/messages", messagesBody("", "b"),
                    "x-claude-code-tool-activity", "none")).get("content")).size());
        }
    }

    @Test
    void aTurnThatFailsMidStreamEndsWithAnErrorEvent() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> List.of(FakeSessions.assistant("m", "end_turn", new TextBlock("partial")),
                    FakeSessions.result(s, "", true, false));
            HttpResponse<String> r = g.post("/v1/messages", messagesBody("\"stream\":true", "x"));
            assertEquals(200, r.statusCode(), "the stream had begun");
            List<GatewayFixture.Sse> events = GatewayFixture.sse(r.body());
            GatewayFixture.Sse last = events.getLast();
            assertEquals("error", last.event());
            assertEquals("error", last.json().string("type"));
            assertEquals(new JsonString("api_error"), at(last.json(), "error", "type"));
            assertNotNull(at(last.json(), "error", "message"));
            assertTrue(events.stream().noneMatch(e -> e.event().equals("message_stop")));
        }
    }

    @Test
    void countTokensIsAnEstimateOfAQuarterOfTheTextBytes() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/messages/count_tokens",
                    "{\"model\":\"x\",\"system\":\"abcd\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(40) + "\"}]}");
            assertEquals(200, r.statusCode());
            assertEquals(11, json(r).integer("input_tokens"));
            assertEquals(0, g.sessions.launches.size(), "no CLI involved");
        }
    }

    @Test
    void modelsListTheDefaultAndTheAliases() {
        try (GatewayFixture g = GatewayFixture.start(c -> c, o -> o.model("sonnet"))) {
            JsonObject list = json(g.get("/v1/models"));
            List<String> ids = ((JsonArray) list.get("data")).stream().map(m -> ((JsonObject) m).string("id")).toList();
            assertEquals(List.of("default", "sonnet", "opus", "haiku"), ids);
            assertEquals("model", ((JsonArray) list.get("data")).object(0).string("type"));
            assertEquals(200, g.get("/v1/models/opus").statusCode());
            assertEquals(404, g.get("/v1/models/gpt-4o").statusCode());
        }
    }
}
