package claude.code.api.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * One parse of UTF-8 bytes. Iterative: open containers live on an explicit stack of frames, so
 * the nesting limit, not the Java stack, bounds depth. Strings of plain ASCII are cut straight
 * from the input; only strings with escapes or non-ASCII bytes go through the decoding loop.
 */
final class Utf8Parser {
    private final byte[] in;
    private final int start;
    private final int end;
    private final int maxDepth;
    private final String sourceText; // non-null when parsing a String: errors then count chars
    private int pos;
    private char[] chars = new char[64];

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
        JsonValue value = parseValue();
        skipWhitespace();
        if (pos < end) {
            throw error("unexpected " + describe(pos) + " after the JSON value");
        }
        return value;
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
        String name = parseString();
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
        return new JsonNumber(new String(in, from, pos - from, StandardCharsets.ISO_8859_1));
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** At an opening quote; returns the decoded string and leaves {@code pos} after the closing quote. */
    private String parseString() {
        int opening = pos;
        int from = ++pos;
        int p = from;
        while (p < end) {
            byte c = in[p];
            if (c == '"') {
                pos = p + 1;
                return new String(in, from, p - from, StandardCharsets.ISO_8859_1);
            }
            if (c == '\\' || c < 0x20) { // c < 0x20 also catches every non-ASCII byte (negative)
                break;
            }
            p++;
        }
        return parseStringSlowly(opening, from, p);
    }

    /** Decodes escapes and multi-byte UTF-8 (validated strictly), after an ASCII prefix {@code [from, p)}. */
    private String parseStringSlowly(int opening, int from, int p) {
        int n = 0;
        ensureChars(p - from + 16);
        for (int i = from; i < p; i++) {
            chars[n++] = (char) in[i];
        }
        pos = p;
        while (true) {
            if (pos >= end) {
                pos = opening;
                throw error("unterminated string");
            }
            if (n + 2 > chars.length) {
                ensureChars(n + 2);
            }
            int c = in[pos];
            if (c == '"') {
                pos++;
                return new String(chars, 0, n);
            } else if (c == '\\') {
                chars[n++] = parseEscape();
            } else if (c >= 0x20) {
                chars[n++] = (char) c;
                pos++;
            } else if (c >= 0) {
                throw error(String.format("control character U+%04X in a string must be escaped", c));
            } else {
                int cp = decodeUtf8Sequence();
                if (cp >= 0x10000) {
                    chars[n++] = Character.highSurrogate(cp);
                    chars[n++] = Character.lowSurrogate(cp);
                } else {
                    chars[n++] = (char) cp;
                }
            }
        }
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
        if (size > chars.length) {
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
