package claude.code.api.bench;

import claude.code.api.sidechannel.ModelApiRelay;
import claude.code.api.sidechannel.SessionChannel;
import claude.code.api.sidechannel.SideChannel;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.MockReply;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code relay_throughput_ratio}: bytes/s of one long streamed reply of the mock read through the
 * model-API relay (side channel, secret path, {@code java.net.http} upstream, unbuffered copy) vs.
 * the same reply fetched straight from the mock with {@code java.net.http}, interleaved in one run.
 * Both share the mock's own cost of encoding the stream; the ratio is what the relay's hop adds.
 */
final class RelayThroughputBench {
    private static final int LINES = 4000;
    private static final String BODY = "{\"model\":\"claude-bench\",\"stream\":true,\"max_tokens\":1024,\"messages\":["
            + "{\"role\":\"system\",\"content\":\"bench\"},{\"role\":\"user\",\"content\":\"a long reply please\"}]}";

    private RelayThroughputBench() {}

    static void run(Report report) throws Exception {
        try (MockMessagesApi api = MockMessagesApi.start(r -> MockReply.longText(LINES));
                SideChannel channel = SideChannel.start(); SessionChannel session = channel.register();
                ModelApiRelay relay = new ModelApiRelay(api.baseUrl());
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            session.mount(SideChannel.RELAY, relay);
            URI direct = api.baseUrl().resolve("/v1/messages?beta=true");
            URI relayed = URI.create(session.baseUrl() + "/v1/messages?beta=true");
            List<Double> viaRelay = new ArrayList<>();
            List<Double> straight = new ArrayList<>();
            long bytes = 0;
            for (int i = -3; i < 10; i++) { // three rounds of warm-up
                double[] r = fetch(client, relayed);
                double[] d = fetch(client, direct);
                if (r[1] != d[1]) {
                    throw new IllegalStateException("the relay changed the length: " + r[1] + " vs " + d[1]);
                }
                bytes = (long) d[1];
                if (i >= 0) {
                    viaRelay.add(r[0]);
                    straight.add(d[0]);
                    api.forgetRequests();
                }
            }
            Stats r = Stats.of(viaRelay);
            Stats d = Stats.of(straight);
            report.info("relay_throughput_mb_s", r.median(), "MB/s", bytes + " SSE bytes (" + LINES + " lines of text deltas) "
                    + "through the relay, median of 10; " + r);
            report.info("relay_throughput_direct_mb_s", d.median(), "MB/s", "baseline: the same stream fetched straight "
                    + "from the mock (java.net.http); " + d);
            report.info("relay_throughput_ratio", r.median() / d.median(), "x", "through the relay / direct");
        }
    }

    /** {MB/s, bytes} of one streamed reply read to its end. */
    private static double[] fetch(HttpClient client, URI uri) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofInputStream());
        long n = 0;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[8192];
            for (int k; (k = in.read(buffer)) > 0; ) {
                n += k;
            }
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(uri.getPath() + " answered " + response.statusCode());
        }
        return new double[] {n / ((System.nanoTime() - t0) / 1e9) / 1e6, n};
    }
}
