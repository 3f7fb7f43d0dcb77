package claude.code.api.json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** A JSON array, immutable. */
public record JsonArray(List<JsonValue> elements) implements JsonValue, Iterable<JsonValue> {
    public static final JsonArray EMPTY = new JsonArray(List.of());

    /** Copies {@code elements} unless it is already an immutable list; nulls are rejected. */
    public JsonArray {
        elements = List.copyOf(Objects.requireNonNull(elements, "elements"));
    }

    public static JsonArray of(JsonValue... elements) {
        return new JsonArray(List.of(elements));
    }

    public static JsonArray of(List<? extends JsonValue> elements) {
        return new JsonArray(List.copyOf(elements));
    }

    public static Builder builder() {
        return new Builder();
    }

    public int size() {
        return elements.size();
    }

    public boolean isEmpty() {
        return elements.isEmpty();
    }

    public JsonValue get(int index) {
        return elements.get(index);
    }

    /** The element at {@code index} as an object. @throws IllegalArgumentException if it is not one */
    public JsonObject object(int index) {
        return switch (elements.get(index)) {
            case JsonObject o -> o;
            case JsonValue other -> throw new IllegalArgumentException(
                    "element [" + index + "] is " + Json.describeType(other) + ", expected an object");
        };
    }

    /** The element at {@code index} as a string. @throws IllegalArgumentException if it is not one */
    public String string(int index) {
        return switch (elements.get(index)) {
            case JsonString s -> s.value();
            case JsonValue other -> throw new IllegalArgumentException(
                    "element [" + index + "] is " + Json.describeType(other) + ", expected a string");
        };
    }

    public Stream<JsonValue> stream() {
        return elements.stream();
    }

    @Override
    public Iterator<JsonValue> iterator() {
        return elements.iterator();
    }

    @Override
    public String toString() {
        return toJson();
    }

    public static final class Builder {
        private final List<JsonValue> elements = new ArrayList<>();

        private Builder() {}

        public Builder add(JsonValue value) {
            elements.add(Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder add(String value) {
            return add(JsonValue.of(value));
        }

        public Builder add(long value) {
            return add(JsonNumber.of(value));
        }

        public JsonArray build() {
            return new JsonArray(elements);
        }
    }
}
