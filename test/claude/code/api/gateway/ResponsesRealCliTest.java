package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Responses API end to end: the official OpenAI SDK against the gateway on the real CLI and the mock. */
class ResponsesRealCliTest {
    @Test
    void theOpenAiSdkHoldsResponsesConversationsOnOneCliSessionEach() {
        try (RealGateway g = RealGateway.start(c -> c.pingInterval(Duration.ofMillis(200)))) {
            JsonObject out = g.node("openai-responses.cjs");
            List<JsonObject> chain = ((JsonArray) out.get("chain")).stream().map(v -> (JsonObject) v).toList();
            assertTrue(chain.get(0).string("text").startsWith("MOCK REPLY to: responses first question"), chain.get(0).string("text"));
            assertTrue(chain.get(1).string("text").startsWith("MOCK REPLY to: responses second question"));
            assertEquals(chain.get(0).string("id"), chain.get(1).string("previous"));
            Set<String> first = g.sessionsOf("responses first question");
            assertEquals(1, first.size());
            assertEquals(first, g.sessionsOf("responses second question"), "previous_response_id continued the session");

            JsonObject stream = out.object("stream");
            assertTrue(stream.string("text").startsWith("MOCK REPLY to: items first question"), stream.string("text"));
            assertEquals(stream.string("text"), stream.string("deltas"));
            assertEquals("completed", stream.string("status"));
            assertTrue(stream.object("usage").integer("output_tokens") > 0);

            assertTrue(out.object("items").string("text").startsWith("MOCK REPLY to: items second question"));
            Set<String> items = g.sessionsOf("items first question");
            assertEquals(1, items.size());
            assertEquals(items, g.sessionsOf("items second question"), "re-sent items continued the session");

            JsonObject errors = out.object("errors");
            assertEquals(404, errors.object("storeFalse").integer("status"));
            assertEquals(404, errors.object("unknown").integer("status"));
            assertEquals("previous_response_not_found", errors.object("unknown").string("code"));
            assertEquals(400, errors.object("badItem").integer("status"));
            assertTrue(errors.object("badItem").string("message").contains("input[0].content[0].type"));
        }
    }
}
