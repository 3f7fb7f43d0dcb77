package claude.code.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void writesCompactTextInMemberOrder() {
        JsonObject o = JsonObject.builder().put("b", 1).put("a", JsonArray.of(JsonBool.TRUE, JsonNull.INSTANCE)).put("s", "x").build();
        assertEquals("{\"b\":1,\"a\":[true,null],\"s\":\"x\"}", Json.write(o));
    }

    @Test
    void escapesOnlyWhatJsonRequires() {
        assertEquals("\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001\\u001f é 日本 😀 \u2028 \u007f /\"",
                Json.quote("q\" b\\ \b\f\n\r\t \u0001\u001f é 日本 😀 \u2028 \u007f /"));
    }

    @Test
    void escapesLoneSurrogates() {
        assertEquals("\"\\udc00x\\ud800\"", Json.quote("\udc00x\ud800"));
    }

    @Test
    void canonicalFormSortsMembersAtEveryLevel() {
        JsonValue a = Json.parse("{\"b\":{\"y\":1,\"x\":2},\"a\":[{\"d\":1,\"c\":2}]}");
        assertEquals("{\"a\":[{\"c\":2,\"d\":1}],\"b\":{\"x\":2,\"y\":1}}", Json.canonical(a));
    }

    @Test
    void canonicalFormIsTheSameForEqualObjectsInAnyOrder() {
        assertEquals(Json.canonical(Json.parse("{\"a\":1,\"b\":[1,2]}")), Json.canonical(Json.parse("{\"b\":[1,2],\"a\":1}")));
        assertNotEquals(Json.canonical(Json.parse("[1,2]")), Json.canonical(Json.parse("[2,1]")));
    }

    @Test
    void canonicalNumbersHaveOneTextPerValue() {
        assertEquals("1", new JsonNumber("1.0").canonicalText());
        assertEquals("1", new JsonNumber("1e0").canonicalText());
        assertEquals("1", new JsonNumber("10E-1").canonicalText());
        assertEquals("0", new JsonNumber("-0").canonicalText());
        assertEquals("0", new JsonNumber("0.000").canonicalText());
        assertEquals("1.5", new JsonNumber("1.50").canonicalText());
        assertEquals("1000", new JsonNumber("1e3").canonicalText());
        assertEquals("1E+30", new JsonNumber("1e30").canonicalText());
        assertEquals("1E+30", new JsonNumber("1000000000000000000000000000000").canonicalText());
        assertEquals("0.001", new JsonNumber("1e-3").canonicalText());
        assertEquals("1e-99999999999", new JsonNumber("1e-99999999999").canonicalText());
    }

    @Test
    void numberFactoriesGiveValidText() {
        assertEquals("42", JsonNumber.of(42).text());
        assertEquals("3", JsonNumber.of(3.0).text());
        assertEquals("0.1", JsonNumber.of(0.1).text());
        assertEquals("1.0E20", JsonNumber.of(1e20).text());
        assertThrows(IllegalArgumentException.class, () -> JsonNumber.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new JsonNumber("01"));
        assertThrows(IllegalArgumentException.class, () -> new JsonNumber("1."));
    }

    @Test
    void numberConversionsAreExact() {
        assertEquals(Long.MAX_VALUE, new JsonNumber("9223372036854775807").longValue());
        assertEquals(100, new JsonNumber("1e2").longValue());
        assertThrows(ArithmeticException.class, () -> new JsonNumber("9223372036854775808").longValue());
        assertThrows(ArithmeticException.class, () -> new JsonNumber("1.5").longValue());
        assertThrows(ArithmeticException.class, () -> new JsonNumber("2147483648").intValue());
        assertEquals(1.5, new JsonNumber("15e-1").doubleValue());
    }
}
