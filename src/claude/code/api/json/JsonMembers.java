package claude.code.api.json;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The immutable, insertion-ordered member map behind {@link JsonObject}. Arrays instead of a
 * LinkedHashMap: most JSON objects are small, where a linear scan beats hashing and the memory
 * is a third; a hash index is added only for objects with many members.
 */
final class JsonMembers extends AbstractMap<String, JsonValue> {
    private static final int INDEX_THRESHOLD = 8;
    static final JsonMembers EMPTY = new JsonMembers(new String[0], new JsonValue[0], 0, null);

    private final String[] keys;
    private final JsonValue[] values;
    private final int size;
    private final HashMap<String, Integer> index;

    private JsonMembers(String[] keys, JsonValue[] values, int size, HashMap<String, Integer> index) {
        this.keys = keys;
        this.values = values;
        this.size = size;
        this.index = index;
    }

    static JsonMembers copyOf(Map<String, JsonValue> map) {
        if (map instanceof JsonMembers members) {
            return members;
        }
        Builder b = new Builder();
        map.forEach((k, v) -> b.put(Objects.requireNonNull(k, "member name"), Objects.requireNonNull(v, "member value")));
        return b.build();
    }

    private int indexOf(Object key) {
        return indexOf(keys, size, index, key);
    }

    /** Position of {@code key} among the first {@code size} keys: hashed when indexed, else a scan. */
    private static int indexOf(String[] keys, int size, HashMap<String, Integer> index, Object key) {
        if (index != null) {
            Integer i = index.get(key);
            return i == null ? -1 : i;
        }
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public JsonValue get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return size;
    }

    String keyAt(int i) {
        return keys[i];
    }

    JsonValue valueAt(int i) {
        return values[i];
    }

    @Override
    public Set<Entry<String, JsonValue>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, JsonValue>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, JsonValue> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** Collects members in order; a repeated name replaces the value and keeps the first position. */
    static final class Builder {
        private String[] keys = new String[4];
        private JsonValue[] values = new JsonValue[4];
        private int size;
        private HashMap<String, Integer> index;

        Builder put(String key, JsonValue value) {
            int existing = find(key);
            if (existing >= 0) {
                values[existing] = value;
                return this;
            }
            if (keys == null) {
                keys = new String[4];
                values = new JsonValue[4];
            } else if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            keys[size] = key;
            values[size] = value;
            if (index != null) {
                index.put(key, size);
            } else if (size + 1 > INDEX_THRESHOLD) {
                index = new HashMap<>();
                for (int i = 0; i <= size; i++) {
                    index.put(keys[i], i);
                }
            }
            size++;
            return this;
        }

        Builder remove(String key) {
            int i = find(key);
            if (i >= 0) {
                System.arraycopy(keys, i + 1, keys, i, size - i - 1);
                System.arraycopy(values, i + 1, values, i, size - i - 1);
                size--;
                keys[size] = null;
                values[size] = null;
                if (index != null) {
                    index.clear();
                    for (int j = 0; j < size; j++) {
                        index.put(keys[j], j);
                    }
                }
            }
            return this;
        }

        private int find(String key) {
            return indexOf(keys, size, index, key);
        }

        /** Hands the collected members over; the builder starts empty again. */
        JsonMembers build() {
            if (size == 0) {
                return EMPTY;
            }
            // Trimmed only when much is unused: the parser's objects are built once and read often.
            boolean trim = keys.length - size > 4;
            JsonMembers built = new JsonMembers(
                    trim ? Arrays.copyOf(keys, size) : keys,
                    trim ? Arrays.copyOf(values, size) : values,
                    size,
                    index);
            keys = null; // allocated again only if the builder is reused
            values = null;
            size = 0;
            index = null;
            return built;
        }
    }
}
