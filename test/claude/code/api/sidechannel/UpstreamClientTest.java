package claude.code.api.sidechannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.testing.TestTls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamClientTest {

    private static final String OK_HELLO = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

    @Test
    void theRequestGoesOutAsGivenWithHostAndTheBodysContentLength() throws Exception {
        try (Upstream upstream = new Upstream((socket, index, requests) -> {
                    requests.add(readRequest(socket.getInputStream()));
                    write(socket, OK_HELLO);
                });
                UpstreamClient client = new UpstreamClient(upstream.uri("/base"), null)) {
            try (UpstreamResponse r = client.send("POST", "/base/v1/messages?beta=true",
                    List.of(new UpstreamClient.Header("X-Api-Key", "k"),
                            new UpstreamClient.Header("anthropic-version", "2023-06-01"),
                            new UpstreamClient.Header("X-Api-Key", "second")), "{\"a\":1}".getBytes(StandardCharsets.UTF_8))) {
                assertEquals("hello", body(r));
            }
            assertEquals("POST /base/v1/messages?beta=true HTTP/1.1\r\nHost: 127.0.0.1:" + upstream.port() + "\r\n"
                    + "X-Api-Key: k\r\nanthropic-version: 2023-06-01\r\nX-Api-Key: second\r\n"
                    + "Content-Length: 7\r\n\r\n{\"a\":1}", upstream.requests.take());
        }
    }

    @Test
    void withoutABodyThereIsNoContentLength() throws Exception {
        try (Upstream upstream = new Upstream((socket, index, requests) -> {
                    requests.add(readRequest(socket.getInputStream()));
                    write(socket, OK_HELLO);
                });
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null);
                UpstreamResponse r = client.send("GET", "/v1/models", List.of(), null)) {
            assertEquals("hello", body(r));
            assertEquals("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1:" + upstream.port() + "\r\n\r\n",
                    upstream.requests.take());
        }
    }

    @Test
    void aChunkedBodyIsDecodedItsTrailersDroppedAndTheConnectionKept() throws Exception {
        try (Upstream upstream = answeringOnce("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/event-stream\r\n\r\n"
                            + "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null)) {
            try (UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
                assertEquals(200, r.status());
                assertEquals(-1, r.length());
                assertEquals(List.of("text/event-stream"), r.headers().get("content-type"));
                assertEquals("hello world", body(r));
            }
            assertEquals(1, client.idleConnections());
        }
    }

    @Test
    void aContentLengthBodyEndsAtItsLengthAndTheConnectionCarriesTheNextRequest() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (Upstream upstream = new Upstream((socket, index, requests) -> {
                    connections.incrementAndGet();
                    for (int i = 0; i < 2; i++) {
                        readRequest(socket.getInputStream());
                        write(socket, OK_HELLO);
                    }
                    awaitClose(socket);
                });
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null)) {
            for (int i = 0; i < 2; i++) {
                try (UpstreamResponse r = client.send("POST", "/", List.of(), new byte[] {1})) {
                    assertEquals(5, r.length());
                    assertEquals("hello", body(r));
                }
            }
            assertEquals(1, connections.get());
            assertEquals(1, client.idleConnections());
        }
    }

    @Test
    void aBodyWithoutFramingRunsToTheEndOfTheConnectionWhichIsThenClosed() throws Exception {
        try (Upstream upstream = new Upstream((socket, index, requests) -> {
                    readRequest(socket.getInputStream());
                    write(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"to\":\"close\"}");
                    socket.close();
                });
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null)) {
            try (UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
                assertEquals("{\"to\":\"close\"}", body(r));
            }
            assertEquals(0, client.idleConnections());
        }
    }

    @Test
    void connectionCloseFromTheUpstreamKeepsTheConnectionOutOfThePool() throws Exception {
        try (Upstream upstream = answeringOnce("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello");
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null)) {
            try (UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
                assertEquals("hello", body(r));
            }
            assertEquals(0, client.idleConnections());
        }
    }

    @Test
    void aNoContentResponseHasNoBodyAndKeepsTheConnection() throws Exception {
        try (Upstream upstream = answeringOnce("HTTP/1.1 204 No Content\r\nX-Request-Id: r\r\n\r\n");
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null)) {
            try (UpstreamResponse r = client.send("DELETE", "/", List.of(), null)) {
                assertEquals(204, r.status());
                assertEquals("", body(r));
            }
            assertEquals(1, client.idleConnections());
        }
    }

    @Test
    void anInformationalResponseIsSkippedForTheFinalOne() throws Exception {
        try (Upstream upstream = new Upstream((socket, index, requests) -> {
                    readRequest(socket.getInputStream());
                    write(socket, "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + OK_HELLO);
                });
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null);
                UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
            assertEquals(200, r.status());
            assertEquals("hello", body(r));
        }
    }

    @Test
    void aMalformedStatusLineIsAnIOExceptionNamingIt() throws Exception {
        IOException e = sendFailure("HTTP/1.1 2x0 OK\r\n\r\n");
        assertEquals("the upstream's status line \"HTTP/1.1 2x0 OK\" has no 3-digit status code", e.getMessage());
    }

    @Test
    void aStatusLineOfAnotherProtocolIsAnIOExceptionNamingIt() throws Exception {
        IOException e = sendFailure("SSH-2.0-OpenSSH_9.6\r\n");
        assertTrue(e.getMessage().startsWith("the upstream's status line \"SSH-2.0-OpenSSH_9.6\" is not"), e.getMessage());
    }

    @Test
    void aHeaderLineWithoutAColonIsAnIOExceptionNamingIt() throws Exception {
        IOException e = sendFailure("HTTP/1.1 200 OK\r\nContent-Type application/json\r\n\r\n");
        assertEquals("the upstream's header line \"Content-Type application/json\" has no colon", e.getMessage());
    }

    @Test
    void aTransferCodingOtherThanChunkedIsAnIOExceptionNamingIt() throws Exception {
        // The request asked for none (no TE): decoded chunked, a gzip coding would still be on the bytes relayed,
        // and the header that says so is hop-by-hop, not relayed.
        IOException e = sendFailure("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        assertEquals("the upstream's Transfer-Encoding gzip, chunked has a coding other than chunked, which no request"
                + " asks for", e.getMessage());
    }

    @Test
    void aMalformedChunkSizeIsAnIOExceptionNamingIt() throws Exception {
        try (Upstream upstream = answeringOnce("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n");
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null)) {
            try (UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
                InputStream in = r.body();
                assertEquals("hello", new String(in.readNBytes(5), StandardCharsets.US_ASCII));
                IOException e = assertThrows(IOException.class, in::read);
                assertEquals("the upstream's chunk size \"zz\" is not a hexadecimal number (at most 15 digits)",
                        e.getMessage());
            }
            assertEquals(0, client.idleConnections());
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthIsAnIOException() throws Exception {
        try (Upstream upstream = new Upstream((socket, index, requests) -> {
                    readRequest(socket.getInputStream());
                    write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello");
                    socket.close();
                });
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null);
                UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
            IOException e = assertThrows(IOException.class, () -> r.body().readAllBytes());
            assertEquals("the upstream's body ended after 5 of its 10 bytes", e.getMessage());
        }
    }

    @Test
    void differingContentLengthsAreAnIOException() throws Exception {
        IOException e = sendFailure("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");
        assertEquals("the upstream sent differing Content-Length values 5 and 6", e.getMessage());
    }

    @Test
    void aConnectionIdleLongerThanTheLimitIsClosedAndNotReused() throws Exception {
        CountDownLatch firstClosedByClient = new CountDownLatch(1);
        try (Upstream upstream = new Upstream((socket, index, requests) -> {
                    readRequest(socket.getInputStream());
                    write(socket, index == 0 ? OK_HELLO : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh");
                    awaitClose(socket);
                    if (index == 0) {
                        firstClosedByClient.countDown();
                    }
                });
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null, java.time.Duration.ZERO)) {
            try (UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
                assertEquals("hello", body(r));
            }
            assertEquals(1, client.idleConnections());
            try (UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
                assertEquals("fresh", body(r));
            }
            assertTrue(firstClosedByClient.await(10, TimeUnit.SECONDS), "the expired connection is still open");
        }
    }

    @Test
    void aKeptAliveConnectionTheUpstreamClosedIsRetriedOnAFreshOne() throws Exception {
        CountDownLatch firstClosed = new CountDownLatch(1);
        try (Upstream upstream = new Upstream((socket, index, requests) -> {
                    readRequest(socket.getInputStream());
                    write(socket, index == 0 ? OK_HELLO : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh");
                    if (index == 0) {
                        socket.close(); // idle: an upstream's keep-alive timeout
                        firstClosed.countDown();
                    } else {
                        awaitClose(socket);
                    }
                });
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null)) {
            try (UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
                assertEquals("hello", body(r));
            }
            assertEquals(1, client.idleConnections());
            assertTrue(firstClosed.await(10, TimeUnit.SECONDS));
            try (UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
                assertEquals("fresh", body(r));
            }
        }
    }

    @Test
    void theRetryOnAFreshConnectionIsTheOnlyOne() throws Exception {
        // The first connection answers and is kept; the second (the retry) closes at once; a third would answer.
        CountDownLatch firstClosed = new CountDownLatch(1);
        try (Upstream upstream = new Upstream((socket, index, requests) -> {
                    readRequest(socket.getInputStream());
                    if (index == 1) {
                        socket.close();
                        return;
                    }
                    write(socket, index == 0 ? OK_HELLO : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nthird");
                    if (index == 0) {
                        socket.close();
                        firstClosed.countDown();
                    } else {
                        awaitClose(socket);
                    }
                });
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null)) {
            try (UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
                assertEquals("hello", body(r));
            }
            assertTrue(firstClosed.await(10, TimeUnit.SECONDS));
            IOException e = assertThrows(IOException.class, () -> client.send("POST", "/", List.of(), new byte[0]));
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        }
    }

    @Test
    void aReusedConnectionThatBreaksAfterResponseBytesIsNotRetried() throws Exception {
        // Its second response breaks off inside the headers; a retry on a new connection would get a whole one.
        try (Upstream upstream = new Upstream((socket, index, requests) -> {
                    if (index == 0) {
                        readRequest(socket.getInputStream());
                        write(socket, OK_HELLO);
                        readRequest(socket.getInputStream());
                        write(socket, "HTTP/1.1 200 OK\r\nContent-");
                        socket.close();
                    } else {
                        readRequest(socket.getInputStream());
                        write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nretried");
                        awaitClose(socket);
                    }
                });
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null)) {
            try (UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
                assertEquals("hello", body(r));
            }
            IOException e = assertThrows(IOException.class, () -> client.send("POST", "/", List.of(), new byte[0]));
            assertEquals("the upstream's response ended inside the header line", e.getMessage());
        }
    }

    @Test
    void closeEndsARequestStillWaitingOnTheUpstream() throws Exception {
        CountDownLatch requested = new CountDownLatch(1);
        try (Upstream upstream = new Upstream((socket, index, requests) -> {
                    readRequest(socket.getInputStream());
                    requested.countDown();
                    awaitClose(socket); // never answers
                })) {
            UpstreamClient client = new UpstreamClient(upstream.uri(""), null);
            Thread closer = Thread.ofVirtual().start(() -> {
                try {
                    if (requested.await(10, TimeUnit.SECONDS)) {
                        client.close();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThrows(IOException.class, () -> client.send("POST", "/", List.of(), new byte[0]));
            closer.join();
            IOException after = assertThrows(IOException.class, () -> client.send("POST", "/", List.of(), new byte[0]));
            assertEquals("the relay is closed", after.getMessage());
        }
    }

    @Test
    void anUpstreamThatCannotBeAddressedIsAnIOExceptionNamingIt() throws Exception {
        // A URI takes any port; the socket address refuses it (IllegalArgumentException, which the relay's 502 and
        // its tap's failure never saw).
        try (UpstreamClient client = new UpstreamClient(URI.create("http://127.0.0.1:70000"), null)) {
            IOException e = assertThrows(IOException.class, () -> client.send("POST", "/", List.of(), new byte[0]));
            assertTrue(e.getMessage().startsWith("the upstream http://127.0.0.1:70000 cannot be connected to: "),
                    e.getMessage());
        }
    }

    @Test
    void aHeaderValueWithALineBreakIsRefusedBeforeAnythingIsSent() throws Exception {
        try (Upstream upstream = new Upstream((socket, index, requests) -> requests.add(readRequest(socket.getInputStream())));
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null)) {
            IOException e = assertThrows(IOException.class, () -> client.send("POST", "/",
                    List.of(new UpstreamClient.Header("X-Injected", "a\r\nHost: elsewhere")), new byte[0]));
            assertEquals("the value of request header X-Injected has a CR, LF, NUL or non-Latin-1 character", e.getMessage());
        }
    }

    @Test
    void aChunkSizeWithLeadingZerosIsItsValue() throws Exception {
        // chunk-size is 1*HEXDIG (RFC 9112 §7.1): zeros in front count for nothing, however many there are.
        try (Upstream upstream = answeringOnce("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "00000000000000000005\r\nhello\r\n00000000000000000000\r\n\r\n");
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null)) {
            try (UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
                assertEquals("hello", body(r));
            }
            assertEquals(1, client.idleConnections());
        }
    }

    @Test
    void aChunkSizeOfMoreThanFifteenSignificantDigitsIsAnIOException() throws Exception {
        try (Upstream upstream = answeringOnce("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0001000000000000000\r\n");
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null);
                UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
            IOException e = assertThrows(IOException.class, () -> r.body().read());
            assertEquals("the upstream's chunk size \"0001000000000000000\" is not a hexadecimal number (at most 15 digits)",
                    e.getMessage());
        }
    }

    @Test
    void aContentLengthWithLeadingZerosIsItsValue() throws Exception {
        try (Upstream upstream = answeringOnce("HTTP/1.1 200 OK\r\nContent-Length: 00000000000000000000005\r\n\r\nhello");
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null);
                UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
            assertEquals(5, r.length());
            assertEquals("hello", body(r));
        }
    }

    @Test
    void informationalResponsesCountTowardsTheHeadLimit() throws Exception {
        // Each 103 alone is small: without a bound over all of them an upstream could send them without end.
        String early = "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n";
        IOException e = sendFailure(early.repeat(UpstreamClient.HEAD_LIMIT / early.length() + 1) + OK_HELLO);
        assertEquals("the upstream's headers (with the informational responses before them) are longer than "
                + UpstreamClient.HEAD_LIMIT + " bytes", e.getMessage());
    }

    @Test
    void aResponseWithBothTransferEncodingAndContentLengthIsReadChunkedAndItsConnectionClosed() throws Exception {
        // RFC 9112 §6.3: chunked overrides the length; the message may be an attempt at response splitting, so the
        // connection (whose next bytes an intermediary may frame otherwise) carries no other request.
        try (Upstream upstream = answeringOnce("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "5\r\nhello\r\n0\r\n\r\n");
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null)) {
            try (UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
                assertEquals(-1, r.length());
                assertEquals("hello", body(r));
            }
            assertEquals(0, client.idleConnections());
        }
    }

    @Test
    void anIdleConnectionTheUpstreamSpokeOnIsNotReused() throws Exception {
        // An upstream may answer 408 on an idle connection before closing it: that is no answer to the next request.
        CountDownLatch pooled = new CountDownLatch(1);
        CountDownLatch spoke = new CountDownLatch(1);
        try (Upstream upstream = new Upstream((socket, index, requests) -> {
                    readRequest(socket.getInputStream());
                    write(socket, index == 0 ? OK_HELLO : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh");
                    if (index == 0 && pooled.await(10, TimeUnit.SECONDS)) {
                        write(socket, "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
                        socket.shutdownOutput();
                        spoke.countDown();
                    }
                    awaitClose(socket);
                });
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null)) {
            try (UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
                assertEquals("hello", body(r));
            }
            assertEquals(1, client.idleConnections());
            pooled.countDown();
            assertTrue(spoke.await(10, TimeUnit.SECONDS));
            try (UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
                assertEquals(200, r.status());
                assertEquals("fresh", body(r));
            }
        }
    }

    @Test
    void closeEndsARequestStillBeingWrittenToATlsUpstream(@TempDir Path dir) throws Exception {
        // The upstream never reads: the request's write blocks once the socket buffers are full, holding the
        // SSLSocket's record lock, which the SSLSocket's own close waits for (to send close_notify).
        TestTls tls = TestTls.create(dir);
        CountDownLatch handshaken = new CountDownLatch(1);
        CountDownLatch over = new CountDownLatch(1);
        try (Upstream upstream = new Upstream(tls.server().getServerSocketFactory().createServerSocket(
                        0, 50, InetAddress.getLoopbackAddress()), (socket, index, requests) -> {
                    ((SSLSocket) socket).startHandshake();
                    handshaken.countDown();
                    over.await();
                })) {
            UpstreamClient client = new UpstreamClient(URI.create("https://127.0.0.1:" + upstream.port()),
                    tls.trustingClient());
            BlockingQueue<Throwable> failure = new LinkedBlockingQueue<>();
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    client.send("POST", "/", List.of(), new byte[64 << 20]).close();
                    failure.add(new AssertionError("the upstream answered"));
                } catch (Throwable t) {
                    failure.add(t);
                }
            });
            try {
                assertTrue(handshaken.await(10, TimeUnit.SECONDS));
                while (sender.getState() != Thread.State.WAITING && sender.isAlive()) {
                    Thread.sleep(10); // until the sender is parked in its write
                }
                Thread closer = Thread.ofVirtual().start(client::close);
                assertTrue(closer.join(java.time.Duration.ofSeconds(30)), "close() waits for the write");
                assertTrue(sender.join(java.time.Duration.ofSeconds(30)), "the request is still being written");
                assertTrue(failure.take() instanceof IOException);
            } finally {
                over.countDown();
            }
        }
    }

    @Test
    void anUpstreamThatNeverAnswersFailsAtTheReadTimeout() throws Exception {
        try (Upstream upstream = new Upstream((socket, index, requests) -> {
                    readRequest(socket.getInputStream());
                    awaitClose(socket); // never answers
                });
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null, UpstreamClient.IDLE_LIMIT,
                        java.time.Duration.ofMillis(200))) {
            assertThrows(java.net.SocketTimeoutException.class, () -> client.send("POST", "/", List.of(), new byte[0]));
        }
    }

    @Test
    void aReadTimeoutOnAReusedConnectionIsNotRetried() throws Exception {
        // The upstream may be working on the request: sending it again would run it twice.
        AtomicInteger connections = new AtomicInteger();
        try (Upstream upstream = new Upstream((socket, index, requests) -> {
                    connections.incrementAndGet();
                    readRequest(socket.getInputStream());
                    write(socket, OK_HELLO);
                    readRequest(socket.getInputStream());
                    awaitClose(socket); // never answers the second
                });
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null, UpstreamClient.IDLE_LIMIT,
                        java.time.Duration.ofMillis(200))) {
            try (UpstreamResponse r = client.send("POST", "/", List.of(), new byte[0])) {
                assertEquals("hello", body(r));
            }
            assertThrows(java.net.SocketTimeoutException.class, () -> client.send("POST", "/", List.of(), new byte[0]));
            assertEquals(1, connections.get());
        }
    }

    // --- a scripted upstream on a ServerSocket ---

    @FunctionalInterface
    private interface Conversation {
        /** One accepted connection, the {@code index}th (from 0). */
        void run(Socket socket, int index, BlockingQueue<String> requests) throws Exception;
    }

    /** Accepts connections and runs the script on each, on its own virtual thread; closing stops it all. */
    private static final class Upstream implements AutoCloseable {
        private final ServerSocket server;
        private final Thread acceptor;
        final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
        private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

        Upstream(Conversation script) throws IOException {
            this(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script);
        }

        /** On a server socket of the test's own (a TLS one). */
        Upstream(ServerSocket server, Conversation script) {
            this.server = server;
            acceptor = Thread.ofVirtual().start(() -> {
                for (int index = 0; ; index++) {
                    Socket socket;
                    try {
                        socket = server.accept();
                    } catch (IOException e) {
                        return; // closed
                    }
                    sockets.add(socket);
                    int i = index;
                    threads.add(Thread.ofVirtual().start(() -> {
                        try (socket) {
                            script.run(socket, i, requests);
                        } catch (Exception e) {
                            // the client went away or the test ended: the script is over
                        }
                    }));
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port() + path);
        }

        @Override
        public void close() throws IOException {
            server.close();
            try {
                acceptor.join();
                for (Socket s : sockets) {
                    s.close();
                }
                for (Thread t : threads) {
                    t.join();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** An upstream that reads one request, answers it with {@code response} and waits for the client to close. */
    private static Upstream answeringOnce(String response) throws IOException {
        return new Upstream((socket, index, requests) -> {
            readRequest(socket.getInputStream());
            write(socket, response);
            awaitClose(socket);
        });
    }

    /** A request's head and its Content-Length body, as text. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client closed");
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    private static void write(Socket socket, String response) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Holds the connection open until the client closes it (or the test's Upstream does). */
    private static void awaitClose(Socket socket) throws IOException {
        while (socket.getInputStream().read() >= 0) {
            // the client sent more than the script expects: ignored
        }
    }

    private static String body(UpstreamResponse r) throws IOException {
        return new String(r.body().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** The failure of one request whose upstream answers {@code response} (and closes). */
    private static IOException sendFailure(String response) throws Exception {
        try (Upstream upstream = new Upstream((socket, index, requests) -> {
                    readRequest(socket.getInputStream());
                    write(socket, response);
                });
                UpstreamClient client = new UpstreamClient(upstream.uri(""), null)) {
            return assertThrows(IOException.class, () -> client.send("POST", "/", List.of(), new byte[0]));
        }
    }
}
