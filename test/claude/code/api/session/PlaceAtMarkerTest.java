package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A client's document put where the typed prompt (or a tool result) carries its marker (docs/CLI-BEHAVIOUR.md#relay-pdfs). */
class PlaceAtMarkerTest {
    static final String MARK = "doc-0123456789abcdef0123456789abcdef";
    static final String OTHER = "doc-fedcba9876543210fedcba9876543210";
    static final JsonObject PDF = json("{\"type\":\"document\",\"source\":{\"type\":\"base64\","
            + "\"media_type\":\"application/pdf\",\"data\":\"JVBERi0xLjQK\"}}");
    static final JsonObject NOTE = json("{\"type\":\"document\",\"source\":{\"type\":\"text\","
            + "\"media_type\":\"text/plain\",\"data\":\"a note\"}}");

    static JsonObject json(String s) {
        return (JsonObject) Json.parse(s);
    }

    static JsonObject request(String... messages) {
        return json("{\"model\":\"m\",\"messages\":[" + String.join(",", messages) + "],\"stream\":true}");
    }

    static RequestAmendment place(String marker, JsonObject block) {
        return new RequestAmendment.PlaceAtMarker(marker, block);
    }

    static String messages(JsonObject request) {
        return Json.write(request.get("messages"));
    }

    @Test
    void aStringPromptIsCutAroundTheMarkerAndTheDocumentGoesBetween() {
        JsonObject out = place(MARK, PDF).apply(request(
                "{\"role\":\"user\",\"content\":\"read this\\n\\n" + MARK + "\\n\\nand sum it up\"}"));
        assertEquals("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"read this\"}," + Json.write(PDF)
                + ",{\"type\":\"text\",\"text\":\"and sum it up\"}]}]", messages(out));
    }

    @Test
    void aDocumentAloneIsTheMessagesOnlyBlock() {
        JsonObject out = place(MARK, PDF).apply(request("{\"role\":\"user\",\"content\":\"" + MARK + "\"}"));
        assertEquals("[{\"role\":\"user\",\"content\":[" + Json.write(PDF) + "]}]", messages(out));
    }

    @Test
    void blocksTheCliPutBesideTheTextStayWhereTheyAre() {
        JsonObject out = place(MARK, PDF).apply(request("{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":"
                + "{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBO\"}},{\"type\":\"text\",\"text\":\""
                + MARK + "\\n\\nwhat now\"}]}"));
        assertEquals("[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":"
                + "\"image/png\",\"data\":\"iVBO\"}}," + Json.write(PDF) + ",{\"type\":\"text\",\"text\":\"what now\"}]}]",
                messages(out));
    }

    @Test
    void theCacheBreakpointOfTheCutTextMovesToTheLastBlockInItsPlace() {
        JsonObject out = place(MARK, PDF).apply(request("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"see\\n\\n"
                + MARK + "\",\"cache_control\":{\"type\":\"ephemeral\"}}]}"));
        assertEquals("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"see\"},"
                + Json.write(PDF.with("cache_control", json("{\"type\":\"ephemeral\"}"))) + "]}]", messages(out));
    }

    @Test
    void twoDocumentsOfOneTextEachGoToTheirOwnMarkerInTheClientsOrder() {
        JsonObject in = request("{\"role\":\"user\",\"content\":\"one\\n\\n" + MARK + "\\n\\ntwo\\n\\n" + OTHER + "\"}");
        JsonObject out = place(OTHER, NOTE).apply(place(MARK, PDF).apply(in));
        assertEquals("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"one\"}," + Json.write(PDF)
                + ",{\"type\":\"text\",\"text\":\"two\"}," + Json.write(NOTE) + "]}]", messages(out));
    }

    @Test
    void theMarkerOfAnEarlierTurnIsReplacedInTheHistoryTheCliSendsAgain() {
        JsonObject out = place(MARK, PDF).apply(request("{\"role\":\"user\",\"content\":\"" + MARK + "\\n\\nread\"}",
                "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"done\"}]}",
                "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"and now?\"}]}"));
        assertEquals("[{\"role\":\"user\",\"content\":[" + Json.write(PDF) + ",{\"type\":\"text\",\"text\":\"read\"}]},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"done\"}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"and now?\"}]}]", messages(out));
    }

    @Test
    void aMarkerInAToolResultsTextBecomesTheDocumentInsideThatResult() {
        JsonObject out = place(MARK, PDF).apply(request("{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                + "\"tool_use_id\":\"toolu_1\",\"content\":[{\"type\":\"text\",\"text\":\"the file:\"},{\"type\":\"text\","
                + "\"text\":\"" + MARK + "\"}]}]}"));
        assertEquals("[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"the file:\"}," + Json.write(PDF) + "]}]}]", messages(out));
    }

    @Test
    void aToolResultOfAStringHoldingTheMarkerGetsBlocks() {
        JsonObject out = place(MARK, PDF).apply(request("{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                + "\"tool_use_id\":\"toolu_1\",\"content\":\"" + MARK + "\"}]}"));
        assertEquals("[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":"
                + "[" + Json.write(PDF) + "]}]}]", messages(out));
    }

    @Test
    void theAssistantsTextIsNeverTouched() {
        JsonObject in = request("{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"" + MARK + "\"}]}");
        assertSame(in, place(MARK, PDF).apply(in));
    }

    @Test
    void aRequestWithoutTheMarkerIsReturnedAsItIs() {
        JsonObject in = request("{\"role\":\"user\",\"content\":\"" + OTHER + "\"}");
        assertSame(in, place(MARK, PDF).apply(in));
    }

    @Test
    void aBlankMarkerIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> place(" ", PDF));
    }

    @Test
    void everyCallAmendmentsGrowPerTurnAndAllApplyToEachLaterCall() {
        MainCallAmendments amendments = new MainCallAmendments();
        amendments.everyCall(List.of(place(MARK, PDF)));
        amendments.newTurn();
        amendments.everyCall(List.of(place(OTHER, NOTE)));
        amendments.newTurn();
        byte[] sent = ("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + MARK + "\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}]},"
                + "{\"role\":\"user\",\"content\":\"" + OTHER + "\"}]}").getBytes(StandardCharsets.UTF_8);
        for (int call = 0; call < 2; call++) {
            String out = new String(amendments.forCall(sent), StandardCharsets.UTF_8);
            assertFalse(out.contains("doc-"), out);
            assertEquals("[{\"role\":\"user\",\"content\":[" + Json.write(PDF) + "]},{\"role\":\"assistant\",\"content\":"
                    + "[{\"type\":\"text\",\"text\":\"ok\"}]},{\"role\":\"user\",\"content\":[" + Json.write(NOTE) + "]}]",
                    Json.write(json(out).get("messages")));
        }
    }
}
