package claude.code.api.json;

import java.util.Arrays;

/**
 * Writes compact JSON. Strings: {@code "} and {@code \} escaped, control characters as
 * {@code \b \f \n \r \t} or <code>&#92;u00XX</code>, lone surrogates as <code>&#92;uXXXX</code>, everything else
 * (all of Unicode, U+2028/2029 included) as itself. In canonical mode members are sorted by name
 * and numbers are written as {@link JsonNumber#canonicalText()}.
 */
final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out;
    private final boolean canonical;

    JsonWriter(StringBuilder out, boolean canonical) {
        this.out = out;
        this.canonical = canonical;
    }

    void write(JsonValue value) {
        switch (value) {
            case JsonObject o -> writeObject((JsonMembers) o.members());
            case JsonArray a -> {
                out.append('[');
                for (int i = 0; i < a.size(); i++) {
                    if (i > 0) out.append(',');
                    write(a.get(i));
                }
                out.append(']');
            }
            case JsonString s -> writeString(s.value());
            case JsonNumber n -> out.append(canonical ? n.canonicalText() : n.text());
            case JsonBool b -> out.append(b.value() ? "true" : "false");
            case JsonNull n -> out.append("null");
        }
    }

    private void writeObject(JsonMembers members) {
        int n = members.size();
        Integer[] order = null;
        if (canonical && n > 1) {
            order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            Arrays.sort(order, (x, y) -> members.keyAt(x).compareTo(members.keyAt(y)));
        }
        out.append('{');
        for (int k = 0; k < n; k++) {
            int i = order == null ? k : order[k];
            if (k > 0) out.append(',');
            writeString(members.keyAt(i));
            out.append(':');
            write(members.valueAt(i));
        }
        out.append('}');
    }

    void writeString(String s) {
        out.append('"');
        int n = s.length();
        int run = 0; // start of the pending run of characters that need no escaping
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a proper pair is written as is
                continue;
            }
            out.append(s, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                        .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
            }
        }
        out.append(s, run, n);
        out.append('"');
    }
}
