package claude.code.api.json;

import static claude.code.api.json.Swar.BACKSLASHES;
import static claude.code.api.json.Swar.HIGHS;
import static claude.code.api.json.Swar.LONGS;
import static claude.code.api.json.Swar.ONES;
import static claude.code.api.json.Swar.QUOTES;
import static claude.code.api.json.Swar.SPACES;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One parse of UTF-8 bytes. Iterative: open containers live on an explicit stack of frames, so
 * the nesting limit, not the Java stack, bounds depth.
 *
 * <p>Hot paths (measured by {@code make bench}, {@code json_parse_ratio}): strings are scanned eight
 * bytes at a time for a quote, a backslash, a control or a non-ASCII byte; plain ASCII strings are
 * cut straight from the input; ASCII strings with escapes are unescaped into a byte buffer in bulk
 * runs; strings with non-ASCII text are decoded once into chars (ASCII runs widened in bulk, the
 * common 2- and 3-byte forms validated in straight-line code). Short ASCII member names come from
 * a small shared cache, and 0..999 from a table of numbers, instead of new objects each time.
 */
final class Utf8Parser {
    /** Member names: a racy cache is fine, strings are immutable and safely published. */
    private static final int KEY_CACHE_SIZE = 1024;
    private static final int KEY_MAX = 32;
    private static final String[] KEY_CACHE = new String[KEY_CACHE_SIZE];
    /** 0..999 as parsed (no sign, fraction or exponent), shared: numbers are immutable. */
    private static final JsonNumber[] SMALL_NUMBERS = new JsonNumber[1000];

    static {
        for (int i = 0; i < SMALL_NUMBERS.length; i++) {
            SMALL_NUMBERS[i] = new JsonNumber(Integer.toString(i));
        }
    }

    /**
     * The string buffers of one parse, kept for the next (as Jackson recycles its buffers): long
     * strings would otherwise grow fresh buffers by doubling in every document. Whoever takes them
     * owns them until the parse ends; buffers grown beyond {@link #KEEP_MAX} are dropped.
     */
    private static final class Buffers {
        char[] chars;
        byte[] bytes;
    }

    private static final AtomicReference<Buffers> SPARE = new AtomicReference<>();
    private static final int KEEP_MAX = 1 << 20;

    private final byte[] in;
    private final int start;
    private final int end;
    private final int maxDepth;
    private final String sourceText; // non-null when parsing a String: errors then count chars
    private int pos;
    private char[] chars;
    private byte[] bytes;

    /** An open array or object. */
    private static final class Frame {
        final Frame parent;
        final ArrayList<JsonValue> elements;
        final JsonMembers.Builder members;
        String name;

        Frame(Frame parent, boolean object) {
            this.parent = parent;
            this.elements = object ? null : new ArrayList<>();
            this.members = object ? new JsonMembers.Builder() : null;
        }
    }

    Utf8Parser(byte[] in, int start, int end, int maxDepth, String sourceText) {
        this.in = in;
        this.start = start;
        this.end = end;
        this.maxDepth = maxDepth;
        this.sourceText = sourceText;
        this.pos = start;
    }

    JsonValue parseDocument() {
        Buffers kept = SPARE.getAndSet(null);
        if (kept != null) {
            chars = kept.chars;
            bytes = kept.bytes;
        } else {
            kept = new Buffers();
        }
        try {
            JsonValue value = parseValue();
            skipWhitespace();
            if (pos < end) {
                throw error("unexpected " + describe(pos) + " after the JSON value");
            }
            return value;
        } finally {
            if ((chars == null || chars.length <= KEEP_MAX) && (bytes == null || bytes.length <= KEEP_MAX)) {
                kept.chars = chars;
                kept.bytes = bytes;
                SPARE.set(kept);
            }
        }
    }

    private JsonValue parseValue() {
        Frame top = null;
        int depth = 0;
        while (true) {
            skipWhitespace();
            if (pos >= end) {
                throw error(top == null ? "empty input: expected a JSON value" : "unexpected end of input: expected a value");
            }
            JsonValue value;
            switch (in[pos]) {
                case '{' -> {
                    if (depth == maxDepth) {
                        throw error("nesting deeper than " + maxDepth + " levels");
                    }
                    pos++;
                    skipWhitespace();
                    if (pos < end && in[pos] == '}') {
                        pos++;
                        value = JsonObject.EMPTY;
                    } else {
                        depth++;
                        top = new Frame(top, true);
                        top.name = parseMemberName();
                        continue;
                    }
                }
                case '[' -> {
                    if (depth == maxDepth) {
                        throw error("nesting deeper than " + maxDepth + " levels");
                    }
                    pos++;
                    skipWhitespace();
                    if (pos < end && in[pos] == ']') {
                        pos++;
                        value = JsonArray.EMPTY;
                    } else {
                        depth++;
                        top = new Frame(top, false);
                        continue;
                    }
                }
                case '"' -> value = new JsonString(parseString());
                case 't' -> value = literal("true", JsonBool.TRUE);
                case 'f' -> value = literal("false", JsonBool.FALSE);
                case 'n' -> value = literal("null", JsonNull.INSTANCE);
                case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> value = parseNumber();
                default -> throw error("unexpected " + describe(pos) + ": expected a value");
            }
            // Attach the value to the open container; close every container that ends here.
            while (true) {
                if (top == null) {
                    return value;
                }
                boolean inObject = top.members != null;
                if (inObject) {
                    top.members.put(top.name, value);
                } else {
                    top.elements.add(value);
                }
                skipWhitespace();
                if (pos >= end) {
                    throw error("unexpected end of input: expected ',' or '" + (inObject ? '}' : ']') + "'");
                }
                byte c = in[pos];
                if (c == ',') {
                    pos++;
                    if (inObject) {
                        skipWhitespace();
                        top.name = parseMemberName();
                    }
                    break;
                }
                if (c == (inObject ? '}' : ']')) {
                    pos++;
                    value = inObject ? new JsonObject(top.members.build()) : new JsonArray(top.elements);
                    top = top.parent;
                    depth--;
                    continue;
                }
                throw error("unexpected " + describe(pos) + ": expected ',' or '" + (inObject ? '}' : ']') + "'"
                        + (inObject ? " after an object member" : " after an array element"));
            }
        }
    }

    private String parseMemberName() {
        if (pos >= end) {
            throw error("unexpected end of input: expected a member name");
        }
        if (in[pos] != '"') {
            throw error("unexpected " + describe(pos) + ": expected a member name in double quotes");
        }
        String name = parseKey();
        skipWhitespace();
        if (pos >= end || in[pos] != ':') {
            throw error("unexpected " + describe(pos) + ": expected ':' after member name");
        }
        pos++;
        return name;
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte c = in[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private JsonValue literal(String word, JsonValue value) {
        int n = word.length();
        for (int i = 0; i < n; i++) {
            if (pos + i >= end || in[pos + i] != word.charAt(i)) {
                throw error("unexpected " + describe(pos + i) + ": expected '" + word + "'");
            }
        }
        pos += n;
        return value;
    }

    private JsonValue parseNumber() {
        int from = pos;
        if (in[pos] == '-') {
            pos++;
        }
        if (pos < end && in[pos] == '0') {
            pos++;
        } else if (pos < end && isDigit(in[pos])) {
            while (pos < end && isDigit(in[pos])) pos++;
        } else {
            throw error("unexpected " + describe(pos) + ": expected a digit");
        }
        if (pos < end && in[pos] == '.') {
            pos++;
            if (pos >= end || !isDigit(in[pos])) {
                throw error("unexpected " + describe(pos) + ": expected a digit after the decimal point");
            }
            while (pos < end && isDigit(in[pos])) pos++;
        }
        if (pos < end && (in[pos] == 'e' || in[pos] == 'E')) {
            pos++;
            if (pos < end && (in[pos] == '+' || in[pos] == '-')) {
                pos++;
            }
            if (pos >= end || !isDigit(in[pos])) {
                throw error("unexpected " + describe(pos) + ": expected a digit in the exponent");
            }
            while (pos < end && isDigit(in[pos])) pos++;
        }
        int len = pos - from;
        if (len <= 3 && in[from] != '-') {
            int v = 0;
            boolean digits = true;
            for (int i = from; i < pos; i++) {
                digits &= isDigit(in[i]);
                v = v * 10 + (in[i] - '0');
            }
            if (digits) {
                return SMALL_NUMBERS[v];
            }
        }
        return new JsonNumber(new String(in, from, len, StandardCharsets.ISO_8859_1));
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** A member name at its opening quote: short plain ASCII names come from the cache. */
    private String parseKey() {
        int from = pos + 1;
        int limit = Math.min(end, from + KEY_MAX);
        int hash = 0;
        for (int p = from; p < limit; p++) {
            byte c = in[p];
            if (c == '"') {
                int len = p - from;
                int slot = (hash ^ hash >>> 11) & (KEY_CACHE_SIZE - 1);
                String cached = KEY_CACHE[slot];
                if (cached != null && sameAscii(cached, from, len)) {
                    pos = p + 1;
                    return cached;
                }
                String key = new String(in, from, len, StandardCharsets.ISO_8859_1);
                KEY_CACHE[slot] = key;
                pos = p + 1;
                return key;
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
            hash = hash * 31 + c;
        }
        return parseString();
    }

    private boolean sameAscii(String s, int from, int len) {
        if (s.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) != in[from + i]) {
                return false;
            }
        }
        return true;
    }

    /** The first byte at or after {@code p} that is a quote, a backslash, a control or non-ASCII byte ({@code end} if none). */
    private int scanPlain(int p) {
        while (p + 8 <= end) {
            long w = (long) LONGS.get(in, p);
            long q = w ^ QUOTES;
            long b = w ^ BACKSLASHES;
            long special = ((q - ONES) & ~q) | ((b - ONES) & ~b) | ((w - SPACES) & ~w) | w;
            if ((special & HIGHS) != 0) {
                break;
            }
            p += 8;
        }
        while (p < end) {
            byte c = in[p];
            if (c == '"' || c == '\\' || c < 0x20) { // c < 0x20 also catches every non-ASCII byte (negative)
                return p;
            }
            p++;
        }
        return p;
    }

    /** At an opening quote; returns the decoded string and leaves {@code pos} after the closing quote. */
    private String parseString() {
        int opening = pos;
        int from = ++pos;
        int p = scanPlain(from);
        if (p < end && in[p] == '"') {
            pos = p + 1;
            return new String(in, from, p - from, StandardCharsets.ISO_8859_1);
        }
        return parseStringToBytes(opening, from, p);
    }

    /**
     * Unescapes an ASCII string into {@link #bytes} after its plain prefix {@code [from, p)}, in bulk
     * between escapes; at the first non-ASCII byte, or a <code>&#92;u</code> escape beyond ASCII, it
     * goes on in {@link #parseChars}.
     */
    private String parseStringToBytes(int opening, int from, int p) {
        int n = p - from;
        ensureBytes(n + 64);
        System.arraycopy(in, from, bytes, 0, n);
        pos = p;
        while (true) {
            if (pos >= end) {
                pos = opening;
                throw error("unterminated string");
            }
            int c = in[pos];
            if (c == '"') {
                pos++;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1); // ASCII only
            } else if (c == '\\') {
                if (pos + 1 < end && in[pos + 1] == 'u') {
                    int escape = pos;
                    char unit = parseEscape();
                    if (unit >= 0x80) {
                        pos = escape; // beyond ASCII: chars from here on (surrogates, paired or lone, included)
                        ensureChars(n + 64);
                        for (int i = 0; i < n; i++) {
                            chars[i] = (char) bytes[i];
                        }
                        return parseChars(opening, n);
                    }
                    ensureBytes(n + 1);
                    bytes[n++] = (byte) unit;
                } else {
                    ensureBytes(n + 1);
                    bytes[n++] = (byte) parseEscape();
                }
            } else if (c >= 0x20) {
                int q = scanPlain(pos + 1);
                int len = q - pos;
                ensureBytes(n + len);
                System.arraycopy(in, pos, bytes, n, len);
                n += len;
                pos = q;
            } else if (c >= 0) {
                throw error(String.format("control character U+%04X in a string must be escaped", c));
            } else {
                // Non-ASCII: decoding once, into chars, beats copying bytes and decoding them again.
                ensureChars(n + 64);
                for (int i = 0; i < n; i++) {
                    chars[i] = (char) bytes[i]; // ASCII so far
                }
                return parseChars(opening, n);
            }
        }
    }

    private void ensureBytes(int size) {
        if (bytes == null) {
            bytes = new byte[Math.max(size, 256)];
        } else if (size > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size, bytes.length * 2));
        }
    }

    /**
     * Goes on decoding into {@link #chars} (the first {@code n} already hold the string so far) from
     * {@code pos}: ASCII runs widened in bulk, escapes (a lone surrogate kept as it is), multi-byte
     * UTF-8 validated strictly.
     */
    private String parseChars(int opening, int n) {
        while (true) {
            if (pos >= end) {
                pos = opening;
                throw error("unterminated string");
            }
            int c = in[pos];
            if (c == '"') {
                pos++;
                return new String(chars, 0, n);
            } else if (c == '\\') {
                ensureChars(n + 1);
                chars[n++] = parseEscape();
            } else if (c >= 0x20) {
                int q = scanPlain(pos + 1);
                int len = q - pos;
                ensureChars(n + len);
                char[] out = chars;
                for (int k = 0; k < len; k++) {
                    out[n + k] = (char) in[pos + k];
                }
                n += len;
                pos = q;
            } else if (c >= 0) {
                throw error(String.format("control character U+%04X in a string must be escaped", c));
            } else {
                ensureChars(n + 2);
                int cp = decodeUtf8();
                if (cp >= 0x10000) {
                    chars[n++] = Character.highSurrogate(cp);
                    chars[n++] = Character.lowSurrogate(cp);
                } else {
                    chars[n++] = (char) cp;
                }
            }
        }
    }

    /** {@link #decodeUtf8Sequence()} with the common 2- and 3-byte forms in straight-line code. */
    private int decodeUtf8() {
        int b0 = in[pos] & 0xFF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            if (pos + 1 < end) {
                int b1 = in[pos + 1] & 0xFF;
                if ((b1 & 0xC0) == 0x80) {
                    pos += 2;
                    return (b0 & 0x1F) << 6 | (b1 & 0x3F);
                }
            }
        } else if (b0 >= 0xE0 && b0 <= 0xEF && pos + 2 < end) {
            int b1 = in[pos + 1] & 0xFF;
            int b2 = in[pos + 2] & 0xFF;
            if ((b2 & 0xC0) == 0x80 && b1 >= (b0 == 0xE0 ? 0xA0 : 0x80) && b1 <= (b0 == 0xED ? 0x9F : 0xBF)) {
                pos += 3;
                return (b0 & 0x0F) << 12 | (b1 & 0x3F) << 6 | (b2 & 0x3F);
            }
        }
        return decodeUtf8Sequence(); // 4-byte forms, and every error with its message
    }

    private char parseEscape() {
        int backslash = pos;
        if (pos + 1 >= end) {
            throw error("unterminated escape sequence");
        }
        byte e = in[pos + 1];
        pos += 2;
        return switch (e) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> {
                int v = 0;
                for (int i = 0; i < 4; i++, pos++) {
                    int d = pos < end ? Character.digit(in[pos], 16) : -1;
                    if (d < 0 || in[pos] < 0) {
                        throw error("unexpected " + describe(pos) + ": expected 4 hex digits after \\u");
                    }
                    v = v << 4 | d;
                }
                yield (char) v; // lone surrogates are kept; the writer escapes them again
            }
            default -> {
                pos = backslash;
                throw error("invalid escape '\\" + (e >= 0x20 && e < 0x7f ? String.valueOf((char) e) : describe(backslash + 1)) + "'");
            }
        };
    }

    /** Decodes one multi-byte UTF-8 sequence at {@code pos} (RFC 3629: no overlongs, no surrogates, max U+10FFFF). */
    private int decodeUtf8Sequence() {
        int b0 = in[pos] & 0xFF;
        int count;
        int min2 = 0x80, max2 = 0xBF;
        int cp;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            count = 1;
            cp = b0 & 0x1F;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            count = 2;
            cp = b0 & 0x0F;
            if (b0 == 0xE0) min2 = 0xA0;      // overlong
            else if (b0 == 0xED) max2 = 0x9F; // UTF-16 surrogates
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            count = 3;
            cp = b0 & 0x07;
            if (b0 == 0xF0) min2 = 0x90;      // overlong
            else if (b0 == 0xF4) max2 = 0x8F; // above U+10FFFF
        } else {
            throw error(String.format("invalid UTF-8: byte 0x%02X cannot start a character", b0));
        }
        for (int i = 1; i <= count; i++) {
            if (pos + i >= end) {
                throw error("invalid UTF-8: truncated " + (count + 1) + "-byte sequence");
            }
            int b = in[pos + i] & 0xFF;
            int lo = i == 1 ? min2 : 0x80, hi = i == 1 ? max2 : 0xBF;
            if (b < lo || b > hi) {
                int at = pos;
                pos += i;
                throw error(String.format("invalid UTF-8: byte 0x%02X cannot continue the sequence that starts at byte offset %d", b, at - start));
            }
            cp = cp << 6 | (b & 0x3F);
        }
        pos += count + 1;
        return cp;
    }

    private void ensureChars(int size) {
        if (chars == null) {
            chars = new char[Math.max(size, 64)];
        } else if (size > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(size, chars.length * 2));
        }
    }

    private String describe(int at) {
        if (at >= end) {
            return "end of input";
        }
        int b = in[at] & 0xFF;
        if (at == start && b == 0xEF && at + 2 < end && (in[at + 1] & 0xFF) == 0xBB && (in[at + 2] & 0xFF) == 0xBF) {
            return "byte-order mark (not allowed in JSON text)";
        }
        if (b >= 0x21 && b < 0x7F) {
            return "'" + (char) b + "'";
        }
        return String.format("byte 0x%02X", b);
    }

    private JsonParseException error(String what) {
        int at = Math.min(pos, end);
        if (sourceText != null) {
            int charOffset = new String(in, start, at - start, StandardCharsets.UTF_8).length();
            return errorAt(sourceText, charOffset, what);
        }
        int line = 1, lineStart = start;
        for (int i = start; i < at; i++) {
            if (in[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = 1;
        for (int i = lineStart; i < at; i++) {
            if ((in[i] & 0xC0) != 0x80) { // count characters, not continuation bytes
                column++;
            }
        }
        long offset = at - start;
        return new JsonParseException(what + " at line " + line + ", column " + column + " (byte offset " + offset + ")",
                offset, line, column);
    }

    static JsonParseException errorAt(String text, int charOffset, String what) {
        int line = 1, lineStart = 0;
        for (int i = 0; i < charOffset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = text.codePointCount(lineStart, charOffset) + 1;
        return new JsonParseException(what + " at line " + line + ", column " + column + " (char offset " + charOffset + ")",
                charOffset, line, column);
    }
}
