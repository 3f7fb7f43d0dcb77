package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.testing.RecordedRequest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Images from the official clients (test/resources/clients/media.cjs) through the gateway and the
 * real CLI to the mock Messages API: what the model receives. One run of the script serves every test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MediaRealCliTest {
    RealGateway g;
    JsonObject out;
    String a;
    String b;

    static final String PDF = Base64.getEncoder().encodeToString("%PDF-1.4\n1 0 obj <</Type /Page>> endobj\n%%EOF\n"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    Set<Path> storesBefore;

    static Set<Path> mediaStores() throws IOException {
        try (var entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("media-")).collect(java.util.stream.Collectors.toSet());
        }
    }

    @BeforeAll
    void run() throws IOException {
        storesBefore = mediaStores();
        a = png(300, 200, 0x336699);
        b = png(9, 9, 0x00ff00);
        String big = Base64.getEncoder().encodeToString(new byte[5 * 1024 * 1024 + 1]);
        Path images = Files.createTempFile("media-test", ".json");
        Path file = Files.createTempFile("client-named", ".png");
        Files.write(file, Base64.getDecoder().decode(b));
        g = RealGateway.start(c -> c);
        try {
            Files.writeString(images, Json.write(JsonObject.builder().put("a", a).put("b", b).put("big", big).put("path", file.toString())
                    .put("wide", flatPng(3000, 2000))
                    .put("pdf", PDF).build()));
            out = g.node("media.cjs", images.toString());
        } finally {
            Files.delete(images);
            Files.delete(file);
        }
    }

    /** Closing the gateway closes its backends, and each removes its media store with every file in it. */
    @AfterAll
    void stop() throws IOException {
        if (g != null) {
            g.close();
        }
        Set<Path> left = new java.util.HashSet<>(mediaStores());
        left.removeAll(storesBefore);
        assertEquals(Set.of(), left, "media stores left after the gateway closed");
    }

    /** One colour (a small file at any size), but for a stripe, so it is not trivially compressible to nothing. */
    static String flatPng(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            image.setRGB(x, 0, 0xff0000);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    static String png(int width, int height, int rgb) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, rgb ^ (x * 7 + y * 13));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** The blocks of the user message holding {@code marker} in the first main-loop request whose typed prompt holds it. */
    List<JsonObject> userBlocks(String marker) {
        RecordedRequest request = g.api.mainLoopRequests().stream().filter(r -> r.promptText().contains(marker))
                .findFirst().orElseThrow(() -> new AssertionError("no request with " + marker));
        return userBlocks(request, marker);
    }

    static List<JsonObject> userBlocks(RecordedRequest request, String marker) {
        for (JsonObject m : request.messages()) {
            if (m.string("role").equals("user") && m.get("content") instanceof JsonArray blocks
                    && Json.write(blocks).contains(marker)) {
                return blocks.stream().map(v -> (JsonObject) v).toList();
            }
        }
        throw new AssertionError("no user message with " + marker + " in " + request.messages());
    }

    /** The image data and the index of each image block, then of the first block whose text holds {@code marker}. */
    static List<String> shape(List<JsonObject> blocks, String marker) {
        return blocks.stream().map(x -> switch (x.string("type")) {
            case "image" -> "image:" + x.object("source").string("media_type") + ":" + x.object("source").string("data");
            case "text" -> x.string("text").contains(marker) ? "text:" + marker : "other-text";
            default -> x.string("type");
        }).filter(s -> !s.equals("other-text")).toList();
    }

    @Test
    void anImageInTheLastMessageReachesTheModelByteIdenticalBeforeTheText() {
        assertEquals(List.of("image:image/png:" + a, "text:IMAGE-LAST"), shape(userBlocks("IMAGE-LAST"), "IMAGE-LAST"));
        assertTrue(GatewayRealCliTest.text(out.object("last")).startsWith("MOCK REPLY to:"), out.object("last").toString());
    }

    @Test
    void twoImagesAroundTextArriveInTheirOrderAheadOfAllText() {
        assertEquals(List.of("image:image/png:" + a, "image:image/png:" + b, "text:TWO-IMAGES"),
                shape(userBlocks("TWO-IMAGES"), "TWO-IMAGES"));
    }

    @Test
    void anImageEarlierInTheHistoryOfANewConversationIsSeededAndSentToTheModel() {
        RecordedRequest request = g.api.mainLoopRequests().stream().filter(r -> r.promptText().contains("SEEDED-FOLLOW-UP"))
                .findFirst().orElseThrow();
        assertEquals(List.of("image:image/png:" + b, "text:IMAGE-SEEDED"),
                shape(userBlocks(request, "IMAGE-SEEDED"), "IMAGE-SEEDED"));
    }

    @Test
    void aPdfEarlierInTheHistoryOfANewConversationReachesTheModelAsADocumentBlock() {
        RecordedRequest request = g.api.mainLoopRequests().stream().filter(r -> r.promptText().contains("PDF-FOLLOW-UP"))
                .findFirst().orElseThrow();
        List<JsonObject> blocks = userBlocks(request, "PDF-SEEDED");
        assertEquals("document", blocks.getFirst().string("type"), blocks.toString());
        assertEquals(PDF, blocks.getFirst().object("source").string("data"));
    }

    @Test
    void anOpenAiDataUrlImageReachesTheModelAsTheSameBase64() {
        assertEquals(List.of("image:image/png:" + a, "text:OPENAI-DATA-URL"),
                shape(userBlocks("OPENAI-DATA-URL"), "OPENAI-DATA-URL"));
    }

    @Test
    void aClientThatEchoesTheImageFindsItsSessionAgain() {
        Set<String> first = g.sessionsOf("IMAGE-LAST");
        assertEquals(1, first.size());
        assertEquals(first, g.sessionsOf("ECHO-FOLLOW-UP"), "the follow-up echoing the image ran on the same CLI session");
    }

    @Test
    void anImageWiderThan2000PixelsArrivesDownscaledByTheCli() throws IOException {
        JsonObject image = userBlocks("WIDE-IMAGE").stream().filter(x -> x.string("type").equals("image")).findFirst()
                .orElseThrow(() -> new AssertionError("no image block: " + g.api.mainLoopRequests().stream()
                        .filter(r -> r.promptText().contains("WIDE-IMAGE")).findFirst().orElseThrow().messages().stream()
                        .map(m -> Json.write(m).replaceAll("[A-Za-z0-9+/=]{200,}", "<b64>")).filter(m -> !m.contains("\"system\""))
                        .toList()));
        BufferedImage received = ImageIO.read(new java.io.ByteArrayInputStream(
                Base64.getDecoder().decode(image.object("source").string("data"))));
        assertEquals(List.of(2000, 1333), List.of(received.getWidth(), received.getHeight()),
                "the CLI's resize limit (docs/CLI-BEHAVIOUR.md#images)");
    }

    @Test
    void anImagePathInTheClientsTextIsNeverAttached() {
        RecordedRequest request = g.api.mainLoopRequests().stream().filter(r -> r.promptText().contains("CLIENT-PATH"))
                .findFirst().orElseThrow();
        String last = Json.write(request.lastUserMessage().orElseThrow());
        assertTrue(!last.contains("\"image\"") && !last.contains("[Image"), last);
    }

    @Test
    void countTokensCountsAnImageByItsPixels() {
        long withImage = out.object("countTokens").integer("input_tokens");
        long textOnly = out.object("countTokensText").integer("input_tokens");
        assertEquals(300 * 200 / 750, withImage - textOnly, out.toString());
    }

    @Test
    void badMediaIsRefusedAsTheApiDoesNamingTheBlock() {
        JsonObject errors = out.object("errors");
        assertError(errors.object("mediaType"), "messages[0].content[1].source.media_type: unsupported media type \"image/bmp\"");
        assertError(errors.object("base64"), "messages[0].content[1].source.data: invalid base64 at byte offset 4");
        assertError(errors.object("oversize"), "messages[0].content[1].source.data: image exceeds 5 MB maximum");
        assertError(errors.object("pdfBase64"), "messages[0].content[1].source.data: invalid base64 at byte offset 4");
    }

    static void assertError(JsonObject error, String start) {
        assertEquals(400, error.integer("status"), error.toString());
        assertEquals("invalid_request_error", error.string("type"));
        assertTrue(error.string("message").startsWith(start), error.string("message"));
    }
}
