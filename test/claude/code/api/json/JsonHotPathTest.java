package claude.code.api.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The parser's and the UTF-8 writer's fast paths give the same answers as the plain rules. */
class JsonHotPathTest {

    private static final String[] PIECES = {"a", "bcdefgh", "\"", "\\", "\n", "\t", "\u0001", "\u001f", "é", "日本", "😀",
            "\ud800", "\udfff", " ", "~", "\u007f", "\u2028", "0123456789abcdef", "?", "what?"};

    static List<String> samples() {
        List<String> out = new ArrayList<>(List.of("", "x", "plain ascii longer than eight bytes", "\"quoted\"",
                "a\\b", "tab\there", "\ud83d\ude00 pair", "lone \ud83d high", "lone \ude00 low"));
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(40);
            for (int j = 0; j < n; j++) {
                s.append(PIECES[random.nextInt(PIECES.length)]);
            }
            out.add(s.toString());
        }
        return out;
    }

    @Test
    void writeUtf8IsTheWrittenTextEncodedAsUtf8() {
        for (String s : samples()) {
            JsonValue v = JsonObject.builder().put(s, new JsonString(s)).put("n", JsonArray.of(new JsonNumber("-1.5e3"),
                    JsonBool.TRUE, JsonNull.INSTANCE)).build();
            assertArrayEquals(Json.write(v).getBytes(StandardCharsets.UTF_8), Json.writeUtf8(v), () -> "for " + Json.write(v));
        }
    }

    @Test
    void writeUtf8FromManyThreadsAtOnceGivesEachItsOwnBytes() throws Exception {
        // The writer's buffers are recycled between calls: threads must never share one.
        List<String> samples = samples();
        onEightThreadsAtOnce(offset -> {
            for (int i = offset; i < samples.size(); i += 3) {
                JsonValue v = JsonArray.of(new JsonString(samples.get(i)), new JsonString("x".repeat(i)));
                assertArrayEquals(Json.write(v).getBytes(StandardCharsets.UTF_8), Json.writeUtf8(v));
            }
        });
    }

    @Test
    void parseFromManyThreadsAtOnceGivesEachItsOwnStrings() throws Exception {
        // The parser's string buffers are recycled between calls: threads must never share them.
        List<String> samples = samples();
        onEightThreadsAtOnce(offset -> {
            for (int i = offset; i < samples.size(); i += 3) {
                JsonValue v = JsonArray.of(new JsonString(samples.get(i) + "\n" + "é".repeat(i)));
                assertEquals(v, Json.parse(Json.writeUtf8(v)));
            }
        });
    }

    /** Runs {@code round} 20 times on each of 8 platform threads at once (given the thread's number); fails with what any threw. */
    private static void onEightThreadsAtOnce(java.util.function.IntConsumer round) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 8; t++) {
            int offset = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int r = 0; r < 20; r++) {
                        round.accept(offset);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void stringsParsedFromUtf8BytesComeBackUnchanged() {
        for (String s : samples()) {
            JsonValue v = new JsonString(s);
            byte[] bytes = Json.writeUtf8(v);
            assertEquals(v, Json.parse(bytes), () -> "for " + Json.write(v));
            assertEquals(v, Json.parse(new String(bytes, StandardCharsets.UTF_8)));
        }
    }

    @Test
    void escapedSurrogatesAreDecodedAsPairsOrKeptLone() {
        assertEquals(new JsonString("x\ud83d\ude00y"), Json.parse("\"x\\ud83d\\ude00y\"".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new JsonString("x\ud83dy"), Json.parse("\"x\\ud83dy\"".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new JsonString("\ud83d\ud83d"), Json.parse("\"\\ud83d\\ud83d\"".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new JsonString("é\n\ude00"), Json.parse("\"é\\n\\ude00\"".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new JsonString("\u00e9\u65e5"), Json.parse("\"\\u00e9\\u65e5\"".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void invalidUtf8AfterAnEscapeIsStillAnErrorWithItsOffset() {
        byte[] bad = {'"', 'a', '\\', 'n', 'b', (byte) 0xC3, 'x', '"'};
        JsonParseException e = assertThrows(JsonParseException.class, () -> Json.parse(bad));
        assertTrue(e.getMessage().contains("invalid UTF-8"), e.getMessage());
        assertEquals(6, e.offset());
    }

    @Test
    void controlCharactersAfterALongPlainRunAreRefused() {
        byte[] bad = ("\"" + "a".repeat(19) + "\u0001\"").getBytes(StandardCharsets.UTF_8);
        JsonParseException e = assertThrows(JsonParseException.class, () -> Json.parse(bad));
        assertEquals(20, e.offset());
    }

    @Test
    void repeatedMemberNamesAreSharedAndStillCompareByValue() {
        JsonArray a = (JsonArray) Json.parse("[{\"type\":1},{\"type\":2},{\"typf\":3},{\"ty\\u0070e\":4}]".getBytes(StandardCharsets.UTF_8));
        String first = ((JsonMembers) a.object(0).members()).keyAt(0);
        assertSame(first, ((JsonMembers) a.object(1).members()).keyAt(0));
        assertEquals("typf", ((JsonMembers) a.object(2).members()).keyAt(0));
        assertEquals(4L, a.object(3).integer("type"));
    }

    @Test
    void duplicateNamesStillReplaceTheEarlierValue() {
        JsonObject o = (JsonObject) Json.parse("{\"k\":1,\"k\":2}".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, o.members().size());
        assertEquals(2L, o.integer("k"));
    }
}
