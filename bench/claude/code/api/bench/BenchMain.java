package claude.code.api.bench;

import claude.code.api.testing.CliPeer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code make bench}: every benchmark of issue 7 in one run, each comparison a ratio against a
 * baseline measured in the same run. Prints {@code BENCH <name> <value> <unit>} lines as figures
 * come in, then a table. Arguments (optional): the sections to run, e.g. {@code tail json}.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        Set<String> only = Set.of(args);
        boolean jmhOnly = only.equals(Set.of("jmh"));
        Report report = new Report();
        long start = System.nanoTime();
        System.out.println("claude-code-api benchmarks: JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                + " CPUs, claude " + CliPeer.version() + " (" + CliPeer.executable() + ")");
        Path work = Files.createTempDirectory("claude-code-api-bench-");
        try {
            if (run(only, "fingerprint")) {
                section("fingerprint_1000_ms", () -> FingerprintBench.run(report), report);
            }
            if (run(only, "sse")) {
                section("sse_parse_mb_s", () -> SseParserBench.run(report), report);
            }
            if (run(only, "tokens")) {
                section("token_stream_ns_per_delta", () -> TokenStreamBench.run(report), report);
            }
            if (run(only, "relay")) {
                section("relay_throughput_ratio", () -> RelayThroughputBench.run(report), report);
            }
            if (run(only, "tail")) {
                section("tail_latency_ms", () -> TailLatency.run(report), report);
            }
            // Kept after the run (build/bench/), so that `make bench BENCH_ARGS=jmh` can re-run JMH on it alone.
            Path out = Files.createDirectories(Path.of(System.getProperty("bench.out", "build/bench")));
            Path corpus = out.resolve("json-corpus.bin");
            try (CliBench cli = jmhOnly ? null : new CliBench(report)) {
                if (run(only, "cold")) {
                    section("cold_turn_ratio", () -> cli.coldTurn(5), report);
                }
                if (run(only, "warm")) {
                    section("warm_turn_overhead_ms", () -> cli.warmTurns(20), report);
                    section("warm_turn_overhead_ms (waitForTurnDuration false)", () -> cli.warmTurns(20, false), report);
                }
                if (run(only, "relay")) {
                    section("first_token_overhead_ms, relay on vs off", () -> cli.relayTurns(20), report);
                }
                if (run(only, "tools")) {
                    section("client_tool_call_overhead_ms, client_tool_result_overhead_ms", () -> cli.clientToolTurns(20), report);
                }
                if (run(only, "idle")) {
                    section("idle_session_heap_kb", () -> cli.idleSessions(20), report);
                }
                if (run(only, "json")) {
                    section("json corpus", () -> {
                        cli.corpusTurns();
                        cli.writeCorpus(corpus);
                    }, report);
                }
                if (cli != null) {
                    cli.checkNoStrays();
                }
            }
            if ((run(only, "json") || only.contains("jmh")) && Files.exists(corpus)) {
                section("json_parse_ratio", () -> JsonBench.run(report, corpus), report);
            }
            if (run(only, "concurrent")) {
                section("concurrent_conversations", () -> ConcurrentConversations.run(report,
                        Path.of(System.getProperty("gateway.jar")), CliPeer.executable(), 16, 5, 16), report);
            }
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        report.printTable();
        System.out.printf("%nbench: %.0f s in all; this JVM's peak heap use is not a figure (see idle_session_heap_kb)%n",
                (System.nanoTime() - start) / 1e9);
        System.out.println("JVM: " + ManagementFactory.getRuntimeMXBean().getVmName() + " " + Runtime.version());
        System.exit(report.failures().isEmpty() ? 0 : 1);
    }

    private static boolean run(Set<String> only, String name) {
        return only.isEmpty() || only.contains(name);
    }

    interface Section {
        void run() throws Exception;
    }

    private static void section(String name, Section section, Report report) {
        long t0 = System.nanoTime();
        System.out.println("== " + name);
        try {
            section.run();
        } catch (Throwable t) {
            report.failed(name, t);
        }
        System.out.printf("   (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
    }
}
