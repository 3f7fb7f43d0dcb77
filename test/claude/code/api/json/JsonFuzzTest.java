package claude.code.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Random mutations of valid and invalid documents (every JSONTestSuite file and every recorded
 * transcript line): the parser either accepts (and round-trips) or throws JsonParseException, and
 * never takes long on one input. {@code make test} runs 1,000,000 mutations; {@code make soak}
 * runs 20,000,000 ({@code -Djson.fuzz.mutations=N}).
 */
class JsonFuzzTest {
    static final int MUTATIONS = Integer.getInteger("json.fuzz.mutations", 1_000_000);
    /** A hang guard only: an input of at most a few tens of KB parses in microseconds. */
    static final long MAX_NANOS_PER_INPUT = Duration.ofSeconds(5).toNanos();
    /** Transcript lines up to this size are mutated (about 95% of them; the largest are mostly one long string). */
    static final int MAX_CORPUS_DOCUMENT = 16 * 1024;
    static final byte[] INTERESTING = "{}[]\",:\\0123456789-+.eEtrufalsn \t\r\n".getBytes(StandardCharsets.US_ASCII);
    static final Path TRANSCRIPTS = Path.of(System.getProperty("project.dir", "."), "test", "resources", "transcripts");

    static List<byte[]> corpus() throws IOException {
        List<byte[]> corpus = new ArrayList<>();
        for (Path p : JsonTestSuiteTest.suiteFiles()) {
            corpus.add(Files.readAllBytes(p));
        }
        try (Stream<Path> files = Files.list(TRANSCRIPTS)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                    if (bytes.length > 0 && bytes.length <= MAX_CORPUS_DOCUMENT) {
                        corpus.add(bytes);
                    }
                }
            }
        }
        return corpus;
    }

    @Test
    void theCorpusHoldsEverySuiteFileAndTheRecordedTranscriptLines() throws IOException {
        List<byte[]> corpus = corpus();
        assertTrue(corpus.size() > JsonTestSuiteTest.suiteFiles().size() + 250, "suite files and transcript lines: " + corpus.size());
    }

    @Test
    void mutatedDocumentsOnlyEverFailWithJsonParseExceptionAndNoneTakesLong() throws IOException {
        List<byte[]> corpus = corpus();
        SplittableRandom random = new SplittableRandom(20261125);
        int accepted = 0, rejected = 0;
        long slowest = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] doc = mutate(corpus.get(random.nextInt(corpus.size())), random);
            long start = System.nanoTime();
            try {
                JsonValue v = Json.parse(doc);
                assertEquals(v, Json.parse(Json.write(v)), () -> "round trip of " + HexFormat.of().formatHex(doc));
                accepted++;
            } catch (JsonParseException expected) {
                rejected++;
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("input " + HexFormat.of().formatHex(doc) + " threw " + e, e);
            }
            long took = System.nanoTime() - start;
            if (took > MAX_NANOS_PER_INPUT) {
                throw new AssertionError("input " + i + " (" + doc.length + " bytes) took " + took / 1_000_000 + " ms: "
                        + HexFormat.of().formatHex(doc, 0, Math.min(doc.length, 4096)));
            }
            slowest = Math.max(slowest, took);
        }
        assertEquals(MUTATIONS, accepted + rejected);
        assertTrue(accepted > 0 && rejected > 0, "both outcomes occur: " + accepted + " accepted, " + rejected + " rejected");
        System.out.printf("json fuzz: %,d inputs, %,d accepted, %,d rejected, slowest %.2f ms%n", MUTATIONS, accepted,
                rejected, slowest / 1e6);
    }

    /**
     * Inputs of several megabytes built to hit quadratic behaviour (long numbers, long escaped
     * strings, many members with one name, deep nesting, an error at the end of a long single line):
     * each is answered well within the guard, which a quadratic parser would blow by orders of magnitude.
     */
    @Test
    void pathologicalMegabyteInputsAreAnsweredInLinearTime() {
        int n = 4_000_000;
        assertLinear("a number of 4,000,000 digits", ("1" + "2".repeat(n)).getBytes(StandardCharsets.US_ASCII), true);
        assertLinear("a string of 1,000,000 escapes", ("\"" + "\\n\\u00e9\\ud83d\\ude00".repeat(n / 20) + "\"")
                .getBytes(StandardCharsets.US_ASCII), true);
        assertLinear("an object repeating one name 400,000 times", ("{" + "\"k\":1,".repeat(n / 10) + "\"k\":2}")
                .getBytes(StandardCharsets.US_ASCII), true);
        assertLinear("an object of 400,000 distinct names", buildObject(n / 10).getBytes(StandardCharsets.US_ASCII), true);
        assertLinear("an array of 2,000,000 elements", ("[" + "0,".repeat(n / 2) + "0]").getBytes(StandardCharsets.US_ASCII), true);
        assertLinear("4,000,000 opening brackets", "[".repeat(n).getBytes(StandardCharsets.US_ASCII), false);
        assertLinear("an error at the end of a 4 MB line", ("[" + "1,".repeat(n / 2) + "x]").getBytes(StandardCharsets.US_ASCII), false);
        assertLinear("4,000,000 stray continuation bytes in a string", stringOf((byte) 0x80, n), false);
        assertLinear("an unterminated 4 MB string", ("\"" + "a".repeat(n)).getBytes(StandardCharsets.US_ASCII), false);
        assertLinear("4 MB of whitespace", (" ".repeat(n) + "0").getBytes(StandardCharsets.US_ASCII), true);
    }

    private static String buildObject(int members) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < members; i++) {
            b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        return b.append('}').toString();
    }

    private static byte[] stringOf(byte fill, int n) {
        byte[] b = new byte[n + 2];
        Arrays.fill(b, fill);
        b[0] = '"';
        b[n + 1] = '"';
        return b;
    }

    private static void assertLinear(String what, byte[] doc, boolean valid) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try {
                JsonValue v = Json.parse(doc);
                assertTrue(valid, what + " was accepted");
                assertEquals(v, Json.parse(Json.writeUtf8(v)), what + " round-trips");
            } catch (JsonParseException e) {
                assertTrue(!valid, () -> what + " was rejected: " + e.getMessage());
                assertTrue(e.getMessage().contains("offset"), () -> what + ": " + e.getMessage());
            }
        }, what);
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
