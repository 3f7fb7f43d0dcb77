package claude.code.api.json;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A JSON object: members in insertion order, immutable. The typed accessors name the member
 * and what was found when a value is missing or of another type, so callers never cast:
 * {@code record.string("type")}, {@code record.findObject("message")}.
 */
public record JsonObject(Map<String, JsonValue> members) implements JsonValue {
    public static final JsonObject EMPTY = new JsonObject(JsonMembers.EMPTY);

    /** Copies {@code members} (keeping their iteration order) unless it is already immutable JSON. */
    public JsonObject {
        members = JsonMembers.copyOf(Objects.requireNonNull(members, "members"));
    }

    public static Builder builder() {
        return new Builder();
    }

    public int size() {
        return members.size();
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    public boolean has(String name) {
        return members.containsKey(name);
    }

    /** Member names in order. */
    public Set<String> names() {
        return members.keySet();
    }

    /** The member's value, or {@code null} when absent (as {@link Map#get}). */
    public JsonValue get(String name) {
        return members.get(name);
    }

    public Optional<JsonValue> find(String name) {
        return Optional.ofNullable(members.get(name));
    }

    /** @throws IllegalArgumentException if the member is missing or not a string */
    public String string(String name) {
        return switch (require(name)) {
            case JsonString s -> s.value();
            case JsonValue other -> throw wrongType(name, other, "a string");
        };
    }

    /** The string value, or {@code fallback} when the member is absent or {@code null}. */
    public String string(String name, String fallback) {
        return findString(name).orElse(fallback);
    }

    /** @throws IllegalArgumentException if the member is missing or not an integer that fits a long */
    public long integer(String name) {
        return switch (require(name)) {
            case JsonNumber n -> exactLong(name, n);
            case JsonValue other -> throw wrongType(name, other, "a number");
        };
    }

    /** @throws IllegalArgumentException if the member is missing or not a boolean */
    public boolean bool(String name) {
        return switch (require(name)) {
            case JsonBool b -> b.value();
            case JsonValue other -> throw wrongType(name, other, "a boolean");
        };
    }

    /** @throws IllegalArgumentException if the member is missing or not an object */
    public JsonObject object(String name) {
        return switch (require(name)) {
            case JsonObject o -> o;
            case JsonValue other -> throw wrongType(name, other, "an object");
        };
    }

    /** @throws IllegalArgumentException if the member is missing or not an array */
    public JsonArray array(String name) {
        return switch (require(name)) {
            case JsonArray a -> a;
            case JsonValue other -> throw wrongType(name, other, "an array");
        };
    }

    /** Empty when absent or {@code null}. @throws IllegalArgumentException if present with another type */
    public Optional<String> findString(String name) {
        return switch (members.get(name)) {
            case null -> Optional.empty();
            case JsonNull n -> Optional.empty();
            case JsonString s -> Optional.of(s.value());
            case JsonValue other -> throw wrongType(name, other, "a string");
        };
    }

    /** Empty when absent or {@code null}. @throws IllegalArgumentException if present with another type */
    public Optional<Long> findInteger(String name) {
        return switch (members.get(name)) {
            case null -> Optional.empty();
            case JsonNull n -> Optional.empty();
            case JsonNumber num -> Optional.of(exactLong(name, num));
            case JsonValue other -> throw wrongType(name, other, "a number");
        };
    }

    /** Empty when absent or {@code null}. @throws IllegalArgumentException if present with another type */
    public Optional<Boolean> findBool(String name) {
        return switch (members.get(name)) {
            case null -> Optional.empty();
            case JsonNull n -> Optional.empty();
            case JsonBool b -> Optional.of(b.value());
            case JsonValue other -> throw wrongType(name, other, "a boolean");
        };
    }

    /** Empty when absent or {@code null}. @throws IllegalArgumentException if present with another type */
    public Optional<JsonObject> findObject(String name) {
        return switch (members.get(name)) {
            case null -> Optional.empty();
            case JsonNull n -> Optional.empty();
            case JsonObject o -> Optional.of(o);
            case JsonValue other -> throw wrongType(name, other, "an object");
        };
    }

    /** Empty when absent or {@code null}. @throws IllegalArgumentException if present with another type */
    public Optional<JsonArray> findArray(String name) {
        return switch (members.get(name)) {
            case null -> Optional.empty();
            case JsonNull n -> Optional.empty();
            case JsonArray a -> Optional.of(a);
            case JsonValue other -> throw wrongType(name, other, "an array");
        };
    }

    /** A copy with {@code name} set to {@code value} (replacing in place, or appended). */
    public JsonObject with(String name, JsonValue value) {
        return toBuilder().put(name, value).build();
    }

    /** A copy without {@code name}. */
    public JsonObject without(String name) {
        return has(name) ? toBuilder().remove(name).build() : this;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        JsonMembers m = (JsonMembers) members;
        for (int i = 0; i < m.size(); i++) {
            b.put(m.keyAt(i), m.valueAt(i));
        }
        return b;
    }

    @Override
    public String toString() {
        return toJson();
    }

    private JsonValue require(String name) {
        JsonValue v = members.get(name);
        if (v == null) {
            throw new IllegalArgumentException("field \"" + name + "\" is missing");
        }
        return v;
    }

    private static long exactLong(String name, JsonNumber n) {
        try {
            return n.longValue();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("field \"" + name + "\" is " + n.text() + ", expected an integer", e);
        }
    }

    private static IllegalArgumentException wrongType(String name, JsonValue found, String expected) {
        return new IllegalArgumentException("field \"" + name + "\" is " + Json.describeType(found) + ", expected " + expected);
    }

    /** Builds an object member by member; a repeated name replaces the earlier value in place. */
    public static final class Builder {
        private final JsonMembers.Builder members = new JsonMembers.Builder();

        private Builder() {}

        public Builder put(String name, JsonValue value) {
            members.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Puts a string, or JSON {@code null} for a Java {@code null}. */
        public Builder put(String name, String value) {
            return put(name, JsonValue.of(value));
        }

        public Builder put(String name, long value) {
            return put(name, JsonNumber.of(value));
        }

        public Builder put(String name, boolean value) {
            return put(name, JsonBool.of(value));
        }

        /** Puts the value only when it is not {@code null}: for optional fields. */
        public Builder putIfPresent(String name, JsonValue value) {
            return value == null ? this : put(name, value);
        }

        /** Puts the string only when it is not {@code null}: for optional fields. */
        public Builder putIfPresent(String name, String value) {
            return value == null ? this : put(name, new JsonString(value));
        }

        public Builder remove(String name) {
            members.remove(name);
            return this;
        }

        public JsonObject build() {
            return new JsonObject(members.build());
        }
    }
}
