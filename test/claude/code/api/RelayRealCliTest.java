package claude.code.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.ApiError;
import claude.code.api.events.AssistantMessage;
import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.Message;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.StreamEvent;
import claude.code.api.events.TurnError;
import claude.code.api.events.UserMessage;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.LogCapture;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.Procfs;
import claude.code.api.testing.RecordedRequest;
import claude.code.api.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The backend with the model-API relay, on the real CLI against the mock Messages API. */
@Timeout(180)
class RelayRealCliTest {
    MockMessagesApi api;
    ClaudeTestHome home;

    void start(UnaryOperator<ClaudeTestHome.Builder> homeOptions) {
        api = MockMessagesApi.start();
        home = homeOptions.apply(ClaudeTestHome.builder(api).bypassPermissionsAccepted()).build();
    }

    @AfterEach
    void stop() {
        try {
            assertEquals(List.of(), home.strayProcesses(), "no CLI of this test left running");
        } finally {
            home.close();
            api.close();
        }
    }

    /** Real sessions; the relay's upstream is the CLI's own ANTHROPIC_BASE_URL: the mock. */
    BackendOptions.Builder options() {
        return home.backendOptions().maxSessions(2);
    }

    record Turn(List<Event> events, long resultNanos) {
        ResultMessage result() {
            return (ResultMessage) events.getLast();
        }

        <T> List<T> all(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    static Turn turn(ClaudeCodeBackend backend, String prompt) {
        List<Event> events = new ArrayList<>();
        try (EventStream stream = backend.complete(List.of(Message.user(prompt)))) {
            while (stream.hasNext()) {
                events.add(stream.next());
            }
        }
        long at = System.nanoTime();
        assertInstanceOf(ResultMessage.class, events.getLast(), "a turn ends with its result");
        return new Turn(events, at);
    }

    static String deltaText(List<Event> events) {
        return events.stream().filter(StreamEvent.BlockDelta.class::isInstance).map(e -> ((StreamEvent.BlockDelta) e).delta())
                .filter(StreamEvent.Delta.TextDelta.class::isInstance).map(d -> ((StreamEvent.Delta.TextDelta) d).text())
                .collect(Collectors.joining());
    }

    @Test
    void tokenDeltasArriveBeforeTheirAssistantMessageAndJoinToItsText() {
        start(b -> b);
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build())) {
            Turn t = turn(backend, "tell me a few words please");
            assertFalse(t.result().isError(), t.result().toString());
            List<AssistantMessage> messages = t.all(AssistantMessage.class);
            assertEquals(1, messages.size(), "the transcript's copy of the relayed message is not pushed again: " + t.events());
            AssistantMessage message = messages.getFirst();
            assertTrue(t.all(StreamEvent.BlockDelta.class).size() > 1, "several deltas: " + t.events());
            assertEquals(message.text(), deltaText(t.events()));
            int lastDelta = t.events().lastIndexOf(t.all(StreamEvent.BlockDelta.class).getLast());
            assertTrue(lastDelta < t.events().indexOf(message), "deltas first, then the message");
            StreamEvent.MessageStart start = t.all(StreamEvent.MessageStart.class).getFirst();
            assertEquals(start.id(), message.messageId());
            assertInstanceOf(StreamEvent.MessageStop.class, t.events().get(t.events().indexOf(message) - 1));
            assertEquals(message.text(), t.result().finalText());
            assertEquals("end_turn", t.result().stopReason());
            RecordedRequest request = api.mainLoopRequests().getLast();
            System.out.println("MEASURE relay=on message_stop_to_result_ms="
                    + (t.resultNanos() - api.awaitTiming(request, Duration.ofSeconds(5)).finishedNanos()) / 1e6);
        }
    }

    @Test
    void aUsersStopHookThatMakesTheCliGoOnIsWaitedForAndTheAnswerHoldsWhatFollowed(@TempDir Path dir) throws Exception {
        start(b -> b);
        // Blocks the first stop of the turn (the CLI then calls the model again), lets the second one through.
        Path hook = Files.writeString(dir.resolve("stop-once.sh"), """
                input=$(cat)
                case "$input" in *'"stop_hook_active":true'*) exit 0 ;; esac
                printf '%s' '{"decision":"block","reason":"Go on and add one more sentence."}'
                """);
        String settings = "{\"hooks\":{\"Stop\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"sh " + hook + "\"}]}]}}";
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().settings(settings).build())) {
            Turn t = turn(backend, "answer, then the hook asks for more");
            assertFalse(t.result().isError(), t.result().toString());
            assertEquals(2, api.mainLoopRequests().size(), "the hook made the CLI call the model again");
            List<AssistantMessage> messages = t.all(AssistantMessage.class);
            assertEquals(2, messages.size(), t.events().toString());
            assertEquals(2, t.result().apiCalls());
            assertEquals(messages.getLast().text(), t.result().finalText(), "the answer ends after what the hook asked for");
            assertEquals(messages.getFirst().text() + messages.getLast().text(), deltaText(t.events()));
        }
    }

    @Test
    void aToolTurnRelaysBothCallsAndKeepsTheTranscriptsToolResultBetweenThem() {
        start(b -> b);
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build())) {
            Turn t = turn(backend, "please USE_TOOL now");
            assertFalse(t.result().isError(), t.result().toString());
            List<String> started = t.all(StreamEvent.MessageStart.class).stream().map(StreamEvent.MessageStart::id).toList();
            List<String> messages = t.all(AssistantMessage.class).stream().map(AssistantMessage::messageId).toList();
            assertEquals(2, started.size(), t.events().toString());
            assertEquals(started, messages, "each relayed call's message, once, with its MessageStart's id");
            int toolResult = t.events().indexOf(t.all(UserMessage.class).stream().filter(UserMessage::hasToolResult).findFirst().orElseThrow());
            assertTrue(toolResult > t.events().indexOf(t.all(AssistantMessage.class).getFirst())
                    && toolResult < t.events().indexOf(t.all(StreamEvent.MessageStart.class).get(1)), t.events().toString());
            assertEquals(2, t.result().apiCalls());
            assertTrue(t.result().finalText().startsWith("MOCK REPLY after tool: mock-tool-output"), t.result().finalText());
        }
    }

    @Test
    void theCliTitleQueryNeverReachesTheCaller() throws Exception {
        start(b -> b.unsetEnv("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"));
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build())) {
            Turn t = turn(backend, "hello with a title");
            assertFalse(t.result().isError(), t.result().toString());
            assertTrue(api.requests().stream().anyMatch(r -> r.kind() == RecordedRequest.Kind.SIDE_QUERY),
                    "the CLI asked for a title: " + api.requests());
            Set<String> mainLoopIds = api.mainLoopRequests().stream().map(r -> "msg_mock_%06d".formatted(r.sequence()))
                    .collect(Collectors.toSet());
            for (StreamEvent.MessageStart s : t.all(StreamEvent.MessageStart.class)) {
                assertTrue(mainLoopIds.contains(s.id()), s.id() + " is not a main-loop response");
            }
            assertFalse(t.events().toString().contains("Mock session title"), t.events().toString());
            assertEquals(1, t.all(StreamEvent.MessageStart.class).size(), t.events().toString());
        }
    }

    @Test
    void anUpstream429ReachesTheResultWithItsStatusTypeMessageAndRetryAfter() {
        start(b -> b);
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build())) {
            Turn t = turn(backend, "please ERR429");
            ApiError error = assertInstanceOf(TurnError.ApiFailed.class, t.result().error()).error();
            assertEquals(new ApiError("rate_limit", 429, "rate_limit_error", "mock error 429", "1", true), error);
            assertEquals(1, api.mainLoopRequests().size(), "the CLI did not retry: the caller does");
        }
    }

    @Test
    void anUpstream529ReachesTheResultExactly() {
        start(b -> b);
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build())) {
            Turn t = turn(backend, "please ERR529");
            ApiError error = assertInstanceOf(TurnError.ApiFailed.class, t.result().error()).error();
            assertEquals(new ApiError("server_error", 529, "overloaded_error", "mock error 529", "1", true), error);
        }
    }

    @Test
    void withTheRelayOffTurnsAreAsBeforeBlockByBlock() {
        start(b -> b);
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().modelApiRelay(false).build())) {
            Turn t = turn(backend, "tell me a few words please");
            assertFalse(t.result().isError(), t.result().toString());
            assertEquals(List.of(), t.all(StreamEvent.class));
            assertEquals(1, t.all(AssistantMessage.class).size());
            assertTrue(t.all(AssistantMessage.class).getFirst().uuid() != null, "the transcript's record");
            RecordedRequest request = api.mainLoopRequests().getLast();
            System.out.println("MEASURE relay=off message_stop_to_result_ms="
                    + (t.resultNanos() - api.awaitTiming(request, Duration.ofSeconds(5)).finishedNanos()) / 1e6);
        }
    }

    @Test
    void theMockReceivesTheSameHeadersAndBodyWithTheRelayAsWithout() {
        start(b -> b);
        RecordedRequest direct = firstMainLoopCall(false);
        RecordedRequest relayed = firstMainLoopCall(true);
        assertEquals("/v1/messages", relayed.path(), "the session's secret prefix is the relay's, not the upstream's");
        assertEquals(direct.query(), relayed.query());
        var headers = comparable(relayed.headers(), relayed);
        assertTrue(headers.containsKey("x-api-key") && headers.containsKey("anthropic-beta"), "the CLI's own: " + headers.keySet());
        assertEquals(comparable(direct.headers(), direct), headers);
        assertEquals(normalised(direct), normalised(relayed));
    }

    /** The first main-loop request of a fresh backend's first turn, with the relay on or off. */
    RecordedRequest firstMainLoopCall(boolean relay) {
        long before = api.requests().isEmpty() ? 0 : api.requests().getLast().sequence();
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().modelApiRelay(relay).build())) {
            Turn t = turn(backend, "the same words either way");
            assertFalse(t.result().isError(), t.result().toString());
            assertEquals(relay, !t.all(StreamEvent.class).isEmpty(), "the turn went through the relay: " + relay);
        }
        return api.requestsMatching(r -> r.sequence() > before && r.isMainLoop()).getFirst();
    }

    /**
     * The headers, less those that differ between any two sessions or connections: the session's id, the
     * connection's own (Host, Connection, Content-Length, which HTTP sets per hop) and the request's id.
     */
    static java.util.Map<String, List<String>> comparable(java.util.Map<String, List<String>> headers, RecordedRequest r) {
        java.util.TreeMap<String, List<String>> out = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            if (!Set.of("host", "connection", "content-length", "x-claude-code-session-id", "x-client-request-id")
                    .contains(name.toLowerCase(java.util.Locale.ROOT))) {
                out.put(name, values.stream().map(v -> withoutSessionId(v, r)).toList());
            }
        });
        return out;
    }

    /** The body with the session's id and the per-request billing hash taken out. */
    static String normalised(RecordedRequest r) {
        String body = claude.code.api.json.Json.write(r.body());
        return withoutSessionId(body, r).replaceAll("cch=[0-9a-f]+", "cch=*");
    }

    static String withoutSessionId(String text, RecordedRequest r) {
        return r.sessionId().map(id -> text.replace(id, "<session>")).orElse(text);
    }

    @Test
    void anHttpsUpstreamWithATestOnlyCertificateCarriesTheTurn(@TempDir Path dir) throws Exception {
        start(b -> b);
        TestTls tls = TestTls.create(dir);
        java.util.concurrent.atomic.AtomicInteger overTls = new java.util.concurrent.atomic.AtomicInteger();
        try (TlsFront front = TlsFront.start(tls, api.baseUrl(), overTls);
                ClaudeCodeBackend backend = new ClaudeCodeBackend(options().relayUpstream(front.url())
                        .relaySslContext(tls.trustingClient()).build())) {
            Turn t = turn(backend, "tell me a few words over tls");
            assertFalse(t.result().isError(), t.result().toString());
            assertTrue(t.all(StreamEvent.BlockDelta.class).size() > 1, "deltas through the relay: " + t.events());
            assertEquals(t.result().finalText(), deltaText(t.events()));
            assertTrue(overTls.get() >= 1, "the relay's calls went over TLS");
            assertEquals(overTls.get(), api.requests().size(), "every call the mock got came through the TLS front");
        }
    }

    @Test
    void anHttpsUpstreamWhoseCertificateIsNotTrustedFailsTheTurnAtOnceNamingTheUpstreamAndTheSwitch(@TempDir Path dir)
            throws Exception {
        start(b -> b);
        TestTls tls = TestTls.create(dir);
        java.util.concurrent.atomic.AtomicInteger overTls = new java.util.concurrent.atomic.AtomicInteger();
        try (TlsFront front = TlsFront.start(tls, api.baseUrl(), overTls);
                ClaudeCodeBackend backend = new ClaudeCodeBackend(options().relayUpstream(front.url()).build())) {
            Turn t = turn(backend, "this call cannot get through");
            assertTrue(t.result().isError(), t.result().toString());
            String message = assertInstanceOf(TurnError.ApiFailed.class, t.result().error()).error().message();
            assertTrue(message.contains(front.url().toString()) && message.contains("--model-api-relay off"), message);
            assertEquals(0, overTls.get(), "no request got past the handshake");
            assertEquals(List.of(), api.requests(), "nothing reached the mock");
        }
    }

    /** An HTTPS server on 127.0.0.1 that passes each request on to the mock and its answer back, streamed. */
    record TlsFront(com.sun.net.httpserver.HttpsServer server, java.util.concurrent.ExecutorService threads,
            java.net.http.HttpClient client) implements AutoCloseable {
        static TlsFront start(TestTls tls, java.net.URI mock, java.util.concurrent.atomic.AtomicInteger count)
                throws java.io.IOException {
            var server = com.sun.net.httpserver.HttpsServer.create(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls.server()));
            var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
            var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
            server.setExecutor(threads);
            server.createContext("/", exchange -> {
                try (exchange) {
                    count.incrementAndGet();
                    String target = mock.toString().replaceAll("/$", "") + exchange.getRequestURI().toString();
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(target))
                            .method(exchange.getRequestMethod(), java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
                    exchange.getRequestHeaders().forEach((name, values) -> {
                        if (!Set.of("host", "connection", "content-length").contains(name.toLowerCase(java.util.Locale.ROOT))) {
                            values.forEach(v -> request.header(name, v));
                        }
                    });
                    var response = client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
                    response.headers().map().forEach((name, values) -> {
                        if (!Set.of("content-length", "transfer-encoding", "connection", ":status")
                                .contains(name.toLowerCase(java.util.Locale.ROOT))) {
                            exchange.getResponseHeaders().put(name, values);
                        }
                    });
                    exchange.sendResponseHeaders(response.statusCode(), exchange.getRequestMethod().equals("HEAD") ? -1 : 0);
                    try (var in = response.body(); var out = exchange.getResponseBody()) {
                        byte[] buffer = new byte[8192];
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.start();
            return new TlsFront(server, threads, client);
        }

        java.net.URI url() {
            return java.net.URI.create("https://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
            client.close();
            threads.close();
        }
    }

    @Test
    void withPartialEventsOffTheRelayedMessageStillComesWithoutDeltas() {
        start(b -> b);
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().partialEvents(false).build())) {
            Turn t = turn(backend, "tell me a few words please");
            assertFalse(t.result().isError(), t.result().toString());
            assertEquals(List.of(), t.all(StreamEvent.class));
            assertEquals(1, t.all(AssistantMessage.class).size(), t.events().toString());
        }
    }

    @Test
    void anUpstreamDroppingMidStreamEndsTheTurnWithAnErrorAndLeavesNothingBehind() throws Exception {
        start(b -> b);
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build())) {
            Turn t = turn(backend, "please DROP the line");
            assertTrue(t.result().isError(), "a dropped stream is not an answer: " + t.result());
            assertTrue(t.result().errorText().toLowerCase(java.util.Locale.ROOT).contains("connection"),
                    () -> "the error says the connection was lost: " + t.result());
            System.out.println("MEASURE drop error: " + t.result().errorText());
            assertTrue(api.mainLoopRequests().size() >= 1, "the mock saw the call it dropped");
            assertEquals(0, api.responsesInProgress(), "no response of the mock left open");
            assertTrue(Procfs.await(Duration.ofSeconds(10), () -> backend.metrics().liveSessions() == 0),
                    () -> "the failed turn's session is closed, not pooled: " + backend.metrics());
            assertEquals(1, backend.metrics().failedTurns(), backend.metrics().toString());
        }
    }

    @Test
    void withTheRelayOnNoCredentialSideChannelSecretOrConversationTextReachesTheLog() throws Exception {
        start(b -> b);
        String prompt = "the launch code is ZEBRA-7741-PRIVATE";
        List<String> secrets = new ArrayList<>();
        List<String> lines;
        try (LogCapture log = new LogCapture(); ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build())) {
            try (EventStream stream = backend.complete(List.of(Message.user(prompt)))) {
                while (stream.hasNext()) {
                    if (stream.next() instanceof StreamEvent.BlockDelta && secrets.isEmpty()) {
                        sideChannelUrls().forEach(url -> secrets.add(url.getPath().replaceAll("^/+|/+$", "")));
                    }
                }
            }
            lines = log.lines();
        }
        assertFalse(secrets.isEmpty(), "the CLI's ANTHROPIC_BASE_URL carries the side channel's secret");
        RecordedRequest request = api.mainLoopRequests().getLast();
        for (String header : List.of("Authorization", "X-Api-Key")) {
            request.header(header).ifPresent(value -> {
                secrets.add(value);
                secrets.add(value.replaceFirst("(?i)^bearer ", ""));
            });
        }
        assertTrue(secrets.size() > 1, "the CLI sent a credential through the relay: " + request.headers().keySet());
        assertTrue(lines.stream().anyMatch(l -> l.contains("claude.code.api")), "the capture sees the library's log: " + lines);
        for (String line : lines) {
            assertFalse(line.contains("ZEBRA-7741"), () -> "conversation text in the log: " + line);
            assertFalse(line.contains("MOCK REPLY"), () -> "the answer's text in the log: " + line);
            for (String secret : secrets) {
                assertFalse(line.contains(secret), () -> "a secret in the log: " + line);
            }
        }
    }

    @Test
    void aRequestToTheLiveSideChannelWithoutTheSessionsSecretGets403AndReachesNoUpstream() throws Exception {
        start(b -> b);
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build());
                java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
            Turn t = turn(backend, "hello before the probe");
            assertFalse(t.result().isError(), t.result().toString());
            List<java.net.URI> urls = sideChannelUrls(); // the pooled session's CLI, still running
            assertEquals(1, urls.size(), urls.toString());
            java.net.URI channel = urls.getFirst();
            int seen = api.requests().size();
            for (String path : List.of("/v1/messages?beta=true", "/not-the-secret/v1/messages?beta=true",
                    channel.getPath() + "x/v1/messages?beta=true")) {
                java.net.http.HttpResponse<String> response = client.send(java.net.http.HttpRequest.newBuilder(
                        channel.resolve(path)).header("content-type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(403, response.statusCode(), path + ": " + response.body());
            }
            assertEquals(seen, api.requests().size(), "nothing forwarded: " + api.requests());
        }
    }

    /** The side-channel URLs ({@code ANTHROPIC_BASE_URL}, the secret as their path) in the environments of this JVM's CLIs. */
    static List<java.net.URI> sideChannelUrls() {
        List<java.net.URI> out = new ArrayList<>();
        try {
            for (Procfs.Stat child : Procfs.childrenOfThisJvm()) {
                byte[] env = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/" + child.pid() + "/environ"));
                for (String variable : new String(env, java.nio.charset.StandardCharsets.UTF_8).split("\u0000")) {
                    if (variable.startsWith("ANTHROPIC_BASE_URL=http://127.0.0.1:")) {
                        out.add(java.net.URI.create(variable.substring("ANTHROPIC_BASE_URL=".length())));
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    @Test
    void backendCloseLeavesNoSideChannelThreadSocketOrChild() throws Exception {
        start(b -> b);
        try (ClaudeCodeBackend warmUp = new ClaudeCodeBackend(options().build())) {
            turn(warmUp, "warm up the JDK's own descriptors");
        }
        List<String> fdsBefore = Procfs.descriptors();
        Set<Thread> threadsBefore = Set.copyOf(Thread.getAllStackTraces().keySet());
        ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build());
        Turn t = turn(backend, "one more");
        assertFalse(t.result().isError(), t.result().toString());
        backend.close();
        assertTrue(Procfs.await(Duration.ofSeconds(10), () -> Thread.getAllStackTraces().keySet().stream()
                .filter(th -> !threadsBefore.contains(th))
                .noneMatch(th -> th.getName().startsWith("side-channel-") || th.getName().startsWith("HttpClient-"))),
                () -> "a side-channel or relay thread is left: " + Thread.getAllStackTraces().keySet().stream()
                        .filter(th -> !threadsBefore.contains(th)).map(Thread::getName).toList());
        assertTrue(Procfs.await(Duration.ofSeconds(10), () -> {
            try {
                return Procfs.childrenOfThisJvm().isEmpty();
            } catch (java.io.IOException e) {
                return false;
            }
        }), "a CLI is left");
        assertTrue(Procfs.await(Duration.ofSeconds(10), () -> Procfs.descriptors().stream()
                .filter(fd -> fd.startsWith("socket:")).count() <= fdsBefore.stream().filter(fd -> fd.startsWith("socket:")).count()),
                () -> "sockets before " + fdsBefore + ", after " + Procfs.descriptors());
    }
}
