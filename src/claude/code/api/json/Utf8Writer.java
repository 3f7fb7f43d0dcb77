package claude.code.api.json;

import static claude.code.api.json.Swar.BACKSLASHES;
import static claude.code.api.json.Swar.HIGHS;
import static claude.code.api.json.Swar.LONGS;
import static claude.code.api.json.Swar.ONES;
import static claude.code.api.json.Swar.QUOTES;
import static claude.code.api.json.Swar.SPACES;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes compact JSON straight to UTF-8 bytes, with the escaping rules of {@link JsonWriter}
 * (same output as {@code Json.write(v).getBytes(UTF_8)}) but without the intermediate text: an
 * ASCII string is copied as the JDK encodes it and scanned eight bytes at a time for what needs
 * escaping; other strings are encoded char by char (lone surrogates escaped).
 */
final class Utf8Writer {
    private static final long QUESTION_MARKS = 0x3F3F3F3F3F3F3F3FL;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    /** Encoded member names (quoted, escaped); a racy cache of immutable entries is safe. */
    private static final int KEY_CACHE_SIZE = 512;
    private static final int KEY_MAX = 32;
    private static final KeyBytes[] KEY_CACHE = new KeyBytes[KEY_CACHE_SIZE];

    private record KeyBytes(String key, byte[] quoted) {}

    private byte[] out = new byte[256];
    private int n;

    /**
     * One writer kept for the next call, as Jackson recycles its buffers: a document then costs one
     * copy (the result) instead of growing a buffer from 256 bytes by doubling. Whoever takes it
     * owns it until it is given back; a writer whose buffer grew beyond {@link #KEEP_MAX} is dropped.
     */
    private static final AtomicReference<Utf8Writer> SPARE = new AtomicReference<>();
    private static final int KEEP_MAX = 1 << 20;

    static byte[] write(JsonValue value) {
        Utf8Writer w = SPARE.getAndSet(null);
        if (w == null) {
            w = new Utf8Writer();
        }
        w.n = 0;
        w.value(value);
        byte[] result = Arrays.copyOf(w.out, w.n);
        if (w.out.length <= KEEP_MAX) {
            SPARE.set(w);
        }
        return result;
    }

    private void value(JsonValue value) {
        switch (value) {
            case JsonObject o -> {
                JsonMembers members = (JsonMembers) o.members();
                int size = members.size();
                put((byte) '{');
                for (int i = 0; i < size; i++) {
                    if (i > 0) put((byte) ',');
                    key(members.keyAt(i));
                    put((byte) ':');
                    value(members.valueAt(i));
                }
                put((byte) '}');
            }
            case JsonArray a -> {
                put((byte) '[');
                for (int i = 0; i < a.size(); i++) {
                    if (i > 0) put((byte) ',');
                    value(a.get(i));
                }
                put((byte) ']');
            }
            case JsonString s -> string(s.value());
            case JsonNumber num -> ascii(num.text());
            case JsonBool b -> put(b.value() ? TRUE : FALSE);
            case JsonNull x -> put(NULL);
        }
    }

    private void key(String key) {
        if (key.length() > KEY_MAX) {
            string(key);
            return;
        }
        int h = key.hashCode();
        int slot = (h ^ h >>> 16) & (KEY_CACHE_SIZE - 1);
        KeyBytes cached = KEY_CACHE[slot];
        if (cached == null || !cached.key().equals(key)) {
            int from = n;
            string(key);
            cached = new KeyBytes(key, Arrays.copyOfRange(out, from, n));
            KEY_CACHE[slot] = cached;
            return;
        }
        put(cached.quoted());
    }

    private void ensure(int more) {
        if (n + more > out.length) {
            out = Arrays.copyOf(out, Math.max(n + more, out.length * 2));
        }
    }

    private void put(byte b) {
        ensure(1);
        out[n++] = b;
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, out, n, b.length);
        n += b.length;
    }

    private void ascii(String s) {
        int len = s.length();
        ensure(len);
        for (int i = 0; i < len; i++) {
            out[n++] = (byte) s.charAt(i); // number text is ASCII
        }
    }

    private void string(String s) {
        // The JDK's encoder is fast; it writes a lone surrogate as '?', so a '?' in its output is
        // checked against the text before it is kept.
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        boolean ascii = utf8.length == s.length(); // then byte i is char i
        int mark = n;
        ensure(utf8.length + 2);
        out[n++] = '"';
        int run = 0;
        int i = 0;
        int len = utf8.length;
        boolean checkedSurrogates = false;
        while (i < len) {
            if (i + 8 <= len) {
                long w = (long) LONGS.get(utf8, i);
                long q = w ^ QUOTES;
                long b = w ^ BACKSLASHES;
                long m = w ^ QUESTION_MARKS;
                if (((((q - ONES) & ~q) | ((b - ONES) & ~b) | ((m - ONES) & ~m) | ((w - SPACES) & ~w)) & HIGHS) == 0) {
                    i += 8;
                    continue;
                }
            }
            byte c = utf8[i];
            if (c == '?') {
                if (ascii) {
                    if (s.charAt(i) != '?') { // a lone surrogate
                        copy(utf8, run, i);
                        escape(s.charAt(i));
                        run = i + 1;
                    }
                } else if (!checkedSurrogates) {
                    if (hasLoneSurrogate(s)) {
                        n = mark;
                        chars(s);
                        return;
                    }
                    checkedSurrogates = true;
                }
                i++;
                continue;
            }
            if (c >= 0x20 && c != '"' && c != '\\' || c < 0) {
                i++;
                continue;
            }
            copy(utf8, run, i);
            escape((char) c);
            run = ++i;
        }
        copy(utf8, run, len);
        put((byte) '"');
    }

    /**
     * Whether the JDK wrote a '?' for a surrogate without its partner. Only those: a valid pair
     * (an emoji, common in CLI text) is encoded correctly and keeps the fast path.
     */
    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }

    private void copy(byte[] b, int from, int to) {
        int len = to - from;
        ensure(len);
        System.arraycopy(b, from, out, n, len);
        n += len;
    }

    /** Text with non-ASCII characters (and maybe lone surrogates, which UTF-8 cannot hold: escaped). */
    private void chars(String s) {
        put((byte) '"');
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            ensure(6);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    out[n++] = (byte) c;
                } else {
                    escape(c);
                }
            } else if (c < 0x800) {
                out[n++] = (byte) (0xC0 | c >> 6);
                out[n++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[n++] = (byte) (0xF0 | cp >> 18);
                out[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[n++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                escape(c);
            } else {
                out[n++] = (byte) (0xE0 | c >> 12);
                out[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[n++] = (byte) (0x80 | c & 0x3F);
            }
        }
        put((byte) '"');
    }

    private void escape(char c) {
        ensure(6);
        out[n++] = '\\';
        switch (c) {
            case '"' -> out[n++] = '"';
            case '\\' -> out[n++] = '\\';
            case '\b' -> out[n++] = 'b';
            case '\f' -> out[n++] = 'f';
            case '\n' -> out[n++] = 'n';
            case '\r' -> out[n++] = 'r';
            case '\t' -> out[n++] = 't';
            default -> {
                out[n++] = 'u';
                out[n++] = HEX[c >> 12 & 0xF];
                out[n++] = HEX[c >> 8 & 0xF];
                out[n++] = HEX[c >> 4 & 0xF];
                out[n++] = HEX[c & 0xF];
            }
        }
    }
}
