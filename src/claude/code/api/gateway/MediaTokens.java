package claude.code.api.gateway;

import claude.code.api.events.DocumentBlock;
import claude.code.api.events.ImageBlock;
import claude.code.api.events.MediaCheck;
import java.nio.charset.StandardCharsets;

/**
 * What {@code count_tokens} counts for an image or a document, by the Messages API's rules of thumb:
 * an image costs about {@code width * height / 750} tokens, after the API's own downscaling (the
 * long edge to at most 1568 px and at most 1.15 megapixels); a PDF about 1,500 tokens per page
 * (pages counted by their {@code /Type /Page} objects) plus its text; a plain-text document as text.
 * Estimates, like the text count next to them; an image whose size cannot be read counts as the largest one (1,600 tokens).
 */
final class MediaTokens {
    static final int MAX_EDGE = 1568;
    static final long MAX_PIXELS = 1_150_000;
    static final long UNKNOWN_IMAGE = 1_600;
    static final long PER_PDF_PAGE = 1_500;

    private MediaTokens() {}

    static long image(ImageBlock block) {
        byte[] bytes;
        try {
            bytes = MediaCheck.decode(block, "image");
        } catch (IllegalArgumentException e) {
            return UNKNOWN_IMAGE; // a url source: not fetched
        }
        int[] size = size(bytes);
        if (size == null) {
            return UNKNOWN_IMAGE;
        }
        double w = size[0], h = size[1];
        double scale = Math.min(1, Math.min(MAX_EDGE / Math.max(w, h), Math.sqrt(MAX_PIXELS / (w * h))));
        long tokens = (long) ((Math.floor(w * scale) * Math.floor(h * scale)) / 750);
        return Math.max(1, tokens);
    }

    static long document(DocumentBlock block) {
        if (block.source() instanceof claude.code.api.events.MediaSource.Text t) { // counted as text is
            return Math.max(1, (t.data().getBytes(StandardCharsets.UTF_8).length + 3) / 4);
        }
        byte[] bytes;
        try {
            bytes = MediaCheck.decode(block, "document");
        } catch (IllegalArgumentException e) {
            return PER_PDF_PAGE;
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int pages = 0;
        for (int at = text.indexOf("/Type"); at >= 0; at = text.indexOf("/Type", at + 5)) {
            int i = at + 5;
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\n' || text.charAt(i) == '\r')) i++;
            if (text.startsWith("/Page", i) && (i + 5 >= text.length() || !Character.isLetter(text.charAt(i + 5)))) {
                pages++;
            }
        }
        return Math.max(1, pages) * PER_PDF_PAGE;
    }

    /** {width, height} from a PNG, GIF, JPEG or WebP header, or {@code null}. */
    static int[] size(byte[] b) {
        if (b.length >= 24 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return new int[] {be32(b, 16), be32(b, 20)};
        }
        if (b.length >= 10 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
            return new int[] {(b[6] & 0xFF) | (b[7] & 0xFF) << 8, (b[8] & 0xFF) | (b[9] & 0xFF) << 8};
        }
        if (b.length >= 30 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E') {
            return webp(b);
        }
        if (b.length >= 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
            return jpeg(b);
        }
        return null;
    }

    private static int[] webp(byte[] b) {
        String chunk = new String(b, 12, 4, StandardCharsets.ISO_8859_1);
        return switch (chunk) {
            case "VP8 " -> new int[] {((b[26] & 0xFF) | (b[27] & 0xFF) << 8) & 0x3FFF, ((b[28] & 0xFF) | (b[29] & 0xFF) << 8) & 0x3FFF};
            case "VP8L" -> {
                int bits = (b[21] & 0xFF) | (b[22] & 0xFF) << 8 | (b[23] & 0xFF) << 16 | (b[24] & 0xFF) << 24;
                yield new int[] {(bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1};
            }
            case "VP8X" -> new int[] {1 + ((b[24] & 0xFF) | (b[25] & 0xFF) << 8 | (b[26] & 0xFF) << 16),
                    1 + ((b[27] & 0xFF) | (b[28] & 0xFF) << 8 | (b[29] & 0xFF) << 16)};
            default -> null;
        };
    }

    private static int[] jpeg(byte[] b) {
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = b[i + 1] & 0xFF;
            int length = (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame) {
                return new int[] {(b[i + 7] & 0xFF) << 8 | (b[i + 8] & 0xFF), (b[i + 5] & 0xFF) << 8 | (b[i + 6] & 0xFF)};
            }
            i += 2 + length;
        }
        return null;
    }

    private static int be32(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
