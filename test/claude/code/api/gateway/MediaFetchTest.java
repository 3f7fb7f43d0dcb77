package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.MediaSource;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code --fetch-media-urls on}: url sources fetched from a local server (127.0.0.1) and handed on as base64; every
 * failure a 400 naming the block, the host and what failed, never the URL's path or query.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MediaFetchTest {
    static final byte[] PNG = Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
            + "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    static final byte[] PDF = "%PDF-1.4\n1 0 obj <</Type /Page>> endobj\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    HttpServer server;
    String base;
    /** Threads for the handlers: the slow one holds its own until the end. */
    final ExecutorService handlers = Executors.newCachedThreadPool();
    /** Holds the slow handler until the test is over. */
    final CountDownLatch release = new CountDownLatch(1);
    MediaFetch fetch;
    /** For the slow server only: a short bound keeps the test short (the others get the real one). */
    MediaFetch impatient;

    @BeforeAll
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/a.png", x -> send(x, 200, "image/png; name=a", PNG));
        server.createContext("/doc.pdf", x -> send(x, 200, "application/pdf", PDF));
        server.createContext("/missing", x -> send(x, 404, "text/html", "<h1>no</h1>".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/page.html", x -> send(x, 200, "text/html; charset=utf-8", PNG));
        server.createContext("/untyped", x -> send(x, 200, null, PNG));
        server.createContext("/big.png", x -> { // no Content-Length: the size shows only by reading
            x.getResponseHeaders().set("Content-Type", "image/png");
            x.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = x.getResponseBody()) {
                for (long n = 0; n <= 2L * MediaSource.MAX_IMAGE_BYTES; n += chunk.length) {
                    out.write(chunk);
                }
            } catch (IOException cut) {
                // the fetch stopped reading
            }
        });
        server.createContext("/declared-big.png", x -> { // the Content-Length says it all: not read
            x.getResponseHeaders().set("Content-Type", "image/png");
            x.sendResponseHeaders(200, MediaSource.MAX_IMAGE_BYTES + 1L);
            OutputStream out = x.getResponseBody();
            out.write(PNG); // some bytes, so that the headers leave
            out.flush();
            x.close();
        });
        server.createContext("/redirect", x -> redirect(x, "/a.png?token=SECRET"));
        server.createContext("/loop", x -> redirect(x, "/loop"));
        server.createContext("/to-file", x -> redirect(x, "file:///etc/passwd"));
        server.createContext("/slow", x -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(x, 200, "image/png", PNG);
        });
        server.setExecutor(handlers);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        fetch = new MediaFetch();
        impatient = new MediaFetch(Duration.ofMillis(500));
    }

    @AfterAll
    void stop() {
        release.countDown();
        fetch.close();
        impatient.close();
        server.stop(0);
        handlers.shutdownNow();
    }

    static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        if (type != null) {
            x.getResponseHeaders().set("Content-Type", type);
        }
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    static void redirect(HttpExchange x, String location) throws IOException {
        x.getResponseHeaders().set("Location", location);
        x.sendResponseHeaders(302, -1);
        x.close();
    }

    static JsonObject anthropicImage(String url) {
        return (JsonObject) Json.parse("{\"messages\":[{\"role\":\"user\",\"content\":\"first\"},"
                + "{\"role\":\"assistant\",\"content\":\"ok\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
                + "\"look\"},{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":" + Json.quote(url) + "}}]}]}");
    }

    static JsonObject source(JsonObject body, int message, int block) {
        return (JsonObject) GatewayFixture.at(body, "messages", "" + message, "content", "" + block, "source");
    }

    /** The 400's message for fetching {@code path} as the image of {@link #anthropicImage}. */
    String failure(String path) {
        HttpError e = assertThrows(HttpError.class, () -> fetch.anthropic(anthropicImage(base + path)));
        assertEquals(400, e.status);
        assertEquals("invalid_request_error", e.type);
        assertFalse(e.getMessage().contains(path.replaceFirst("\\?.*", "")) || e.getMessage().contains("SECRET"),
                "the URL's path or query in: " + e.getMessage());
        return e.getMessage();
    }

    static void assertEndsWith(String end, String message) {
        assertTrue(message.endsWith(end), message);
    }

    @Test
    void anImageUrlBecomesABase64SourceWithTheServedBytesAndTheTypeWithoutParameters() throws HttpError {
        JsonObject out = fetch.anthropic(anthropicImage(base + "/a.png"));
        JsonObject source = source(out, 2, 1);
        assertEquals("base64", source.string("type"));
        assertEquals("image/png", source.string("media_type"));
        assertArrayEquals(PNG, Base64.getDecoder().decode(source.string("data")));
        assertEquals("look", ((JsonObject) GatewayFixture.at(out, "messages", "2", "content", "0")).string("text"));
    }

    @Test
    void aDocumentUrlBecomesABase64PdfKeepingItsTitle() throws HttpError {
        JsonObject body = (JsonObject) Json.parse("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\","
                + "\"title\":\"T\",\"source\":{\"type\":\"url\",\"url\":\"" + base + "/doc.pdf\"}}]}]}");
        JsonObject block = (JsonObject) GatewayFixture.at(fetch.anthropic(body), "messages", "0", "content", "0");
        assertEquals("T", block.string("title"));
        assertEquals("application/pdf", block.object("source").string("media_type"));
        assertArrayEquals(PDF, Base64.getDecoder().decode(block.object("source").string("data")));
    }

    @Test
    void anImageInAToolResultIsFetchedToo() throws HttpError {
        JsonObject body = (JsonObject) Json.parse("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                + "\"tool_use_id\":\"t1\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\""
                + base + "/a.png\"}}]}]}]}");
        JsonObject source = (JsonObject) GatewayFixture.at(fetch.anthropic(body), "messages", "0", "content", "0", "content",
                "0", "source");
        assertArrayEquals(PNG, Base64.getDecoder().decode(source.string("data")));
    }

    @Test
    void aRequestWithoutUrlSourcesIsLeftAsItIs() throws HttpError {
        JsonObject body = (JsonObject) Json.parse("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\","
                + "\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"AAAA\"}}]}]}");
        assertSame(body, fetch.anthropic(body));
        assertSame(body, fetch.chat(body));
        assertSame(body, fetch.responses(body));
    }

    @Test
    void aFailedStatusNamesTheBlockTheHostAndTheStatusButNotThePathOrQuery() {
        assertEquals("messages[2].content[1].source.url: could not fetch the image from host 127.0.0.1: status 404",
                failure("/missing?token=SECRET"));
    }

    @Test
    void aResponseOfAnotherMediaTypeIsRefusedAsABase64BlockOfItWouldBe() {
        assertEndsWith("unsupported media type \"text/html\" (supported: image/png, image/jpeg, "
                + "image/gif, image/webp)", failure("/page.html"));
        assertEndsWith("unsupported media type (no Content-Type) (supported: image/png, "
                + "image/jpeg, image/gif, image/webp)", failure("/untyped"));
        JsonObject pdfAsImage = anthropicImage(base + "/doc.pdf");
        HttpError e = assertThrows(HttpError.class, () -> fetch.anthropic(pdfAsImage));
        assertTrue(e.getMessage().contains("unsupported media type \"application/pdf\""), e.getMessage());
    }

    @Test
    void aBodyOverTheImageLimitIsCutAndRefused() {
        String tooLarge = "could not fetch the image from host 127.0.0.1: too large: more than 5242880 bytes (the image "
                + "limit, 5 MB)";
        assertEndsWith(tooLarge, failure("/big.png"));
        assertEndsWith(tooLarge, failure("/declared-big.png"));
    }

    @Test
    void redirectsAreFollowedUpToThreeEachCheckedAgain() {
        assertEndsWith("from host 127.0.0.1: more than 3 redirects", failure("/loop"));
        assertEquals("messages[2].content[1].source.url: only http and https URLs are fetched, not file: (redirected "
                + "from host 127.0.0.1)", failure("/to-file"));
    }

    @Test
    void aRedirectToTheImageIsFollowed() throws HttpError {
        JsonObject source = source(fetch.anthropic(anthropicImage(base + "/redirect")), 2, 1);
        assertArrayEquals(PNG, Base64.getDecoder().decode(source.string("data")));
    }

    @Test
    void aServerThatDoesNotAnswerInTimeIsATimeout() {
        HttpError e = assertThrows(HttpError.class, () -> impatient.anthropic(anthropicImage(base + "/slow")));
        assertEquals("messages[2].content[1].source.url: could not fetch the image from host 127.0.0.1: timed out after "
                + "500 ms", e.getMessage());
    }

    @Test
    void aHostThatRefusesTheConnectionIsAConnectionFailure() throws IOException {
        int closed;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        JsonObject body = anthropicImage("http://127.0.0.1:" + closed + "/x.png");
        HttpError e = assertThrows(HttpError.class, () -> fetch.anthropic(body));
        assertTrue(e.getMessage().startsWith("messages[2].content[1].source.url: could not fetch the image from host "
                + "127.0.0.1: connection failed ("), e.getMessage());
    }

    @Test
    void schemesOtherThanHttpAreRefusedNamingTheBlock() {
        for (String url : List.of("file:///etc/passwd", "ftp://127.0.0.1/a.png", "a.png")) {
            HttpError e = assertThrows(HttpError.class, () -> fetch.anthropic(anthropicImage(url)));
            assertTrue(e.getMessage().startsWith("messages[2].content[1].source.url: only http and https URLs are fetched"),
                    e.getMessage());
        }
    }

    @Test
    void anOpenAiImageUrlBecomesADataUrl() throws HttpError {
        JsonObject body = (JsonObject) Json.parse("{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"look\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\""
                + base + "/a.png\",\"detail\":\"low\"}}]}]}");
        JsonObject imageUrl = (JsonObject) GatewayFixture.at(fetch.chat(body), "messages", "1", "content", "1", "image_url");
        assertEquals("data:image/png;base64," + Base64.getEncoder().encodeToString(PNG), imageUrl.string("url"));
        assertEquals("low", imageUrl.string("detail"));
        HttpError e = assertThrows(HttpError.class, () -> fetch.chat((JsonObject) Json.parse(Json.write(body)
                .replace("/a.png", "/missing"))));
        assertEquals("messages[1].content[1].image_url.url: could not fetch the image from host 127.0.0.1: status 404",
                e.getMessage());
    }

    @Test
    void responsesImageAndFileUrlsBecomeDataUrls() throws HttpError {
        JsonObject body = (JsonObject) Json.parse("{\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\","
                + "\"image_url\":\"" + base + "/a.png\"},{\"type\":\"input_file\",\"file_url\":\"" + base + "/doc.pdf\"}]}]}");
        JsonObject out = fetch.responses(body);
        assertEquals("data:image/png;base64," + Base64.getEncoder().encodeToString(PNG),
                ((JsonObject) GatewayFixture.at(out, "input", "0", "content", "0")).string("image_url"));
        JsonObject file = (JsonObject) GatewayFixture.at(out, "input", "0", "content", "1");
        assertEquals("data:application/pdf;base64," + Base64.getEncoder().encodeToString(PDF), file.string("file_data"));
        assertFalse(file.has("file_url"));
        HttpError e = assertThrows(HttpError.class, () -> fetch.responses((JsonObject) Json.parse(Json.write(body)
                .replace("/doc.pdf", "/page.html"))));
        assertTrue(e.getMessage().startsWith("input[0].content[1].file_url: could not fetch the document from host "
                + "127.0.0.1: unsupported media type \"text/html\" (supported: application/pdf)"), e.getMessage());
    }

    @Test
    void throughTheGatewayAFailedFetchIsA400InEachApisShape() {
        try (GatewayFixture g = GatewayFixture.start(c -> c.fetchMediaUrls(true))) {
            HttpResponse<String> anthropic = g.post("/v1/messages", Json.write(anthropicImage(base + "/missing")));
            GatewayErrorsTest.assertError(anthropic, 400, "invalid_request_error",
                    "messages[2].content[1].source.url: could not fetch the image from host 127.0.0.1: status 404");
            HttpResponse<String> openAi = g.post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\","
                    + "\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + base + "/missing\"}}]}]}");
            assertEquals(400, openAi.statusCode(), openAi.body());
            JsonObject error = GatewayFixture.json(openAi).object("error");
            assertEquals("invalid_request_error", error.string("type"));
            assertEquals("messages[0].content[0].image_url.url: could not fetch the image from host 127.0.0.1: status 404",
                    error.string("message"));
        }
    }

    @Test
    void countTokensCountsTheFetchedImageByItsPixels() {
        try (GatewayFixture g = GatewayFixture.start(c -> c.fetchMediaUrls(true))) {
            JsonObject withImage = anthropicImage(base + "/a.png");
            JsonObject textOnly = (JsonObject) Json.parse(Json.write(withImage).replaceFirst(",\\{\"type\":\"image\".*?\\}\\}", ""));
            HttpResponse<String> r = g.post("/v1/messages/count_tokens", Json.write(withImage));
            assertEquals(200, r.statusCode(), r.body());
            long text = GatewayFixture.json(g.post("/v1/messages/count_tokens", Json.write(textOnly))).integer("input_tokens");
            assertEquals(text + 1, GatewayFixture.json(r).integer("input_tokens"), "a 1x1 PNG: 1 token, not the unknown 1,600");
        }
    }

    @Test
    void withTheSwitchOffAUrlSourceIsA400NamingTheSwitch() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/messages", Json.write(anthropicImage(base + "/a.png")));
            GatewayErrorsTest.assertError(r, 400, "invalid_request_error",
                    "messages[2].content[1].source: a url source is not supported: no network is assumed");
            assertTrue(GatewayErrorsTest.error(r).string("message").contains("--fetch-media-urls on"), r.body());
        }
    }
}
