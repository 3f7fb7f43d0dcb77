package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonBool;
import claude.code.api.json.JsonObject;
import claude.code.api.testing.RecordedRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Responses API end to end: the official OpenAI SDK against the gateway on the real CLI and the mock. */
class ResponsesRealCliTest {
    @Test
    void theOpenAiSdkHoldsResponsesConversationsOnOneCliSessionEach() throws IOException {
        try (RealGateway g = RealGateway.start(c -> c.pingInterval(Duration.ofMillis(200)))) {
            String png = MediaRealCliTest.png(5, 4, 0x3366cc);
            JsonObject out = g.node("openai-responses.cjs", png, MediaRealCliTest.PDF);
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

            JsonObject echo = out.object("echo");
            assertEquals("You answer briefly.", echo.string("instructions"));
            assertEquals(Json.parse("0.3"), echo.get("temperature"));
            assertEquals("echo", echo.object("metadata").string("case"));
            assertEquals("none", echo.string("tool_choice"));
            assertEquals(JsonBool.FALSE, echo.get("parallel_tool_calls"));

            List<JsonObject> listed = ((JsonArray) out.get("inputItems")).stream().map(v -> (JsonObject) v).toList();
            assertEquals(List.of("user", "assistant", "user"), listed.stream().map(i -> i.string("role")).toList(),
                    "the SDK paged through the three input items one at a time, in order");
            assertEquals("items second question", listed.get(2).string("text"));
            assertEquals(3, listed.stream().map(i -> i.string("id")).distinct().count());

            RecordedRequest imageTurn = g.api.mainLoopRequests().stream()
                    .filter(r -> r.promptText().contains("responses image question")).findFirst().orElseThrow();
            assertEquals(List.of("image:image/png:" + png, "text:responses image question"), MediaRealCliTest.shape(
                    MediaRealCliTest.userBlocks(imageTurn, "responses image question"), "responses image question"),
                    "the input_image reached the model as an image block of the same bytes");
            assertTrue(out.object("image").string("text").startsWith("MOCK REPLY to:"), out.object("image").toString());
            assertEquals(Json.parse("[\"input_image\",\"input_text\"]"), out.object("image").get("listedParts"));

            RecordedRequest pdfTurn = g.api.mainLoopRequests().stream()
                    .filter(r -> r.promptText().contains("responses pdf follow-up")).findFirst().orElseThrow();
            List<JsonObject> seeded = MediaRealCliTest.userBlocks(pdfTurn, "responses pdf seeded");
            assertEquals("document", seeded.getFirst().string("type"), seeded.toString());
            assertEquals(MediaRealCliTest.PDF, seeded.getFirst().object("source").string("data"),
                    "a PDF earlier in the history was seeded and sent to the model as a document block");

            JsonObject errors = out.object("errors");
            assertEquals(404, errors.object("storeFalse").integer("status"));
            assertEquals(404, errors.object("unknown").integer("status"));
            assertEquals("previous_response_not_found", errors.object("unknown").string("code"));
            assertEquals(400, errors.object("badItem").integer("status"));
            assertTrue(errors.object("badItem").string("message").contains("input[0].content[0].image_url: a data URL must be"),
                    errors.object("badItem").string("message"));
            assertEquals(400, errors.object("fileId").integer("status"));
            assertTrue(errors.object("fileId").string("message").contains("input[0].content[0].file_id: no file with id"));
            assertEquals(404, errors.object("unknownItems").integer("status"));
        }
    }
}
