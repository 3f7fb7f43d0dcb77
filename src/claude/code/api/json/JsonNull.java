package claude.code.api.json;

/** JSON {@code null}. All instances are equal; use {@link #INSTANCE}. */
public record JsonNull() implements JsonValue {
    public static final JsonNull INSTANCE = new JsonNull();

    @Override
    public String toString() {
        return "null";
    }
}
