package claude.code.api.json;

import java.nio.charset.StandardCharsets;

/** Entry point: parse, write and canonicalise JSON. Rules are in the package documentation. */
public final class Json {
    private Json() {}

    /** Parses a string. @throws JsonParseException naming what was expected and where (char offset) */
    public static JsonValue parse(String text) {
        return JsonParser.DEFAULT.parse(text);
    }

    /** Parses UTF-8 bytes, validating the encoding. @throws JsonParseException (byte offset) */
    public static JsonValue parse(byte[] utf8) {
        return JsonParser.DEFAULT.parse(utf8);
    }

    /** Parses {@code length} UTF-8 bytes from {@code offset}. @throws JsonParseException (byte offset from {@code offset}) */
    public static JsonValue parse(byte[] utf8, int offset, int length) {
        return JsonParser.DEFAULT.parse(utf8, offset, length);
    }

    /** Compact JSON text: no whitespace, members in their order. */
    public static String write(JsonValue value) {
        StringBuilder out = new StringBuilder(64);
        new JsonWriter(out, false).write(value);
        return out.toString();
    }

    /** Compact JSON as UTF-8 bytes. */
    public static byte[] writeUtf8(JsonValue value) {
        return Utf8Writer.write(value);
    }

    /**
     * The canonical text: compact, members sorted by name, numbers in one normal form per value.
     * Equal values (members in any order, {@code 1.0} vs {@code 1}) give equal text.
     */
    public static String canonical(JsonValue value) {
        StringBuilder out = new StringBuilder(64);
        new JsonWriter(out, true).write(value);
        return out.toString();
    }

    /**
     * What kind of value this is, for error messages: "an object", "an array", "a string",
     * "a number", "a boolean", "null"; "nothing" for a Java {@code null} (a missing value).
     */
    public static String describeType(JsonValue value) {
        return switch (value) {
            case null -> "nothing";
            case JsonObject o -> "an object";
            case JsonArray a -> "an array";
            case JsonString s -> "a string";
            case JsonNumber n -> "a number";
            case JsonBool b -> "a boolean";
            case JsonNull n -> "null";
        };
    }

    /** A Java string as a JSON string literal, quotes included. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        new JsonWriter(out, false).writeString(s);
        return out.toString();
    }
}
