package claude.code.api.json;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A JSON parser with a nesting limit. {@link Json#parse} uses one with
 * {@value #DEFAULT_MAX_DEPTH}; make another for other limits. Thread-safe and reusable.
 */
public final class JsonParser {
    /** Nesting limit of {@link Json#parse}: deeper input is a {@link JsonParseException}. */
    public static final int DEFAULT_MAX_DEPTH = 1000;

    static final JsonParser DEFAULT = new JsonParser(DEFAULT_MAX_DEPTH);

    private final int maxDepth;

    private JsonParser(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    /** @throws IllegalArgumentException if {@code maxDepth < 1} */
    public static JsonParser withMaxDepth(int maxDepth) {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1, got " + maxDepth);
        }
        return new JsonParser(maxDepth);
    }

    public int maxDepth() {
        return maxDepth;
    }

    /** Parses UTF-8 bytes. @throws JsonParseException with a byte offset */
    public JsonValue parse(byte[] utf8) {
        return parse(utf8, 0, utf8.length);
    }

    /** Parses {@code length} UTF-8 bytes from {@code offset}; offsets in errors are relative to {@code offset}. */
    public JsonValue parse(byte[] utf8, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, utf8.length);
        return new Utf8Parser(utf8, offset, offset + length, maxDepth, null).parseDocument();
    }

    /** Parses a string. @throws JsonParseException with a char offset */
    public JsonValue parse(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    throw Utf8Parser.errorAt(text, i, String.format(
                            "unpaired surrogate U+%04X (not Unicode text; escape it as \\u%04X)", (int) c, (int) c));
                }
            }
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return new Utf8Parser(utf8, 0, utf8.length, maxDepth, text).parseDocument();
    }
}
