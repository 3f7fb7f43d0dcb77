package claude.code.api.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MediaCheckTest {
    static String image(String mediaType, String data) {
        return "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"" + mediaType + "\",\"data\":\"" + data + "\"}}";
    }

    static String error(String blocks) {
        return MessageTest.error("[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}," + blocks + "]}]");
    }

    @Test
    void everyImageMediaTypeOfTheApiAndPdfDocumentsAreAccepted() {
        byte[] bytes = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff};
        String data = Base64.getEncoder().encodeToString(bytes);
        for (String type : new String[] {"image/png", "image/jpeg", "image/gif", "image/webp"}) {
            Message m = Message.fromJson(Json.parse("{\"role\":\"user\",\"content\":[" + image(type, data) + "]}"), 0);
            assertArrayEquals(bytes, MediaCheck.decode(m.content().get(0), "here"), type);
        }
        Message pdf = Message.fromJson(Json.parse("{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":"
                + "{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"" + data + "\"}}]}"), 0);
        assertEquals(new DocumentBlock(new MediaSource.Base64("application/pdf", data)), pdf.content().get(0));
    }

    @Test
    void anUnknownMediaTypeNamesTheMessageAndBlock() {
        assertEquals("messages[2].content[1].source.media_type: unsupported media type \"image/tiff\""
                + " (supported: image/png, image/jpeg, image/gif, image/webp)", error(image("image/tiff", "AA==")));
        assertTrue(error("{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"AA==\"}}")
                .startsWith("messages[2].content[1].source.media_type: unsupported media type \"image/png\" (supported: application/pdf)"));
    }

    @Test
    void invalidBase64NamesTheByteOffset() {
        assertEquals("messages[2].content[1].source.data: invalid base64 at byte offset 5", error(image("image/png", "AAAAA-AA")));
        assertEquals("messages[2].content[1].source.data: invalid base64 at byte offset 1", error(image("image/png", "A=AA")));
        assertEquals("messages[2].content[1].source.data: invalid base64 at byte offset 6 (truncated: the length is not a multiple of 4)",
                error(image("image/png", "AAAAAA")));
    }

    @Test
    void anImageOverFiveMegabytesIsRefused() {
        String data = Base64.getEncoder().encodeToString(new byte[MediaSource.MAX_IMAGE_BYTES + 1]);
        assertEquals("messages[2].content[1].source.data: image exceeds 5 MB maximum: 5242881 bytes > 5242880 bytes",
                error(image("image/png", data)));
    }

    @Test
    void aUrlSourceIsRefusedSayingNoNetworkIsAssumed() {
        String e = error("{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/cat.png\"}}");
        assertTrue(e.startsWith("messages[2].content[1].source: a url source is not supported: no network is assumed"), e);
    }

    @Test
    void mediaBlocksCannotBeInAnAssistantMessage() {
        assertEquals("messages[0].content[0].type: an image block cannot be in an assistant message",
                MessageTest.error("[{\"role\":\"assistant\",\"content\":[" + image("image/png", "AA==") + "]}]"));
    }

    @Test
    void aPlainTextDocumentIsReadWithItsTextSource() {
        Message m = Message.fromJson(Json.parse("{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":"
                + "{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":\"a note\"}}]}"), 0);
        assertEquals(new DocumentBlock(new MediaSource.Text("text/plain", "a note")), m.content().get(0));
        assertEquals("{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":"
                + "\"a note\"}}", Json.write(m.content().get(0).toJson()));
    }

    @Test
    void aTextSourceOfAnotherMediaTypeOrForAnImageIsRefused() {
        assertEquals("messages[2].content[1].source.media_type: unsupported media type \"text/html\" for a text source "
                + "(supported: text/plain)", error("{\"type\":\"document\",\"source\":{\"type\":\"text\","
                + "\"media_type\":\"text/html\",\"data\":\"<b>\"}}"));
        assertEquals("messages[2].content[1].source.type: an image source must be base64 (a text source is for documents)",
                error("{\"type\":\"image\",\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":\"x\"}}"));
    }

    @Test
    void aDocumentsTitleAndContextAreKept() {
        String json = "{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":"
                + "\"a note\"},\"title\":\"Note\",\"context\":\"from the desk\"}";
        ContentBlock block = ContentBlock.fromJson((claude.code.api.json.JsonObject) Json.parse(json));
        assertEquals(new DocumentBlock(new MediaSource.Text("text/plain", "a note"), "Note", "from the desk"), block);
        assertEquals(json, Json.write(block.toJson()));
    }
}
