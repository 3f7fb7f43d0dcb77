package claude.code.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonParserTest {

    @Test
    void parsesEveryKindOfValue() {
        JsonObject o = (JsonObject) Json.parse("{\"s\":\"x\",\"n\":-1.5e3,\"t\":true,\"f\":false,\"z\":null,\"a\":[1,{}],\"o\":{}}");
        assertEquals(new JsonString("x"), o.get("s"));
        assertEquals(new JsonNumber("-1.5e3"), o.get("n"));
        assertEquals(JsonBool.TRUE, o.get("t"));
        assertEquals(JsonBool.FALSE, o.get("f"));
        assertEquals(JsonNull.INSTANCE, o.get("z"));
        assertEquals(JsonArray.of(JsonNumber.of(1), JsonObject.EMPTY), o.get("a"));
        assertEquals(JsonObject.EMPTY, o.get("o"));
    }

    @Test
    void keepsMembersInInsertionOrder() {
        JsonObject o = (JsonObject) Json.parse("{\"z\":1,\"a\":2,\"m\":3,\"b\":4,\"y\":5,\"c\":6,\"x\":7,\"d\":8,\"w\":9,\"e\":10}");
        assertEquals(List.of("z", "a", "m", "b", "y", "c", "x", "d", "w", "e"), List.copyOf(o.names()));
        assertEquals(JsonNumber.of(9), o.get("w"));
    }

    @Test
    void duplicateNamesKeepTheLastValueAtTheFirstPosition() {
        JsonObject o = (JsonObject) Json.parse("{\"a\":1,\"b\":2,\"a\":3}");
        assertEquals(List.of("a", "b"), List.copyOf(o.names()));
        assertEquals(JsonNumber.of(3), o.get("a"));
        assertEquals("{\"a\":3,\"b\":2}", Json.write(o));
    }

    @Test
    void decodesEscapesAndMultiByteUtf8() {
        JsonValue v = Json.parse("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00 ünï 日本 😀\"".getBytes(StandardCharsets.UTF_8));
        assertEquals(new JsonString("a\"\\/\b\f\n\r\té😀 ünï 日本 😀"), v);
    }

    @Test
    void keepsEscapedLoneSurrogatesAndWritesThemEscaped() {
        JsonString s = (JsonString) Json.parse("\"x\\ud800y\"");
        assertEquals("x\ud800y", s.value());
        assertEquals("\"x\\ud800y\"", Json.write(s));
    }

    @Test
    void numbersKeepTheirExactText() {
        JsonNumber n = (JsonNumber) Json.parse("123456789012345678901234567890.000000000000000000001");
        assertEquals("123456789012345678901234567890.000000000000000000001", n.text());
        assertEquals(new java.math.BigDecimal("123456789012345678901234567890.000000000000000000001"), n.bigDecimalValue());
    }

    @Test
    void parsesASliceOfAByteArray() {
        byte[] bytes = "garbage{\"k\":[true]}garbage".getBytes(StandardCharsets.UTF_8);
        assertEquals(Json.parse("{\"k\":[true]}"), Json.parse(bytes, 7, 12));
    }

    @Test
    void errorNamesWhatWasExpectedWithLineColumnAndByteOffset() {
        JsonParseException e = assertThrows(JsonParseException.class,
                () -> Json.parse("{\n  \"a\": 1\n  \"b\": 2\n}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(13, e.offset());
        assertEquals(3, e.line());
        assertEquals(3, e.column());
        assertTrue(e.getMessage().contains("expected ',' or '}'"), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset 13"), e.getMessage());
    }

    @Test
    void errorsInStringInputCountChars() {
        JsonParseException e = assertThrows(JsonParseException.class, () -> Json.parse("[\"日本\", x]"));
        assertEquals(7, e.offset());
        assertEquals(8, e.column());
        assertTrue(e.getMessage().contains("char offset 7"), e.getMessage());
    }

    @Test
    void columnsCountCharactersNotBytes() {
        JsonParseException e = assertThrows(JsonParseException.class,
                () -> Json.parse("[\"日本\", x]".getBytes(StandardCharsets.UTF_8)));
        assertEquals(11, e.offset());
        assertEquals(8, e.column());
    }

    @Test
    void rejectsInvalidUtf8WithItsOffset() {
        byte[] overlong = {'"', 'a', (byte) 0xC0, (byte) 0xAF, '"'};
        JsonParseException e = assertThrows(JsonParseException.class, () -> Json.parse(overlong));
        assertEquals(2, e.offset());
        assertTrue(e.getMessage().contains("invalid UTF-8"), e.getMessage());
    }

    @Test
    void rejectsAnUnpairedSurrogateInAJavaString() {
        JsonParseException e = assertThrows(JsonParseException.class, () -> Json.parse("\"ab\ud800\""));
        assertEquals(3, e.offset());
        assertTrue(e.getMessage().contains("unpaired surrogate U+D800"), e.getMessage());
    }

    @Test
    void rejectsRawControlCharactersInStrings() {
        JsonParseException e = assertThrows(JsonParseException.class, () -> Json.parse("\"a\tb\""));
        assertTrue(e.getMessage().contains("control character U+0009"), e.getMessage());
    }

    @Test
    void rejectsTrailingContent() {
        JsonParseException e = assertThrows(JsonParseException.class, () -> Json.parse("{} {}"));
        assertTrue(e.getMessage().contains("after the JSON value"), e.getMessage());
    }

    @Test
    void rejectsEmptyInput() {
        JsonParseException e = assertThrows(JsonParseException.class, () -> Json.parse("  "));
        assertTrue(e.getMessage().contains("empty input"), e.getMessage());
    }

    @Test
    void nestingBeyondTheDefaultLimitIsAParseError() {
        String deep = "[".repeat(1001) + "]".repeat(1001);
        JsonParseException e = assertThrows(JsonParseException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting deeper than 1000"), e.getMessage());
        assertInstanceOf(JsonArray.class, Json.parse("[".repeat(1000) + "]".repeat(1000)));
    }

    @Test
    void theDepthLimitIsConfigurable() {
        JsonParser shallow = JsonParser.withMaxDepth(2);
        assertInstanceOf(JsonArray.class, shallow.parse("[[1]]"));
        assertThrows(JsonParseException.class, () -> shallow.parse("[[[1]]]"));
        assertThrows(JsonParseException.class, () -> shallow.parse("{\"a\":{\"b\":{}}}".replace("{}", "{\"c\":1}")));
    }

    @Test
    void aMillionLevelsNeverOverflowTheStack() {
        JsonParser unlimited = JsonParser.withMaxDepth(Integer.MAX_VALUE);
        String deep = "[".repeat(1_000_000) + "]".repeat(1_000_000);
        JsonValue v = unlimited.parse(deep);
        int depth = 0;
        while (v instanceof JsonArray a && !a.isEmpty()) {
            v = a.get(0);
            depth++;
        }
        assertEquals(999_999, depth);
        assertThrows(JsonParseException.class, () -> unlimited.parse("[".repeat(1_000_000)));
    }
}
