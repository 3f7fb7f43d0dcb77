package claude.code.api.testing;

import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonParseException;
import claude.code.api.testing.MessageEncoder.SseEvent;
import claude.code.api.testing.MockReply.Usage;
import claude.code.api.testing.RecordedRequest.Kind;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A mock of the Anthropic Messages API on 127.0.0.1 (random port), good enough for the real
 * {@code claude} CLI: point {@code ANTHROPIC_BASE_URL} at {@link #baseUrl()}.
 *
 * <ul>
 * <li>{@code POST /v1/messages} (the CLI adds {@code ?beta=true}): main-loop requests are answered
 *     by the responder ({@link KeywordResponder} unless replaced); side queries such as session
 *     titles get a fixed answer ({@code {"title":"Mock session title"}} when a JSON schema is asked
 *     for). {@code stream: true} gets SSE exactly as the API frames it, otherwise one JSON message.
 * <li>{@code POST /v1/messages/count_tokens}: {@code input_tokens} = body bytes / 4.
 * <li>{@code HEAD /api/hello}: 200 (the CLI's reachability probe).
 * <li>anything else: 404 with an API error body, printed to stderr and kept in {@link #unexpectedRequests()}.
 * </ul>
 *
 * <p>Every request is recorded ({@link #requests()}). {@link #close()} stops the server, releases
 * hanging and slow responses and waits for every handler thread to end.
 */
public final class MockMessagesApi implements AutoCloseable {

    private static final Duration CLOSE_GUARD = Duration.ofSeconds(10);

    private final HttpServer server;
    private final ExecutorService handlers;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<RecordedRequest> requests = new ArrayList<>(); // guarded by itself
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger responsesInProgress = new AtomicInteger();
    private final Map<Long, Timing> timings = new ConcurrentHashMap<>();
    private final Map<Long, List<Long>> deltaSent = new ConcurrentHashMap<>();
    private final Map<Long, List<SentEvent>> eventsSent = new ConcurrentHashMap<>();
    private final Map<Long, byte[]> rawBodies = new ConcurrentHashMap<>();
    private volatile Function<RecordedRequest, MockReply> responder;
    private boolean closed; // guarded by this

    private MockMessagesApi(Function<RecordedRequest, MockReply> responder) throws IOException {
        this.responder = Objects.requireNonNull(responder, "responder");
        this.handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("mock-messages-api-", 0).factory());
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a mock answering with {@link KeywordResponder}. */
    public static MockMessagesApi start() {
        return start(new KeywordResponder());
    }

    /** Starts a mock whose main-loop requests are answered by {@code responder}. */
    public static MockMessagesApi start(Function<RecordedRequest, MockReply> responder) {
        try {
            return new MockMessagesApi(responder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the mock Messages API on 127.0.0.1", e);
        }
    }

    /** Replaces the responder for main-loop requests from now on. */
    public void respondWith(Function<RecordedRequest, MockReply> newResponder) {
        this.responder = Objects.requireNonNull(newResponder, "responder");
    }

    /** {@code http://127.0.0.1:<port>}: the value for {@code ANTHROPIC_BASE_URL}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Every request so far, in arrival order. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }


    /** The conversation's requests (prompt, tool rounds, retries), without side queries. */
    public List<RecordedRequest> mainLoopRequests() {
        return requestsMatching(RecordedRequest::isMainLoop);
    }

    /** Requests whose {@code X-Claude-Code-Session-Id} is {@code sessionId}. */
    public List<RecordedRequest> requestsForSession(String sessionId) {
        return requestsMatching(r -> r.sessionId().filter(sessionId::equals).isPresent());
    }

    /** Requests to paths this mock does not know (answered 404). */
    public List<RecordedRequest> unexpectedRequests() {
        return requestsMatching(r -> r.kind() == Kind.UNEXPECTED);
    }

    public List<RecordedRequest> requestsMatching(Predicate<RecordedRequest> filter) {
        return requests().stream().filter(filter).toList();
    }

    /**
     * Blocks until {@code count} requests match {@code filter}; a hang guard for tests that drive the
     * CLI asynchronously (a PTY session). @throws IllegalStateException naming what did arrive
     */
    public List<RecordedRequest> awaitRequests(Predicate<RecordedRequest> filter, int count, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (requests) {
            while (true) {
                List<RecordedRequest> matching = requests.stream().filter(filter).toList();
                if (matching.size() >= count) {
                    return matching;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("waited %s for %d matching requests, got %d; all requests: %s"
                            .formatted(timeout, count, matching.size(), requests));
                }
                TimeUnit.NANOSECONDS.timedWait(requests, left);
            }
        }
    }

    /**
     * When the mock spent time on one request, in {@link System#nanoTime()}: from the moment its
     * handler started (headers received) to the moment the response was complete and the exchange
     * closed. For benchmarks, which subtract the model API's share from a turn's time.
     */
    public record Timing(long receivedNanos, long finishedNanos) {
        public long nanos() {
            return finishedNanos - receivedNanos;
        }
    }

    /**
     * The timing of {@code request}, waiting up to {@code patience} for its response to finish: a caller may have the
     * answer (its last event relayed) a moment before the mock has closed the exchange. Polls each millisecond: the
     * timing was taken by the mock, so how soon this sees it changes nothing in it.
     */
    public Timing awaitTiming(RecordedRequest request, java.time.Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Timing t = timings.get(request.sequence());
            if (t != null) {
                return t;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no timing for " + request + " within " + patience);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** The timing of {@code request}, once its response is finished; empty while it is still running. */
    public java.util.Optional<Timing> timing(RecordedRequest request) {
        return java.util.Optional.ofNullable(timings.get(request.sequence()));
    }

    /**
     * When each delta event of {@code request}'s streamed response began to be sent, in
     * {@link System#nanoTime()}, in order; empty for a response without deltas. For benchmarks.
     */
    public List<Long> deltaSentNanos(RecordedRequest request) {
        return snapshot(deltaSent, request);
    }

    /** One SSE event of a streamed response: its name ({@code message_stop}, ...) and when it began to be sent. */
    public record SentEvent(String name, long sentNanos) {}

    /**
     * Every event of {@code request}'s streamed response as it began to be sent, in
     * {@link System#nanoTime()}, in order; empty for a response that was not streamed. For benchmarks.
     */
    public List<SentEvent> eventsSent(RecordedRequest request) {
        return snapshot(eventsSent, request);
    }

    /** A copy of what the handler of {@code request} has recorded so far (it appends under the list's lock). */
    private static <T> List<T> snapshot(Map<Long, List<T>> bySequence, RecordedRequest request) {
        List<T> sent = bySequence.get(request.sequence());
        if (sent == null) {
            return List.of();
        }
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    /** When the event {@code name} of {@code request}'s streamed response began to be sent; empty if it was not. */
    public OptionalLong eventSentNanos(RecordedRequest request, String name) {
        return eventsSent(request).stream().filter(e -> e.name().equals(name)).mapToLong(SentEvent::sentNanos).findFirst();
    }

    /**
     * Drops the requests recorded so far (about 50 KB each) and their timings: for long runs that
     * measure the heap of the code under test, not this record. Returns how many were dropped.
     */
    public int forgetRequests() {
        int n;
        synchronized (requests) {
            n = requests.size();
            requests.clear();
        }
        timings.clear();
        deltaSent.clear();
        eventsSent.clear();
        rawBodies.clear();
        return n;
    }

    /** The body of {@code request} byte for byte, as it arrived (empty for none). */
    public byte[] rawBody(RecordedRequest request) {
        return rawBodies.getOrDefault(request.sequence(), new byte[0]).clone();
    }

    /** Responses still being written (or hanging): 0 once the CLI has read every reply. */
    public int responsesInProgress() {
        return responsesInProgress.get();
    }

    // --- request handling --------------------------------------------------------------------

    private void handle(HttpExchange exchange) {
        long received = System.nanoTime();
        responsesInProgress.incrementAndGet();
        RecordedRequest request = null;
        try (exchange) {
            request = record(exchange);
            exchange.getResponseHeaders().set("request-id", "req_mock_%06d".formatted(request.sequence()));
            if (request.bodyError() != null && request.method().equals("POST")) {
                sendJson(exchange, 400, MessageEncoder.errorBody("invalid_request_error", request.bodyError()));
                return;
            }
            switch (request.kind()) {
                case MAIN_LOOP -> reply(exchange, request, answer(request));
                case SIDE_QUERY -> reply(exchange, request, sideReply(request));
                case COUNT_TOKENS -> sendJson(exchange, 200, JsonObject.builder()
                        .put("input_tokens", Math.max(1, Json.write(request.body()).length() / 4)).build());
                case CONNECTIVITY_CHECK -> exchange.sendResponseHeaders(200, -1);
                case UNEXPECTED -> {
                    System.err.println("[mock-messages-api] unexpected request: " + request);
                    sendJson(exchange, 404, MessageEncoder.errorBody("not_found_error",
                            "mock has no route for " + request.method() + " " + request.path()));
                }
            }
        } catch (IOException e) {
            // The client went away (an interrupt closes the stream): nothing left to answer.
        } finally {
            if (request != null) {
                timings.put(request.sequence(), new Timing(received, System.nanoTime()));
            }
            responsesInProgress.decrementAndGet();
        }
    }

    private RecordedRequest record(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        JsonObject body = JsonObject.EMPTY;
        String bodyError = null;
        if (bytes.length > 0) {
            try {
                if (Json.parse(bytes) instanceof JsonObject o) {
                    body = o;
                } else {
                    bodyError = "request body is JSON but not an object";
                }
            } catch (JsonParseException e) {
                bodyError = "request body is not valid JSON at byte " + e.offset() + ": " + e.getMessage();
            }
        }
        URI uri = exchange.getRequestURI();
        String method = exchange.getRequestMethod();
        RecordedRequest request = new RecordedRequest(sequence.incrementAndGet(), Instant.now(), method,
                uri.getPath(), uri.getRawQuery(), exchange.getRequestHeaders(), body, bodyError,
                RecordedRequest.classify(method, uri.getPath(), body));
        rawBodies.put(request.sequence(), bytes);
        synchronized (requests) {
            requests.add(request);
            requests.notifyAll();
        }
        return request;
    }

    private MockReply answer(RecordedRequest request) {
        try {
            return Objects.requireNonNull(responder.apply(request), "the responder returned null");
        } catch (RuntimeException e) {
            // Visible to the test as a 500 whose message names the failure, and on stderr.
            System.err.println("[mock-messages-api] responder failed on " + request + ": " + e);
            return new MockReply.HttpError(500, "api_error", "mock responder failed: " + e,
                    OptionalLong.empty());
        }
    }

    private static MockReply sideReply(RecordedRequest request) {
        boolean wantsJson = request.body().findObject("output_config").map(c -> c.has("format")).orElse(false);
        return MockReply.text(wantsJson ? "{\"title\":\"Mock session title\"}" : "MOCK SIDE REPLY");
    }

    private void reply(HttpExchange exchange, RecordedRequest request, MockReply reply) throws IOException {
        String messageId = "msg_mock_%06d".formatted(request.sequence());
        switch (reply) {
            case MockReply.Message m -> {
                Usage usage = m.usage() != null ? m.usage() : MessageEncoder.usageFor(request, m.content());
                if (request.isStreaming()) {
                    stream(exchange, request, MessageEncoder.streamEvents(messageId, request.model(), m.content(),
                            m.stopReason(), usage), m.deltaDelay());
                } else {
                    sendJson(exchange, 200, MessageEncoder.messageBody(messageId, request.model(), m.content(), m.stopReason(), usage));
                }
            }
            case MockReply.StreamError e -> {
                Usage usage = MessageEncoder.usageFor(request, e.before());
                if (request.isStreaming()) {
                    stream(exchange, request, MessageEncoder.failingStreamEvents(messageId, request.model(), e.before(), e.errorType(),
                            e.message(), usage), Duration.ZERO);
                } else {
                    // Only a stream can break mid-way; the CLI's non-streaming retry gets the whole message.
                    sendJson(exchange, 200, MessageEncoder.messageBody(messageId, request.model(), e.before(), "end_turn", usage));
                }
            }
            case MockReply.HttpError e -> {
                e.retryAfterSeconds().ifPresent(s -> exchange.getResponseHeaders().set("retry-after", Long.toString(s)));
                sendJson(exchange, e.status(), MessageEncoder.errorBody(e.errorType(), e.message()));
            }
            case MockReply.Hang h -> awaitClosing(null);
            case MockReply.Drop d -> {
                // A declared length the body never reaches: closing the exchange short ends the
                // connection without a response end, as an upstream that drops mid-stream.
                Usage usage = MessageEncoder.usageFor(request, d.before());
                byte[] partial;
                byte[] whole;
                if (request.isStreaming()) {
                    List<SseEvent> events = MessageEncoder.streamEvents(messageId, request.model(), d.before(), "end_turn", usage);
                    java.io.ByteArrayOutputStream upToFirstDelta = new java.io.ByteArrayOutputStream();
                    for (SseEvent event : events) {
                        upToFirstDelta.writeBytes(event.bytes());
                        if (event.delta()) {
                            break; // the stream has begun: the client has a token of it
                        }
                    }
                    partial = upToFirstDelta.toByteArray();
                    exchange.getResponseHeaders().set("content-type", "text/event-stream; charset=utf-8");
                    whole = null;
                } else {
                    whole = Json.writeUtf8(MessageEncoder.messageBody(messageId, request.model(), d.before(), "end_turn", usage));
                    partial = java.util.Arrays.copyOf(whole, whole.length / 2);
                    exchange.getResponseHeaders().set("content-type", "application/json");
                }
                exchange.sendResponseHeaders(200, partial.length + 4096L + (whole == null ? 0 : whole.length));
                exchange.getResponseBody().write(partial);
                exchange.getResponseBody().flush();
            }
        }
    }

    private void stream(HttpExchange exchange, RecordedRequest request, List<SseEvent> events, Duration deltaDelay)
            throws IOException {
        List<Long> sent = new ArrayList<>();
        List<SentEvent> all = new ArrayList<>();
        deltaSent.put(request.sequence(), sent);
        eventsSent.put(request.sequence(), all);
        exchange.getResponseHeaders().set("content-type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("cache-control", "no-cache");
        exchange.sendResponseHeaders(200, 0); // chunked
        OutputStream out = exchange.getResponseBody();
        for (SseEvent event : events) {
            if (event.delta() && deltaDelay.isPositive() && awaitClosing(deltaDelay)) {
                return; // closing: end the response where it is, as a dropped connection would
            }
            long at = System.nanoTime(); // as it starts to send: the client may have it before flush returns
            out.write(event.bytes());
            out.flush();
            if (event.delta()) {
                synchronized (sent) {
                    sent.add(at);
                }
            }
            synchronized (all) {
                all.add(new SentEvent(event.name(), at));
            }
        }
    }

    private static void sendJson(HttpExchange exchange, int status, JsonObject body) throws IOException {
        byte[] bytes = Json.writeUtf8(body);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Waits until the mock closes (or {@code max} passes); true when it is closing. */
    private boolean awaitClosing(Duration max) {
        try {
            if (max == null) {
                closing.await();
                return true;
            }
            return closing.await(max.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * Stops listening, ends hanging and slow responses, and waits for every handler thread.
     * @throws IllegalStateException if a handler is still running after the guard time
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closing.countDown();
        server.stop(0);
        handlers.shutdownNow();
        try {
            if (!handlers.awaitTermination(CLOSE_GUARD.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("mock handler threads still running " + CLOSE_GUARD + " after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
