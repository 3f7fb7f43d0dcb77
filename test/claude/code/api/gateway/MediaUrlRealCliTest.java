package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.testing.RecordedRequest;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code --fetch-media-urls} on the real CLI and the mock Messages API: on, an Anthropic url image reaches the model
 * as the base64 image the client could have sent, byte for byte; off, the request is a 400 that names the switch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MediaUrlRealCliTest {
    HttpServer images;
    String url;
    String png;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void serve() throws Exception {
        png = MediaRealCliTest.png(40, 30, 0x123456);
        byte[] bytes = Base64.getDecoder().decode(png);
        images = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        images.createContext("/img/a.png", x -> {
            x.getResponseHeaders().set("Content-Type", "image/png");
            x.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(bytes);
            }
        });
        images.start();
        url = "http://127.0.0.1:" + images.getAddress().getPort() + "/img/a.png?sig=SECRET";
    }

    @AfterAll
    void stop() {
        images.stop(0);
        http.close();
    }

    HttpResponse<String> post(RealGateway g, String marker) throws Exception {
        String body = "{\"model\":\"claude-test\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":" + Json.quote(url) + "}},"
                + "{\"type\":\"text\",\"text\":\"what is in it? " + marker + "\"}]}]}";
        return http.send(HttpRequest.newBuilder(URI.create(g.baseUrl() + "/v1/messages"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void switchedOnAUrlImageReachesTheModelAsTheServedBytesInBase64() throws Exception {
        try (RealGateway g = RealGateway.start(c -> c.fetchMediaUrls(true))) {
            HttpResponse<String> r = post(g, "URL-IMAGE");
            assertEquals(200, r.statusCode(), r.body());
            RecordedRequest request = g.api.mainLoopRequests().stream().filter(q -> q.promptText().contains("URL-IMAGE"))
                    .findFirst().orElseThrow(() -> new AssertionError("no main-loop request with URL-IMAGE"));
            assertEquals(List.of("image:image/png:" + png, "text:URL-IMAGE"),
                    MediaRealCliTest.shape(MediaRealCliTest.userBlocks(request, "URL-IMAGE"), "URL-IMAGE"));
            assertTrue(!Json.write(request.body()).contains("SECRET"), "the URL went no further than the gateway");
        }
    }

    @Test
    void switchedOffAUrlImageIsA400NamingTheSwitch() throws Exception {
        try (RealGateway g = RealGateway.start(c -> c)) {
            HttpResponse<String> r = post(g, "URL-OFF");
            assertEquals(400, r.statusCode(), r.body());
            JsonObject error = ((JsonObject) Json.parse(r.body())).object("error");
            assertEquals("invalid_request_error", error.string("type"));
            assertTrue(error.string("message").startsWith("messages[0].content[0].source: a url source is not supported")
                    && error.string("message").contains("--fetch-media-urls on"), error.string("message"));
            assertEquals(List.of(), g.api.mainLoopRequests(), "nothing reached the model");
        }
    }
}
