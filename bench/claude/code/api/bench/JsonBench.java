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

    /** Runs the four benchmarks in one forked JVM and reports the ratios. */
    static void run(Report report, Path corpus) throws Exception {
        var options = new OptionsBuilder().include(JsonBench.class.getName() + "\\.")
                .forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("-Dbench.corpus=" + corpus.toAbsolutePath(), "-Xmx1g")
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT).shouldFailOnError(true).build();
        System.out.println("   JMH: 4 benchmarks, 1 fork, 3 x 1 s warm-up, 5 x 1 s measurement (ops/s; one op = the whole corpus)");
        Collection<RunResult> results = new Runner(options).run();
        for (RunResult r : results) {
            var primary = r.getPrimaryResult();
            System.out.printf("   %-14s %10.2f ± %.2f %s%n", r.getParams().getBenchmark().replaceAll(".*\\.", ""),
                    primary.getScore(), primary.getScoreError(), primary.getScoreUnit());
        }
        double parseOurs = score(results, "parseOurs");
        double parseJackson = score(results, "parseJackson");
        double writeOurs = score(results, "writeOurs");
        double writeJackson = score(results, "writeJackson");
        double parse = parseOurs / parseJackson;
        double write = writeOurs / writeJackson;
        report.add("json_parse_ratio", parse, "x", ">= 1.0", parse >= 1.0,
                "JMH throughput Json.parse(byte[]) / Jackson readTree, corpus ops/s %.1f vs %.1f".formatted(parseOurs, parseJackson));
        report.add("json_write_ratio", write, "x", ">= 1.0", write >= 1.0,
                "JMH throughput Json.writeUtf8 / Jackson writeValueAsBytes, corpus ops/s %.1f vs %.1f".formatted(writeOurs, writeJackson));
    }

    private static double score(Collection<RunResult> results, String method) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith("." + method)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no JMH result for " + method))
                .getPrimaryResult().getScore();
    }
}
