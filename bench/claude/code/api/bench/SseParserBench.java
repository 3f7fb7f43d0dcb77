package claude.code.api.bench;

import claude.code.api.json.Json;
import claude.code.api.modelapi.SseParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sse_parse_mb_s}: {@link SseParser} over a streamed reply of 20,000 text deltas, fed in
 * 8 KiB chunks as the relay reads them. Baseline, same run: {@link Json#parse} of the same data
 * payloads alone (cut out beforehand), the work any typed event parser has to do; the ratio is
 * what the SSE framing and the typed records add.
 */
final class SseParserBench {
    private SseParserBench() {}

    static void run(Report report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String data = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"wörd " + i + " \"}}";
            payloads.add(data.getBytes(StandardCharsets.UTF_8));
            out.writeBytes(("event: content_block_delta\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] sse = out.toByteArray();
        long[] count = new long[1];
        long[] errors = new long[1];
        Runnable parse = () -> {
            SseParser p = new SseParser(e -> count[0]++, e -> errors[0]++);
            for (int off = 0; off < sse.length; off += 8192) p.accept(sse, off, Math.min(8192, sse.length - off));
            p.finish();
        };
        Runnable baseline = () -> {
            for (byte[] b : payloads) if (Json.parse(b) != null) count[0]++;
        };
        for (int i = 0; i < 30; i++) { parse.run(); baseline.run(); } // warm-up
        if (errors[0] != 0) throw new IllegalStateException(errors[0] + " parse errors");
        List<Double> parser = new ArrayList<>();
        List<Double> json = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            parser.add(mbPerSecond(parse, sse.length));
            json.add(mbPerSecond(baseline, sse.length));
        }
        double p = Stats.of(parser).median();
        double b = Stats.of(json).median();
        report.info("sse_parse_mb_s", p, "MB/s", "SseParser, 8 KiB chunks, " + sse.length + " bytes");
        report.info("sse_parse_baseline_mb_s", b, "MB/s", "Json.parse of the data payloads alone, same bytes counted");
        report.info("sse_parse_ratio", p / b, "x", "parser / baseline");
    }

    private static double mbPerSecond(Runnable r, long bytes) {
        long t0 = System.nanoTime();
        r.run();
        return bytes / 1e6 / ((System.nanoTime() - t0) / 1e9);
    }
}
