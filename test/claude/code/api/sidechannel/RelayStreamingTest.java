package claude.code.api.sidechannel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RelayStreamingTest {

    private static final byte[] FIRST = "event: ping\ndata: {\"type\":\"ping\"}\n\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SECOND = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void aStreamedReplyReachesTheClientPieceByPieceAsTheUpstreamWritesIt() throws Exception {
        // The upstream writes its second event only after the client has read the first through the relay:
        // a relay that buffered to the end would deadlock here (and fail on the latch) instead.
        CountDownLatch firstRead = new CountDownLatch(1);
        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        upstream.setExecutor(threads);
        upstream.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                out.write(FIRST);
                out.flush();
                if (!firstRead.await(30, TimeUnit.SECONDS)) {
                    return;
                }
                out.write(SECOND);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        upstream.start();
        try (threads; SideChannel channel = SideChannel.start(); SessionChannel session = channel.register();
                ModelApiRelay relay = new ModelApiRelay(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()));
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            session.mount(SideChannel.RELAY, relay);
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(
                    URI.create(session.baseUrl() + "/v1/messages?beta=true"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals("text/event-stream", response.headers().firstValue("content-type").orElseThrow());
            try (InputStream in = response.body()) {
                assertEquals(new String(FIRST, StandardCharsets.UTF_8),
                        new String(in.readNBytes(FIRST.length), StandardCharsets.UTF_8));
                firstRead.countDown();
                assertEquals(new String(SECOND, StandardCharsets.UTF_8),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } finally {
            upstream.stop(0);
        }
    }
}
