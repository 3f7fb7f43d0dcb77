package claude.code.api.bench;

import claude.code.api.json.Json;
import claude.code.api.json.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code json_parse_ratio} and {@code json_write_ratio} with JMH: our {@link Json} against
 * Jackson's {@code ObjectMapper} on the same corpus of real transcript lines (system property
 * {@code bench.corpus}, written by {@link CliBench#writeCorpus}). One operation = the whole corpus.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JsonBench {

    private byte[][] lines;
    private JsonValue[] ours;
    private JsonNode[] theirs;
    private final ObjectMapper mapper = new ObjectMapper();

    @Setup
    public void load() throws IOException {
        lines = read(Path.of(System.getProperty("bench.corpus")));
        ours = new JsonValue[lines.length];
        theirs = new JsonNode[lines.length];
        for (int i = 0; i < lines.length; i++) {
            ours[i] = Json.parse(lines[i]);
            theirs[i] = mapper.readTree(lines[i]);
        }
    }

    static byte[][] read(Path corpus) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(corpus)))) {
            while (true) {
                int n;
                try {
                    n = in.readInt();
                } catch (EOFException e) {
                    break;
                }
                out.add(in.readNBytes(n));
            }
        }
        return out.toArray(byte[][]::new);
    }

    @Benchmark
    public void parseOurs(Blackhole bh) {
        for (byte[] line : lines) {
            bh.consume(Json.parse(line));
        }
    }

    @Benchmark
    public void parseJackson(Blackhole bh) throws IOException {
        for (byte[] line : lines) {
            bh.consume(mapper.readTree(line));
        }
    }

    @Benchmark
    public void writeOurs(Blackhole bh) {
        for (JsonValue v : ours) {
            bh.consume(Json.writeUtf8(v));
        }
    }

    @Benchmark
    public void writeJackson(Blackhole bh) throws IOException {
        for (JsonNode n : theirs) {
            bh.consume(mapper.writeValueAsBytes(n));
        }
    }

    /**
     * Runs each pair ours/Jackson as A B B A, each run in its own forked JVM, and reports the ratio
     * of the summed scores: on a shared, noisy machine a drift in load then weighs on both sides.
     */
    static void run(Report report, Path corpus) throws Exception {
        System.out.println("   JMH: per benchmark 1 fork, 2 x 1 s warm-up, 4 x 1 s measurement, runs in A B B A order "
                + "(ops/s; one op = the whole corpus)");
        double[] parse = pair(corpus, "parseOurs", "parseJackson");
        double[] write = pair(corpus, "writeOurs", "writeJackson");
        double parseRatio = parse[0] / parse[1];
        double writeRatio = write[0] / write[1];
        report.add("json_parse_ratio", parseRatio, "x", ">= 1.0", parseRatio >= 1.0,
                "JMH throughput Json.parse(byte[]) / Jackson readTree, ops/s %.1f vs %.1f".formatted(parse[0] / 2, parse[1] / 2));
        report.add("json_write_ratio", writeRatio, "x", ">= 1.0", writeRatio >= 1.0,
                "JMH throughput Json.writeUtf8 / Jackson writeValueAsBytes, ops/s %.1f vs %.1f".formatted(write[0] / 2, write[1] / 2));
    }

    /** Sums of the scores of {@code a} and {@code b}, run as a, b, b, a. */
    private static double[] pair(Path corpus, String a, String b) throws Exception {
        double sa = 0;
        double sb = 0;
        for (String method : List.of(a, b, b, a)) {
            double score = jmh(corpus, method);
            if (method.equals(a)) {
                sa += score;
            } else {
                sb += score;
            }
        }
        return new double[] {sa, sb};
    }

    private static double jmh(Path corpus, String method) throws Exception {
        var options = new OptionsBuilder().include(JsonBench.class.getName() + "\\." + method + "$")
                .forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1))
                .measurementIterations(4).measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("-Dbench.corpus=" + corpus.toAbsolutePath(), "-Xmx1g")
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT).shouldFailOnError(true).build();
        Collection<RunResult> results = new Runner(options).run();
        double score = score(results, method);
        var primary = results.iterator().next().getPrimaryResult();
        System.out.printf("   %-14s %10.2f ± %.2f %s%n", method, score, primary.getScoreError(), primary.getScoreUnit());
        return score;
    }

    private static double score(Collection<RunResult> results, String method) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith("." + method)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no JMH result for " + method))
                .getPrimaryResult().getScore();
    }
}
