package claude.code.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonObjectTest {
    final JsonObject record = (JsonObject) Json.parse(
            "{\"type\":\"assistant\",\"n\":7,\"big\":1.5,\"ok\":true,\"nothing\":null,\"message\":{\"id\":\"m1\"},\"content\":[{\"type\":\"text\"}]}");

    @Test
    void typedAccessorsReturnValues() {
        assertEquals("assistant", record.string("type"));
        assertEquals(7, record.integer("n"));
        assertTrue(record.bool("ok"));
        assertEquals("m1", record.object("message").string("id"));
        assertEquals("text", record.array("content").object(0).string("type"));
    }

    @Test
    void findAccessorsAreEmptyForAbsentAndNullMembers() {
        assertEquals(Optional.empty(), record.findString("absent"));
        assertEquals(Optional.empty(), record.findString("nothing"));
        assertEquals(Optional.of("assistant"), record.findString("type"));
        assertEquals(Optional.of(7L), record.findInteger("n"));
        assertEquals("fallback", record.string("absent", "fallback"));
    }

    @Test
    void aMissingMemberIsNamedInTheError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> record.string("absent"));
        assertEquals("field \"absent\" is missing", e.getMessage());
    }

    @Test
    void aMemberOfTheWrongTypeIsNamedWithWhatWasFound() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> record.string("n"));
        assertEquals("field \"n\" is a number, expected a string", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> record.findObject("content"));
        assertEquals("field \"content\" is an array, expected an object", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> record.integer("big"));
        assertEquals("field \"big\" is 1.5, expected an integer", e.getMessage());
    }

    @Test
    void valuesAreImmutable() {
        assertThrows(UnsupportedOperationException.class, () -> record.members().put("x", JsonNull.INSTANCE));
        assertThrows(UnsupportedOperationException.class, () -> record.members().entrySet().clear());
        assertThrows(UnsupportedOperationException.class, () -> record.array("content").elements().add(JsonNull.INSTANCE));
    }

    @Test
    void aCopiedMapKeepsItsOrderAndIsDetachedFromTheOriginal() {
        Map<String, JsonValue> source = new LinkedHashMap<>();
        source.put("z", JsonNumber.of(1));
        source.put("a", JsonNumber.of(2));
        JsonObject o = new JsonObject(source);
        source.put("late", JsonNull.INSTANCE);
        assertEquals(List.of("z", "a"), List.copyOf(o.names()));
        assertFalse(o.has("late"));
    }

    @Test
    void withAndWithoutReturnModifiedCopies() {
        JsonObject o = JsonObject.builder().put("a", 1).put("b", 2).build();
        assertEquals("{\"a\":9,\"b\":2}", Json.write(o.with("a", JsonNumber.of(9))));
        assertEquals("{\"a\":1,\"b\":2,\"c\":3}", Json.write(o.with("c", JsonNumber.of(3))));
        assertEquals("{\"b\":2}", Json.write(o.without("a")));
        assertEquals("{\"a\":1,\"b\":2}", Json.write(o));
    }

    @Test
    void largeObjectsLookUpEveryMember() {
        JsonObject.Builder b = JsonObject.builder();
        for (int i = 0; i < 100; i++) b.put("k" + i, i);
        b.remove("k50");
        JsonObject o = b.build();
        assertEquals(99, o.size());
        for (int i = 0; i < 100; i++) assertEquals(i != 50, o.has("k" + i), "k" + i);
        assertEquals(77, o.integer("k77"));
    }

    @Test
    void equalityIgnoresMemberOrder() {
        assertEquals(Json.parse("{\"a\":1,\"b\":2}"), Json.parse("{\"b\":2,\"a\":1}"));
        assertEquals(Json.parse("{\"a\":1,\"b\":2}").hashCode(), Json.parse("{\"b\":2,\"a\":1}").hashCode());
    }
}
