package claude.code.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Random mutations of valid documents: the parser either accepts (and round-trips) or throws JsonParseException. */
class JsonFuzzTest {
    static final int MUTATIONS = 100_000;
    static final byte[] INTERESTING = "{}[]\",:\\0123456789-+.eEtrufalsn \t\r\n".getBytes();

    @Test
    void mutatedDocumentsOnlyEverFailWithJsonParseException() throws IOException {
        List<byte[]> corpus = new ArrayList<>();
        for (Path p : JsonTestSuiteTest.suiteFiles()) {
            if (p.getFileName().toString().startsWith("y_")) {
                corpus.add(Files.readAllBytes(p));
            }
        }
        corpus.add("{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"h\\u00e9 😀\"}],\"usage\":{\"input_tokens\":12}}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        SplittableRandom random = new SplittableRandom(20261125);
        int accepted = 0, rejected = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] doc = mutate(corpus.get(random.nextInt(corpus.size())), random);
            try {
                JsonValue v = Json.parse(doc);
                assertEquals(v, Json.parse(Json.write(v)), () -> "round trip of " + HexFormat.of().formatHex(doc));
                accepted++;
            } catch (JsonParseException expected) {
                rejected++;
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("input " + HexFormat.of().formatHex(doc) + " threw " + e, e);
            }
        }
        assertEquals(MUTATIONS, accepted + rejected);
    }

    static byte[] mutate(byte[] doc, SplittableRandom random) {
        byte[] out = doc;
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int n = out.length;
            int at = n == 0 ? 0 : random.nextInt(n + 1);
            out = switch (random.nextInt(6)) {
                case 0 -> { // flip to a random byte
                    if (n == 0) yield out;
                    byte[] c = out.clone();
                    c[Math.min(at, n - 1)] = (byte) random.nextInt(256);
                    yield c;
                }
                case 1 -> insert(out, at, new byte[] {INTERESTING[random.nextInt(INTERESTING.length)]});
                case 2 -> n == 0 ? out : delete(out, Math.min(at, n - 1), 1 + random.nextInt(Math.min(4, n - Math.min(at, n - 1))));
                case 3 -> Arrays.copyOf(out, at); // truncate
                case 4 -> { // duplicate a slice
                    int from = n == 0 ? 0 : random.nextInt(n);
                    int len = n - from == 0 ? 0 : 1 + random.nextInt(Math.min(16, n - from));
                    yield insert(out, at, Arrays.copyOfRange(out, from, from + len));
                }
                default -> insert(out, at, new byte[] {(byte) (0x80 + random.nextInt(0x80))}); // stray non-ASCII byte
            };
        }
        return out;
    }

    static byte[] insert(byte[] a, int at, byte[] bytes) {
        byte[] c = new byte[a.length + bytes.length];
        System.arraycopy(a, 0, c, 0, at);
        System.arraycopy(bytes, 0, c, at, bytes.length);
        System.arraycopy(a, at, c, at + bytes.length, a.length - at);
        return c;
    }

    static byte[] delete(byte[] a, int at, int len) {
        byte[] c = new byte[a.length - len];
        System.arraycopy(a, 0, c, 0, at);
        System.arraycopy(a, at + len, c, at, a.length - at - len);
        return c;
    }
}
