package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.Usage;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The official SDKs ({@code @anthropic-ai/sdk}, {@code openai}) parse the gateway's token streams:
 * a gateway on fake sessions feeding the events the model-API relay delivers ({@link RelayTurn}).
 */
class TokenStreamSdkTest {
    static List<String> strings(JsonObject o, String field) {
        return ((JsonArray) o.get(field)).stream().map(v -> ((JsonString) v).value()).toList();
    }

    @Test
    void theOfficialClientsReadTheTokenStreamsDeltaByDeltaAndTheUpstreamsErrors() {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.script = (s, p) -> {
                if (p.contains("rate limit me")) {
                    return RelayTurn.of(s).failed(429, "rate_limit_error", "Number of requests has exceeded your rate limit", 17);
                }
                if (p.contains("overload midstream")) {
                    return RelayTurn.of(s).call("msg_x", new Usage(5, 1, 0, 0)).text("so far").end("tool_use", 2)
                            .failed(529, "overloaded_error", "Overloaded", 0);
                }
                return RelayTurn.of(s).call("msg_1", new Usage(10, 1, 0, 0)).thinking(List.of("Let me ", "see."), "c2ln")
                        .text("Hel", "lo").toolUse("toolu_1", "Read", "{\"file_path\":", "\"a.txt\"}").end("tool_use", 6)
                        .toolResult("toolu_1", "content")
                        .call("msg_2", new Usage(20, 1, 0, 0)).text(" wor", "ld").end("end_turn", 4).completed();
            };
            JsonObject out = NodeClient.run("token-stream.cjs", g.server.baseUrl().toString());

            JsonObject anthropic = out.object("anthropic");
            assertEquals(List.of("Hel", "lo", " wor", "ld"), strings(anthropic, "texts"), "one SDK text event per upstream delta");
            assertEquals(List.of("Let me ", "see."), strings(anthropic, "thinking"));
            List<String> events = strings(anthropic, "events").stream().filter(e -> !e.equals("ping")).toList();
            assertEquals(List.of("message_start", "content_block_start", "content_block_delta:0", "content_block_delta:0",
                    "content_block_delta:0", "content_block_stop", "content_block_start", "content_block_delta:1",
                    "content_block_delta:1", "content_block_stop", "content_block_start", "content_block_delta:2",
                    "content_block_delta:2", "content_block_stop", "message_delta", "message_stop"), events);
            JsonObject message = anthropic.object("message");
            JsonArray content = (JsonArray) message.get("content");
            assertEquals(3, content.size(), Json.write(content));
            assertEquals("c2ln", content.object(0).string("signature"), "the SDK joined the signature delta");
            assertEquals("Hello", content.object(1).string("text"));
            assertEquals(" world", content.object(2).string("text"));
            assertEquals("end_turn", message.string("stop_reason"));
            assertEquals(RelayTurn.API_MODEL, message.string("model"));
            assertEquals(10, message.object("usage").integer("output_tokens"));
            assertEquals(30, message.object("usage").integer("input_tokens"));

            JsonObject chat = out.object("chat");
            assertEquals(List.of("Hel", "lo", "\n\n wor", "ld"), strings(chat, "pieces"));
            assertEquals("stop", chat.string("finish"));
            assertEquals(10, chat.object("usage").integer("completion_tokens"));

            JsonObject responses = out.object("responses");
            assertEquals(List.of("Hel", "lo", "\n\n wor", "ld"), strings(responses, "deltas"));
            assertEquals("Hello\n\n world", responses.string("text"));
            assertEquals("completed", responses.string("status"));

            JsonObject limited = out.object("rateLimited");
            assertEquals(429, limited.integer("status"));
            assertEquals("rate_limit_error", limited.string("type"));
            assertEquals("Number of requests has exceeded your rate limit", limited.string("message"));
            assertEquals("17", limited.string("retryAfter"));

            JsonObject midStream = out.object("midStream");
            assertTrue(midStream.string("message").contains("Overloaded"), midStream.toString());
        }
    }
}
