package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.testing.KeywordResponder;
import claude.code.api.testing.MockReply;
import claude.code.api.testing.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * PDFs in the new user turn from the official clients (test/resources/clients/documents.cjs) through the gateway and
 * the real CLI to the mock Messages API: the relay puts each document block where the client put it, in place of the
 * marker typed for it, in that turn's request and in every later one (docs/CLI-BEHAVIOUR.md#relay-pdfs). One run of
 * the script serves every test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(420)
class DocumentsRealCliTest {
    static final String A = pdf("first");
    static final String B = pdf("second");
    /** The markers the backend types: none may reach the model or the client. */
    static final Pattern MARKER = Pattern.compile("doc-[0-9a-f]{32}");
    static final KeywordResponder KEYWORDS = new KeywordResponder();

    RealGateway g;
    JsonObject out;

    static String pdf(String text) {
        return Base64.getEncoder().encodeToString(("%PDF-1.4\n1 0 obj <</Type /Page>> endobj\n% " + text + "\n%%EOF\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** A tool call for "call the reader", an answer once its result came, else the keyword mock's echo. */
    static MockReply reply(RecordedRequest request) {
        if (!request.toolResults().isEmpty()) {
            return MockReply.text("read the tool's file");
        }
        if (request.promptText().contains("call the reader")) {
            return new MockReply.Message(List.of(new MockReply.ToolUse("toolu_doc_reader", "mcp__c__readFile",
                    JsonObject.builder().put("path", "/a.pdf").build())), "tool_use", Duration.ZERO, null);
        }
        return KEYWORDS.apply(request);
    }

    @BeforeAll
    void run() throws IOException {
        Path pdfs = Files.createTempFile("documents-test", ".json");
        g = RealGateway.start(c -> c, b -> b, DocumentsRealCliTest::reply);
        try {
            Files.writeString(pdfs, Json.write(JsonObject.builder().put("a", A).put("b", B).build()));
            out = g.node("documents.cjs", pdfs.toString());
        } finally {
            Files.delete(pdfs);
        }
    }

    @AfterAll
    void stop() {
        if (g != null) {
            g.close();
        }
    }

    RecordedRequest requestOf(String tag) {
        return g.api.mainLoopRequests().stream().filter(r -> r.promptText().contains(tag)).findFirst()
                .orElseThrow(() -> new AssertionError("no main-loop request with " + tag));
    }

    /**
     * The user message of {@code request} holding {@code tag}, as "document:<data>" and "text:<text>" per block
     * (the CLI's own reminder blocks left out).
     */
    static List<String> shape(RecordedRequest request, String tag) {
        for (JsonObject m : request.messages()) {
            if (m.string("role").equals("user") && Json.write(m.get("content")).contains(tag)) {
                return shape(m.get("content"));
            }
        }
        throw new AssertionError("no user message with " + tag + " in " + request.messages());
    }

    static List<String> shape(Object content) {
        if (content instanceof JsonString s) {
            return List.of("text:" + s.value());
        }
        return ((JsonArray) content).stream().map(v -> (JsonObject) v).map(b -> switch (b.string("type")) {
            case "document" -> "document:" + b.object("source").string("media_type") + ":" + b.object("source").string("data")
                    + (b.has("title") ? " title=" + b.string("title") : "") + (b.has("context") ? " context=" + b.string("context") : "");
            case "text" -> "text:" + b.string("text");
            default -> b.string("type");
        }).filter(s -> !s.startsWith("text:<system-reminder>")).toList();
    }

    @Test
    void aPdfBetweenTwoTextsReachesTheModelAsTheSameDocumentBlockInTheClientsPlace() {
        assertEquals(List.of("text:read this", "document:application/pdf:" + A, "text:DOC-TURN and sum it up"),
                shape(requestOf("DOC-TURN"), "DOC-TURN"));
        assertTrue(GatewayRealCliTest.text(out.object("turn")).startsWith("MOCK REPLY to:"), out.object("turn").toString());
    }

    @Test
    void theNextTurnsRequestHoldsTheDocumentInItsHistoryOnTheSameSession() {
        RecordedRequest next = requestOf("DOC-NEXT");
        assertEquals(List.of("text:read this", "document:application/pdf:" + A, "text:DOC-TURN and sum it up"),
                shape(next, "DOC-TURN"));
        assertEquals(g.sessionsOf("DOC-TURN"), g.sessionsOf("DOC-NEXT"),
                "the client echoing the document found its session again");
        assertEquals(1, g.sessionsOf("DOC-NEXT").size());
    }

    @Test
    void twoDocumentsOfOneTurnKeepTheirOrderAroundTheTextAndTheirTitleAndContext() {
        assertEquals(List.of("document:application/pdf:" + A, "text:DOC-TWO compare with",
                "document:application/pdf:" + B + " title=Second context=for comparison"),
                shape(requestOf("DOC-TWO"), "DOC-TWO"));
    }

    @Test
    void aPlainTextDocumentReachesTheModelWithItsTextSource() {
        assertEquals(List.of("document:text/plain:a plain note\nof two lines", "text:DOC-TEXT what does the note say?"),
                shape(requestOf("DOC-TEXT"), "DOC-TEXT"));
    }

    @Test
    void anOpenAiChatFilePartReachesTheModelAsADocumentBlock() {
        assertEquals(List.of("document:application/pdf:" + A, "text:DOC-CHAT read the file"),
                shape(requestOf("DOC-CHAT"), "DOC-CHAT"));
    }

    @Test
    void aResponsesInputFileInTheNewTurnReachesTheModelAsADocumentBlock() {
        assertEquals(List.of("text:DOC-RESPONSES read the file", "document:application/pdf:" + B),
                shape(requestOf("DOC-RESPONSES"), "DOC-RESPONSES"));
        assertEquals("completed", out.object("responses").string("status"), out.object("responses").toString());
    }

    @Test
    void aDocumentInAClientToolsResultReachesTheModelInsideThatResult() {
        assertEquals("tool_use", out.object("toolCall").string("stop"), out.toString());
        RecordedRequest continuation = g.api.mainLoopRequests().stream().filter(r -> !r.toolResults().isEmpty())
                .filter(r -> r.promptText().contains("DOC-TOOL")).findFirst()
                .orElseThrow(() -> new AssertionError("no continuation with the tool's result"));
        JsonObject result = continuation.toolResults().getFirst();
        assertEquals("toolu_doc_reader", result.string("tool_use_id"));
        assertEquals(List.of("text:the file:", "document:application/pdf:" + B), shape(result.get("content")));
        assertEquals("read the tool's file", GatewayRealCliTest.text(out.object("toolAnswer")));
    }

    @Test
    void noMarkerIsLeftInAnyRequestNorInAnyAnswer() {
        for (RecordedRequest r : g.api.requests()) {
            String body = Json.write(r.body());
            assertFalse(MARKER.matcher(body).find(), () -> "a marker in " + r.path() + ": " + r.messages().stream()
                    .filter(m -> !"system".equals(m.string("role", null))).map(Json::write).toList());
        }
        assertFalse(MARKER.matcher(Json.write(out)).find(), Json.write(out));
    }
}
