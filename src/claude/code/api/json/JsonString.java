package claude.code.api.json;

import java.util.Objects;

/** A JSON string. The value may hold lone surrogates (from <code>&#92;uD800</code>-style escapes). */
public record JsonString(String value) implements JsonValue {
    public JsonString {
        Objects.requireNonNull(value, "value");
    }

    public static JsonString of(String value) {
        return new JsonString(value);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
