package claude.code.api.json;

/**
 * A JSON value. Immutable; {@code equals} compares values (object members regardless of order,
 * numbers by their exact text). {@code toString()} is the compact JSON text.
 */
public sealed interface JsonValue permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBool, JsonNull {

    /** The compact JSON text of this value, as {@link Json#write(JsonValue)}. */
    default String toJson() {
        return Json.write(this);
    }

    /** Wraps a Java string (or {@link JsonNull} for {@code null}). */
    static JsonValue of(String s) {
        return s == null ? JsonNull.INSTANCE : new JsonString(s);
    }

    static JsonValue of(long n) {
        return JsonNumber.of(n);
    }

    static JsonValue of(boolean b) {
        return JsonBool.of(b);
    }
}
