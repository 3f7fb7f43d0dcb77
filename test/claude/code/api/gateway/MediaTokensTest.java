package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import claude.code.api.events.DocumentBlock;
import claude.code.api.events.ImageBlock;
import claude.code.api.events.MediaSource;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MediaTokensTest {
    static byte[] encode(String format, int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), format, out);
        return out.toByteArray();
    }

    static ImageBlock image(String mediaType, byte[] bytes) {
        return new ImageBlock(new MediaSource.Base64(mediaType, Base64.getEncoder().encodeToString(bytes)));
    }

    @Test
    void theSizeIsReadFromPngGifAndJpegHeaders() throws IOException {
        assertArrayEquals(new int[] {321, 123}, MediaTokens.size(encode("png", 321, 123)));
        assertArrayEquals(new int[] {321, 123}, MediaTokens.size(encode("gif", 321, 123)));
        assertArrayEquals(new int[] {321, 123}, MediaTokens.size(encode("jpg", 321, 123)));
        assertNull(MediaTokens.size(new byte[] {1, 2, 3}));
    }

    @Test
    void theSizeIsReadFromALosslessWebpHeader() {
        // RIFF....WEBPVP8L, length, signature 0x2f, then 14 bits width-1 and 14 bits height-1
        int bits = (400 - 1) | (300 - 1) << 14;
        byte[] b = new byte[30];
        System.arraycopy("RIFF\0\0\0\0WEBPVP8L".getBytes(StandardCharsets.ISO_8859_1), 0, b, 0, 16);
        b[20] = 0x2f;
        b[21] = (byte) bits;
        b[22] = (byte) (bits >>> 8);
        b[23] = (byte) (bits >>> 16);
        b[24] = (byte) (bits >>> 24);
        assertArrayEquals(new int[] {400, 300}, MediaTokens.size(b));
    }

    @Test
    void anImageCostsWidthTimesHeightOver750() throws IOException {
        assertEquals(1000L * 1000 / 750, MediaTokens.image(image("image/png", encode("png", 1000, 1000))));
    }

    @Test
    void aLargeImageIsCountedAtTheSizeTheApiScalesItTo() throws IOException {
        // 3000x2000 is scaled to at most 1.15 megapixels first (1313x875), under the 1568 px edge
        long tokens = MediaTokens.image(image("image/png", encode("png", 3000, 2000)));
        assertEquals(1313L * 875 / 750, tokens);
    }

    @Test
    void aPdfCostsFifteenHundredTokensAPage() {
        String pdf = "%PDF-1.4\n1 0 obj <</Type /Pages /Kids [2 0 R 3 0 R]>>\n2 0 obj <</Type /Page>>\n3 0 obj <</Type/Page>>\n";
        assertEquals(3000, MediaTokens.document(new DocumentBlock(new MediaSource.Base64("application/pdf",
                Base64.getEncoder().encodeToString(pdf.getBytes(StandardCharsets.ISO_8859_1))))));
    }
}
