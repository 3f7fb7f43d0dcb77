package claude.code.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.ToolResultBlock;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.mcp.ToolResult;
import claude.code.api.session.RequestAmendment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A client's tool result as the MCP result the CLI's held call gets; a document as a marker the relay replaces. */
class ClientToolResultsTest {
    static final JsonObject PDF = (JsonObject) Json.parse("{\"type\":\"document\",\"source\":{\"type\":\"base64\","
            + "\"media_type\":\"application/pdf\",\"data\":\"JVBERi0xLjQK\"}}");

    static ToolResultBlock result(String... blocks) {
        return new ToolResultBlock("toolu_1", (JsonArray) Json.parse("[" + String.join(",", blocks) + "]"), null);
    }

    @Test
    void aDocumentBecomesTheTextOfAMarkerThatTheRelayReplacesByIt() {
        DocumentMarkers markers = new DocumentMarkers();
        ToolResult r = ClientToolResults.of(result("{\"type\":\"text\",\"text\":\"the file:\"}", Json.write(PDF)),
                "messages[2].content[0]", markers);
        assertEquals(2, r.content().size());
        assertEquals(new ToolResult.Content.Text("the file:"), r.content().get(0));
        String marker = ((ToolResult.Content.Text) r.content().get(1)).text();
        assertTrue(marker.matches("doc-[0-9a-f]{32}"), marker);
        assertEquals(List.of(new RequestAmendment.PlaceAtMarker(marker, PDF)), markers.amendments());
    }

    @Test
    void withoutTheRelayADocumentIsRefusedNamingTheBlockAndWhatWouldCarryIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientToolResults.of(result(Json.write(PDF)), "messages[2].content[0]", null));
        assertTrue(e.getMessage().startsWith("messages[2].content[0].content[0]: document blocks cannot be typed into "
                + "the Claude Code CLI"), e.getMessage());
        assertTrue(e.getMessage().contains("through the model-API relay"), e.getMessage());
    }

    @Test
    void aDocumentInAResultKeepsTheRulesOfADocument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientToolResults.of(
                result("{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/zip\","
                        + "\"data\":\"AA==\"}}"), "messages[2].content[0]", new DocumentMarkers()));
        assertTrue(e.getMessage().startsWith("messages[2].content[0].content[0].source.media_type: unsupported media "
                + "type \"application/zip\""), e.getMessage());
    }
}
