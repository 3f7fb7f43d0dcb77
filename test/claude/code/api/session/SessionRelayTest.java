package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.ApiError;
import claude.code.api.events.StreamEvent;
import claude.code.api.sidechannel.ModelApiRelay;
import claude.code.api.sidechannel.RelayTap;
import claude.code.api.sidechannel.SessionChannel;
import claude.code.api.sidechannel.SideChannel;
import claude.code.api.testing.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which of the CLI's calls reach the turn, and what the relay makes of their responses. */
class SessionRelayTest {
    static final String ID = "00000000-0000-4000-8000-000000000004";
    static final String SYSTEM = "[{\"type\":\"text\",\"text\":\"x-anthropic-billing-header: cch=%s;\"},"
            + "{\"type\":\"text\",\"text\":\"You are Claude Code, Anthropic's official CLI for Claude.\"}]";
    static final String MAIN = "{\"model\":\"m\",\"system\":" + SYSTEM + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
            + "{\"role\":\"system\",\"content\":\"env\"}],\"stream\":true}";

    SideChannel channel;
    final LinkedBlockingQueue<SessionSignal> signals = new LinkedBlockingQueue<>();
    SessionRelay relay;

    @BeforeEach
    void start() throws Exception {
        channel = SideChannel.start();
        relay = new SessionRelay(ID, signals, true, "http://upstream", channel.register());
    }

    @AfterEach
    void stop() {
        relay.close();
        channel.close();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    RelayTap.Exchange post(String body) {
        return relay.exchange("POST", "/v1/messages", "beta=true", bytes(body));
    }

    List<SessionSignal> drained() {
        List<SessionSignal> out = new ArrayList<>();
        signals.drainTo(out);
        return out;
    }

    @Test
    void aTitleQueryIsNotTheConversations() {
        String title = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"<session>hi</session>\"}],"
                + "\"output_config\":{\"format\":{\"type\":\"json_schema\"}},\"tools\":[]}";
        assertSame(RelayTap.Exchange.NONE, post(title));
        assertEquals(List.of(), drained());
    }

    @Test
    void countTokensIsNotTheConversations() {
        assertSame(RelayTap.Exchange.NONE, relay.exchange("POST", "/v1/messages/count_tokens", null, bytes(MAIN)));
    }

    @Test
    void aMainLoopCallIsSignalledEvenWhenItsBillingHeaderChanges() {
        assertTrue(post(MAIN.formatted("a1")) != RelayTap.Exchange.NONE);
        assertTrue(post(MAIN.formatted("b2")) != RelayTap.Exchange.NONE, "the second call of the turn (after a tool)");
        assertEquals(2, drained().stream().filter(SessionSignal.RelayCall.class::isInstance).count());
    }

    @Test
    void aSubAgentsLoopWithItsOwnSystemPromptIsNotTheConversations() {
        post(MAIN.formatted("a1"));
        String agent = MAIN.formatted("c3").replace("You are Claude Code, Anthropic's official CLI for Claude.",
                "You are an agent for Claude Code.");
        assertSame(RelayTap.Exchange.NONE, post(agent));
        relay.newTurn();
        assertTrue(post(MAIN.formatted("d4")) != RelayTap.Exchange.NONE, "the next turn's call");
    }

    @Test
    void aStreamedResponseBecomesItsEventsThenItsFoldedMessage() {
        RelayTap.Exchange call = post(MAIN.formatted("a1"));
        call.response(200, Map.of("Content-Type", List.of("text/event-stream")));
        String sse = """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","model":"m","usage":{"input_tokens":5}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}

                event: message_stop
                data: {"type":"message_stop"}

                """;
        byte[] b = bytes(sse);
        for (int i = 0; i < b.length; i += 7) { // pieces cut anywhere
            call.bytes(b, i, Math.min(7, b.length - i));
        }
        call.end();
        List<SessionSignal> got = drained();
        assertInstanceOf(SessionSignal.RelayCall.class, got.getFirst());
        assertEquals(7, got.stream().filter(SessionSignal.RelayEvent.class::isInstance).count());
        SessionSignal.RelayMessage message = assertInstanceOf(SessionSignal.RelayMessage.class, got.getLast());
        assertEquals("msg_1", message.message().messageId());
        assertEquals("Hello", message.message().text());
        assertEquals("end_turn", message.message().stopReason());
    }

    @Test
    void aMalformedUpstreamLineReachesTheCliUnchangedAndTheRestOfTheStreamStillCounts() throws Exception {
        String sse = """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_m","model":"m","usage":{"input_tokens":5}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                bogus-field: not SSE
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":1}}

                event: message_stop
                data: {"type":"message_stop"}

                """;
        com.sun.net.httpserver.HttpServer upstream = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                exchange.getResponseBody().write(bytes(sse));
            }
        });
        upstream.start();
        URI upstreamUrl = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort());
        try (LogCapture log = new LogCapture(); SessionChannel session = channel.register();
                ModelApiRelay modelApi = new ModelApiRelay(upstreamUrl);
                SessionRelay tapped = new SessionRelay(ID, signals, true, upstreamUrl.toString(), session);
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            session.mount(SideChannel.RELAY, modelApi.route(tapped));
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(session.baseUrl() + "/v1/messages?beta=true"))
                    .POST(HttpRequest.BodyPublishers.ofString(MAIN.formatted("m1"))).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(sse, new String(response.body(), StandardCharsets.UTF_8), "the bytes reach the CLI as sent");
            SessionSignal.RelayMessage message = assertInstanceOf(SessionSignal.RelayMessage.class, awaitLast());
            assertEquals("Hi", message.message().text(), "the malformed line is skipped, not the stream");
            int offset = sse.indexOf("bogus-field");
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("relayed stream, byte") && l.contains("| " + offset + " |")
                    && l.contains("unknown field")), () -> "the parse error, with its byte offset " + offset + ": " + log.lines());
        } finally {
            upstream.stop(0);
        }
    }

    /** The last signal once the relayed exchange has ended (its handler finishes after the client has the bytes). */
    private SessionSignal awaitLast() throws InterruptedException {
        List<SessionSignal> got = new ArrayList<>();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            SessionSignal s = signals.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (s != null) {
                got.add(s);
                if (s instanceof SessionSignal.RelayMessage) {
                    return s;
                }
            }
        }
        return got.isEmpty() ? null : got.getLast();
    }

    @Test
    void anUpstreamErrorKeepsItsStatusTypeMessageAndRetryAfter() {
        RelayTap.Exchange call = post(MAIN.formatted("a1"));
        call.response(429, Map.of("retry-after", List.of("17"), "content-type", List.of("application/json")));
        byte[] body = bytes("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}");
        call.bytes(body, 0, body.length);
        call.end();
        SessionSignal.RelayError error = assertInstanceOf(SessionSignal.RelayError.class, drained().getLast());
        assertEquals(new ApiError("rate_limit", 429, "rate_limit_error", "slow down", "17", true), error.error());
    }

    @Test
    void anSseErrorEventIsAnErrorWithTheStatusTheApiGivesItsType() {
        RelayTap.Exchange call = post(MAIN.formatted("a1"));
        call.response(200, Map.of("content-type", List.of("text/event-stream")));
        byte[] sse = bytes("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
        call.bytes(sse, 0, sse.length);
        SessionSignal.RelayError error = assertInstanceOf(SessionSignal.RelayError.class, drained().getLast());
        assertEquals(new ApiError("server_error", 529, "overloaded_error", "Overloaded", null, true), error.error());
    }

    @Test
    void withoutPartialEventsTheMessageStillComes() throws Exception {
        try (SessionRelay quiet = new SessionRelay(ID, signals, false, "http://upstream", channel.register())) {
            RelayTap.Exchange call = quiet.exchange("POST", "/v1/messages", null, bytes(MAIN.formatted("a1")));
            call.response(200, Map.of("content-type", List.of("text/event-stream")));
            byte[] sse = bytes("data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"model\":\"m\"}}\n\n"
                    + "data: {\"type\":\"message_stop\"}\n\n");
            call.bytes(sse, 0, sse.length);
            List<SessionSignal> got = drained();
            assertEquals(0, got.stream().filter(SessionSignal.RelayEvent.class::isInstance).count());
            assertEquals("msg_2", assertInstanceOf(SessionSignal.RelayMessage.class, got.getLast()).message().messageId());
        }
    }

    @Test
    void unreachableNamesTheUpstreamAndTheSwitch() {
        RelayTap.Exchange call = post(MAIN.formatted("a1"));
        call.failed(new RelayTap.UpstreamUnreachable("https://up.example", "ConnectException"));
        SessionSignal.RelayUnreachable u = assertInstanceOf(SessionSignal.RelayUnreachable.class, drained().getLast());
        assertTrue(u.error().message().contains("https://up.example") && u.error().message().contains("--model-api-relay off"),
                u.error().message());
    }

    @Test
    void theHooksRouteAnswersAtOnceSignalsTheHookAndIsGoneWhenTheSessionCloses() throws Exception {
        relay.channel().mount(SessionRelay.HOOKS_ROUTE, relay.hooks());
        try (java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
            java.net.http.HttpRequest stop = java.net.http.HttpRequest.newBuilder(java.net.URI.create(relay.hookUrl("Stop")))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"session_id\":\"" + ID
                            + "\",\"hook_event_name\":\"Stop\"}")).build();
            java.net.http.HttpResponse<String> answer = client.send(stop, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode());
            assertEquals("{}", answer.body());
            SessionSignal.Hook hook = assertInstanceOf(SessionSignal.Hook.class, signals.poll(5, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("Stop", hook.event());
            relay.close();
            assertEquals(403, client.send(stop, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void anotherSessionsHookIsNotThisTurnsEnd() throws Exception {
        relay.channel().mount(SessionRelay.HOOKS_ROUTE, relay.hooks());
        try (java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
            client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(relay.hookUrl("Stop")))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"session_id\":\"someone-else\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(relay.hookUrl("Stop")))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"session_id\":\"" + ID + "\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            SessionSignal.Hook hook = assertInstanceOf(SessionSignal.Hook.class, signals.poll(5, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(ID, hook.input().string("session_id"), "the first signal is this session's own hook");
            assertEquals(List.of(), drained());
        }
    }
}
