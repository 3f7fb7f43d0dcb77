package claude.code.api.bench;

import claude.code.api.transcript.TailOptions;
import claude.code.api.transcript.TailProblem;
import claude.code.api.transcript.TailSink;
import claude.code.api.transcript.TranscriptTail;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code tail_latency_ms}: a line appended to a transcript file (one {@code write} of a whole
 * JSONL record, as the CLI does) until the {@link TranscriptTail} hands it to its sink, with the
 * production {@link TailOptions#DEFAULTS}. Appends are spaced 2-10 ms apart at random so that each
 * one finds the tail asleep, as in a real turn.
 */
final class TailLatency {
    private TailLatency() {}

    static void run(Report report) throws Exception {
        Path dir = Files.createTempDirectory("bench-tail-");
        Path file = dir.resolve("00000000-0000-4000-8000-000000000000.jsonl");
        SynchronousQueue<Long> arrivals = new SynchronousQueue<>();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
                TranscriptTail _ = TranscriptTail.open(file, 0, TailOptions.DEFAULTS, new TailSink() {
                    @Override
                    public void line(long offset, byte[] bytes, int off, int len) {
                        long now = System.nanoTime();
                        try {
                            arrivals.put(now);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }

                    @Override
                    public void problem(TailProblem problem) {
                        System.out.println("tail problem: " + problem);
                    }
                })) {
            List<Long> latencies = new ArrayList<>();
            int warmup = 50;
            int measured = 300;
            for (int i = 0; i < warmup + measured; i++) {
                Thread.sleep(2 + ThreadLocalRandom.current().nextInt(9));
                byte[] line = ("{\"type\":\"assistant\",\"uuid\":\"" + i + "\",\"message\":{\"role\":\"assistant\","
                        + "\"content\":[{\"type\":\"text\",\"text\":\"line " + i + "\"}]}}\n").getBytes(StandardCharsets.UTF_8);
                long t0 = System.nanoTime();
                out.write(ByteBuffer.wrap(line));
                Long t1 = arrivals.poll(5, TimeUnit.SECONDS);
                if (t1 == null) {
                    throw new IllegalStateException("the tail did not deliver line " + i + " within 5 s");
                }
                if (i >= warmup) {
                    latencies.add(t1 - t0);
                }
            }
            Stats s = Stats.ofNanosAsMillis(latencies);
            report.add("tail_latency_ms_p50", s.median(), "ms", "<= 2", s.median() <= 2,
                    "append -> TailSink.line, " + measured + " appends 2-10 ms apart; " + s);
            report.add("tail_latency_ms_p90", s.p90(), "ms", "", null, "");
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
