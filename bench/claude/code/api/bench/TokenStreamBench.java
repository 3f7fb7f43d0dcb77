package claude.code.api.bench;

import claude.code.api.events.AssistantMessage;
import claude.code.api.events.Event;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.StreamEvent;
import claude.code.api.events.StreamEvent.BlockHead;
import claude.code.api.events.StreamEvent.Delta;
import claude.code.api.events.TextBlock;
import claude.code.api.events.Usage;
import claude.code.api.gateway.TokenStreamProbe;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code token_stream_ns_per_delta}: the gateway's own cost of one upstream text delta on its way
 * to the client, per dialect: a turn of 20,000 deltas (one API call, as the model-API relay
 * delivers it) through {@code TurnView} and the dialect's stream onto a byte buffer, without
 * HTTP. Baseline, same run: the Messages API's own event for each delta built and written by hand
 * ({@code JsonObject} + {@link Json#write} + SSE framing, UTF-8), the work any server sending the
 * same bytes does; the ratio is what the gateway's view and dialect add.
 */
final class TokenStreamBench {
    private static final int DELTAS = 20_000;

    private TokenStreamBench() {}

    static void run(Report report) {
        List<Event> turn = turn();
        for (TokenStreamProbe.Dialect d : TokenStreamProbe.Dialect.values()) {
            TokenStreamProbe probe = new TokenStreamProbe(d);
            long[] bytes = new long[1];
            Runnable gateway = () -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 22);
                try {
                    probe.stream(turn, out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                bytes[0] = out.size();
            };
            Runnable baseline = TokenStreamBench::byHand;
            for (int i = 0; i < 20; i++) { gateway.run(); baseline.run(); } // warm-up
            List<Double> g = new ArrayList<>();
            List<Double> b = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                g.add(nsPerDelta(gateway));
                b.add(nsPerDelta(baseline));
            }
            String name = "token_stream_ns_per_delta_" + d.name().toLowerCase(java.util.Locale.ROOT);
            double gm = Stats.of(g).median();
            double bm = Stats.of(b).median();
            report.info(name, gm, "ns", DELTAS + " deltas -> " + bytes[0] + " SSE bytes, median of 20 runs");
            if (d == TokenStreamProbe.Dialect.MESSAGES) {
                report.info("token_stream_baseline_ns_per_delta", bm, "ns", "content_block_delta events written by hand");
            }
            report.info(name.replace("_ns_per_delta", "_ratio"), gm / bm, "x", "gateway / baseline");
        }
    }

    private static List<Event> turn() {
        List<Event> events = new ArrayList<>();
        events.add(new StreamEvent.MessageStart("msg_bench", "claude-bench", new Usage(10, 1, 0, 0), JsonObject.EMPTY));
        events.add(new StreamEvent.BlockStart(0, new BlockHead.Text("")));
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < DELTAS; i++) {
            String piece = "wörd " + i + " ";
            all.append(piece);
            events.add(new StreamEvent.BlockDelta(0, new Delta.TextDelta(piece)));
        }
        events.add(new StreamEvent.BlockStop(0));
        events.add(new StreamEvent.MessageDelta("end_turn", null, new Usage(0, DELTAS, 0, 0)));
        events.add(new StreamEvent.MessageStop());
        events.add(new AssistantMessage("a", "msg_bench", "claude-bench", List.of(new TextBlock(all.toString())), "end_turn",
                new Usage(10, DELTAS, 0, 0), null));
        events.add(new ResultMessage("s", Duration.ZERO, 1, new Usage(10, DELTAS, 0, 0), all.toString(), "end_turn", null, false));
        return events;
    }

    private static void byHand() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 22);
        for (int i = 0; i < DELTAS; i++) {
            JsonObject event = JsonObject.builder().put("type", "content_block_delta").put("index", 0)
                    .put("delta", JsonObject.builder().put("type", "text_delta").put("text", "wörd " + i + " ").build()).build();
            out.writeBytes(("event: content_block_delta\ndata: " + Json.write(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static double nsPerDelta(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / (double) DELTAS;
    }
}
