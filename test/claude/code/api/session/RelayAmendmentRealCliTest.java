package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import claude.code.api.cli.CliOptions;
import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.ResultMessage;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.mcp.McpSession;
import claude.code.api.mcp.PendingToolCall;
import claude.code.api.mcp.ToolResult;
import claude.code.api.options.LaunchOptions;
import claude.code.api.options.ToolChoice;
import claude.code.api.sidechannel.ModelApiRelay;
import claude.code.api.sidechannel.RelayTap;
import claude.code.api.sidechannel.SideChannel;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.CliPeer;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.MockReply;
import claude.code.api.testing.RecordedRequest;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client tool's round in one CLI turn on the pinned CLI, the mock behind the relay: the turn's first call carries the
 * tool choice, the call after the tool result is the CLI's own bytes, and text beside the results follows them
 * (docs/CLI-BEHAVIOUR.md#relay-amendments).
 */
@Timeout(180)
class RelayAmendmentRealCliTest {
    MockMessagesApi api;
    ClaudeTestHome home;
    SideChannel channel;
    ModelApiRelay relay;
    CliSessionFactory factory;
    /** The main-loop bodies as the CLI sent them to the relay, in order. */
    final List<byte[]> sentByCli = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        api = MockMessagesApi.start(request -> !request.toolResults().isEmpty()
                ? new MockReply.Message(List.of(new MockReply.Text("done")), "end_turn", Duration.ZERO, null)
                : new MockReply.Message(List.of(new MockReply.ToolUse("toolu_r1", "mcp__c__getWeather",
                        (JsonObject) Json.parse("{\"city\":\"Oslo\"}"))), "tool_use", Duration.ZERO, null));
        home = ClaudeTestHome.builder(api).bypassPermissionsAccepted().build();
        channel = SideChannel.start();
        relay = new ModelApiRelay(api.baseUrl(), null, RelayTap.NONE);
        CliOptions template = CliOptions.of(LaunchOptions.builder(home.workspace()).executable(CliPeer.executable())
                .preserveProviderEnv(true).extraEnv("IS_SANDBOX", "1").build());
        factory = new CliSessionFactory(template, home.environment(), SessionSettings.builder().build(),
                new RelayLink(channel, relay, false, true, ClientToolsRealCliTest.TOOLS, Duration.ofMinutes(10)));
    }

    @AfterEach
    void stop() {
        try {
            assertEquals(List.of(), home.strayProcesses(), "no CLI of this test left running");
        } finally {
            relay.close();
            channel.close();
            home.close();
            api.close();
        }
    }

    /** A session whose relay route first keeps a copy of what the CLI sent. */
    CliSession open() throws Exception {
        String id = UUID.randomUUID().toString();
        CliSession session = (CliSession) factory.open(new SessionLaunch(id, false, factory.transcriptOf(id), 0));
        SessionRelay sessionRelay = session.relay();
        var route = relay.route(sessionRelay);
        sessionRelay.channel().mount(SideChannel.RELAY, (exchange, path) -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (path.equals("/v1/messages")) {
                sentByCli.add(body);
            }
            exchange.setStreams(new ByteArrayInputStream(body), null);
            route.handle(exchange, path);
        });
        return session;
    }

    /**
     * Runs a turn whose model calls the client's tool once: it ends at the call; the result, with {@code nextCall}
     * for the continuation's request, goes on to the end.
     */
    ResultMessage toolTurn(CliSession session, List<RequestAmendment> firstCall, List<RequestAmendment> nextCall) {
        ResultMessage atCall = run(session.send("weather in Oslo?", List.of(), firstCall));
        assertEquals("tool_use", atCall.stopReason(), atCall.toString());
        assertEquals(List.of("toolu_r1"), session.awaitedToolUseIds());
        return run(session.sendToolResults(List.of(ToolResult.text("12 C")), nextCall));
    }

    static ResultMessage run(EventStream turn) {
        List<Event> events = new ArrayList<>();
        try (EventStream stream = turn) {
            stream.forEachRemaining(events::add);
        }
        ResultMessage result = assertInstanceOf(ResultMessage.class, events.getLast());
        assertFalse(result.isError(), result.toString());
        return result;
    }

    List<RecordedRequest> mainLoop() {
        List<RecordedRequest> main = api.mainLoopRequests();
        assertEquals(2, main.size(), main.toString());
        assertEquals(2, sentByCli.size());
        return main;
    }

    @Test
    void aForcingChoiceGoesOnTheFirstCallOnlyAndTheCallAfterTheResultIsTheCliBytes() throws Exception {
        try (CliSession session = open()) {
            toolTurn(session, List.of(RequestAmendment.toolChoice(ToolChoice.any(), ClientToolsRealCliTest.TOOLS)
                    .orElseThrow()), List.of());
        }
        List<RecordedRequest> main = mainLoop();
        JsonObject cliFirst = (JsonObject) Json.parse(sentByCli.get(0));
        assertFalse(cliFirst.has("tool_choice"), "the CLI sets none itself");
        assertEquals(new RequestAmendment.SetToolChoice((JsonObject) Json.parse("{\"type\":\"any\"}")).apply(cliFirst),
                main.get(0).body(), "the CLI's request with the choice set (and thinking out), nothing else changed");
        assertFalse(main.get(1).body().has("tool_choice"), "forcing again after the result would loop");
        assertArrayEquals(sentByCli.get(1), api.rawBody(main.get(1)), "an unamended call is the CLI's bytes");
    }

    @Test
    void textBesideTheResultsFollowsTheToolResultBlocksOfTheContinuationsRequest() throws Exception {
        JsonObject text = (JsonObject) Json.parse("{\"type\":\"text\",\"text\":\"and say it in Celsius\"}");
        try (CliSession session = open()) {
            toolTurn(session, List.of(), List.of(new RequestAmendment.AppendAfterToolResults(List.of(text))));
        }
        List<RecordedRequest> main = mainLoop();
        assertArrayEquals(sentByCli.get(0), api.rawBody(main.get(0)), "the first call: no amendment, the CLI's bytes");
        JsonObject last = main.get(1).lastUserMessage().orElseThrow();
        List<JsonObject> content = last.array("content").stream().map(JsonObject.class::cast).toList();
        assertEquals("tool_result", content.getFirst().string("type"));
        assertEquals(text, content.getLast(), "the text after the results: " + content);
        assertEquals(((JsonObject) Json.parse(sentByCli.get(1))).array("messages").size(),
                main.get(1).body().array("messages").size(), "no message added");
    }
}
