package claude.code.api.sidechannel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import claude.code.api.testing.TestTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayHttpsTest {

    @Test
    void anHttpsUpstreamTrustedThroughTheSslOptionWorks(@TempDir Path dir) throws Exception {
        TestTls tls = TestTls.create(dir);
        SSLContext serverTls = tls.server();
        SSLContext relayTrust = tls.trustingClient();

        HttpsServer upstream = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        upstream.setExecutor(threads);
        upstream.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body); // echo: what arrived is what was sent
            }
        });
        upstream.start();
        try (threads; SideChannel channel = SideChannel.start(); SessionChannel session = channel.register();
                ModelApiRelay relay = new ModelApiRelay(
                        URI.create("https://127.0.0.1:" + upstream.getAddress().getPort()), relayTrust, RelayTap.NONE);
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            session.mount(SideChannel.RELAY, relay);
            String sent = "{\"model\":\"m\",\"messages\":[]}";
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create(session.baseUrl() + "/v1/messages/count_tokens"))
                    .POST(HttpRequest.BodyPublishers.ofString(sent)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(sent, response.body());
        } finally {
            upstream.stop(0);
        }
    }
}
