package claude.code.api.gateway;

import static claude.code.api.gateway.GatewayFixture.at;
import static claude.code.api.gateway.GatewayFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.FakeSessions;
import claude.code.api.events.TextBlock;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonNumber;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiChatTest {
    static String body(String extra, String messages) {
        return "{\"model\":\"claude-test\",\"messages\":" + messages + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    @Test
    void aCompletionHasTheChatCompletionShape() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/chat/completions", body("", "[{\"role\":\"user\",\"content\":\"Hi\"}]"));
            assertEquals(200, r.statusCode(), r.body());
            JsonObject c = json(r);
            assertTrue(c.string("id").startsWith("chatcmpl-"));
            assertEquals("chat.completion", c.string("object"));
            assertEquals("claude-test", c.string("model"));
            assertEquals(new JsonString("assistant"), at(c, "choices", "0", "message", "role"));
            assertEquals(new JsonString("reply 1 to: Hi"), at(c, "choices", "0", "message", "content"));
            assertEquals(new JsonString("stop"), at(c, "choices", "0", "finish_reason"));
            assertEquals(JsonNumber.of(1), at(c, "usage", "prompt_tokens"));
            assertEquals(JsonNumber.of(1), at(c, "usage", "completion_tokens"));
            assertEquals(JsonNumber.of(2), at(c, "usage", "total_tokens"));
        }
    }

    @Test
    void systemMessagesBecomeTheAppendedSystemPromptOfTheirOwnOptionSet() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.post("/v1/chat/completions", body("", "[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                    + "{\"role\":\"developer\",\"content\":[{\"type\":\"text\",\"text\":\"Use French.\"}]},"
                    + "{\"role\":\"user\",\"content\":\"Hi\"}]"));
            assertEquals(1, g.backendOptions.size());
            assertEquals("Be brief.\n\nUse French.", g.backendOptions.getFirst().launch().appendSystemPrompt());
            assertEquals("claude-test", g.backendOptions.getFirst().launch().model());
            assertEquals(List.of("Hi"), g.sessions.sessions.getFirst().prompts, "system text is not typed as a prompt");
        }
    }

    @Test
    void theConversationContinuesOnOneSessionAcrossTurns() {
        try (GatewayFixture g = GatewayFixture.start()) {
            String first = ((JsonString) at(json(g.post("/v1/chat/completions",
                    body("", "[{\"role\":\"system\",\"content\":\"S\"},{\"role\":\"user\",\"content\":\"one\"}]"))),
                    "choices", "0", "message", "content")).value();
            HttpResponse<String> r = g.post("/v1/chat/completions", body("", "[{\"role\":\"system\",\"content\":\"S\"},"
                    + "{\"role\":\"user\",\"content\":\"one\"},{\"role\":\"assistant\",\"content\":\"" + first + "\"},"
                    + "{\"role\":\"user\",\"content\":\"two\"}]"));
            assertEquals(new JsonString("reply 2 to: two"), at(json(r), "choices", "0", "message", "content"));
            assertEquals(1, g.sessions.launches.size());
        }
    }

    @Test
    void streamingSendsChunksThenDone() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = AnthropicMessagesTest.TOOL_TURN;
            HttpResponse<String> r = g.post("/v1/chat/completions", body("\"stream\":true,\"stream_options\":{\"include_usage\":true}",
                    "[{\"role\":\"user\",\"content\":\"list\"}]"));
            assertEquals(200, r.statusCode());
            List<GatewayFixture.Sse> events = GatewayFixture.sse(r.body()).stream().filter(e -> !":".equals(e.event())).toList();
            assertEquals("[DONE]", events.getLast().data());
            List<JsonObject> chunks = events.subList(0, events.size() - 1).stream().map(GatewayFixture.Sse::json).toList();
            chunks.forEach(c -> assertEquals("chat.completion.chunk", c.string("object")));
            assertEquals(new JsonString("assistant"), at(chunks.getFirst(), "choices", "0", "delta", "role"));
            StringBuilder text = new StringBuilder();
            for (JsonObject c : chunks) {
                if (at(c, "choices") instanceof JsonArray a && !a.isEmpty() && at(c, "choices", "0", "delta", "content") instanceof JsonString s) {
                    text.append(s.value());
                }
            }
            assertEquals("Running ls.\n\nOne file: a.txt.", text.toString(), "text blocks joined by a blank line, no tool blocks");
            JsonObject finish = chunks.get(chunks.size() - 2);
            assertEquals(new JsonString("stop"), at(finish, "choices", "0", "finish_reason"));
            JsonObject usage = chunks.getLast();
            assertEquals(0, ((JsonArray) usage.get("choices")).size());
            assertEquals(JsonNumber.of(17), at(usage, "usage", "prompt_tokens"), "input + cache creation + cache read");
            assertEquals(JsonNumber.of(4), at(usage, "usage", "prompt_tokens_details", "cached_tokens"));
            assertEquals(JsonNumber.of(7), at(usage, "usage", "completion_tokens"));
        }
    }

    @Test
    void theStreamedStringEchoedBackHitsThePool() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = AnthropicMessagesTest.TOOL_TURN;
            String reply = ((JsonString) at(json(g.post("/v1/chat/completions", body("", "[{\"role\":\"user\",\"content\":\"list\"}]"))),
                    "choices", "0", "message", "content")).value();
            g.sessions.script = FakeSessions.ECHO;
            g.post("/v1/chat/completions", body("", "[{\"role\":\"user\",\"content\":\"list\"},{\"role\":\"assistant\",\"content\":"
                    + claude.code.api.json.Json.quote(reply) + "},{\"role\":\"user\",\"content\":\"more\"}]"));
            assertEquals(1, g.sessions.launches.size());
        }
    }

    @Test
    void aTurnThatFailsAfterTextWasStreamedEndsWithAnErrorChunk() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> List.of(FakeSessions.assistant("m", "end_turn", new TextBlock("partial")),
                    FakeSessions.result(s, "", true, false));
            HttpResponse<String> r = g.post("/v1/chat/completions", body("\"stream\":true", "[{\"role\":\"user\",\"content\":\"x\"}]"));
            assertEquals(200, r.statusCode(), "the stream had begun");
            GatewayFixture.Sse last = GatewayFixture.sse(r.body()).getLast();
            assertEquals(new JsonString("api_error"), at(last.json(), "error", "type"));
            assertTrue(!r.body().contains("[DONE]"));
        }
    }

    @Test
    void aStreamedTurnThatFailsBeforeAnyOutputIsAnErrorResponse() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> List.of(FakeSessions.result(s, "", true, false));
            HttpResponse<String> r = g.post("/v1/chat/completions", body("\"stream\":true", "[{\"role\":\"user\",\"content\":\"x\"}]"));
            assertEquals(502, r.statusCode(), r.body());
            assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
            assertEquals(new JsonString("api_error"), at(json(r), "error", "type"));
        }
    }

    @Test
    void toolCallsAndToolMessagesMapToToolBlocks() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/chat/completions", body("", "[{\"role\":\"user\",\"content\":\"weather?\"},"
                    + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                    + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny\"},"
                    + "{\"role\":\"assistant\",\"content\":\"It is sunny.\"},{\"role\":\"user\",\"content\":\"thanks\"}]"));
            assertEquals(200, r.statusCode(), r.body());
            String seed = g.sessions.seeds.getFirst();
            assertTrue(seed.contains("\"tool_use\"") && seed.contains("get_weather") && seed.contains("\"tool_result\""), seed);
        }
    }

    @Test
    void errorsHaveTheOpenAiShape() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"assistant\",\"content\":\"x\"}]}");
            assertEquals(400, r.statusCode());
            JsonObject error = (JsonObject) json(r).get("error");
            assertEquals("invalid_request_error", error.string("type"));
            assertTrue(error.string("message").startsWith("messages[0].role: the last message must be \"user\""), error.string("message"));
            assertEquals(JsonNull.INSTANCE, error.get("param"));
        }
    }
}
