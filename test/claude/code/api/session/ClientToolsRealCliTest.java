package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.cli.CliOptions;
import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.ResultMessage;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.mcp.McpSession;
import claude.code.api.mcp.PendingToolCall;
import claude.code.api.mcp.ToolResult;
import claude.code.api.options.ClientTool;
import claude.code.api.options.ClientToolSet;
import claude.code.api.options.LaunchOptions;
import claude.code.api.sidechannel.ModelApiRelay;
import claude.code.api.sidechannel.RelayTap;
import claude.code.api.sidechannel.SideChannel;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.CliPeer;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.MockReply;
import claude.code.api.testing.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A session started for the client's tools, on the pinned CLI against the mock: what the model is offered. */
@Timeout(180)
class ClientToolsRealCliTest {
    static final JsonObject SCHEMA = (JsonObject) Json.parse(
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
    static final ClientToolSet TOOLS = new ClientToolSet(List.of(new ClientTool("getWeather", "Weather of a city",
            SCHEMA, false)));

    MockMessagesApi api;
    ClaudeTestHome home;
    SideChannel channel;
    ModelApiRelay relay;
    CliSessionFactory factory;

    @BeforeEach
    void start() throws Exception {
        // "call" in the prompt: the model calls the client's tool; with a tool result: text quoting it.
        api = MockMessagesApi.start(request -> !request.toolResults().isEmpty()
                ? new MockReply.Message(List.of(new MockReply.Text("it says: " + resultText(request.toolResults().getFirst()))),
                        "end_turn", Duration.ZERO, null)
                : request.body().toString().contains("call the tool")
                ? new MockReply.Message(List.of(new MockReply.ToolUse("toolu_c1", "mcp__c__getWeather",
                        (JsonObject) Json.parse("{\"city\":\"Oslo\"}"))), "tool_use", Duration.ZERO, null)
                : new MockReply.Message(List.of(new MockReply.Text("sunny")), "end_turn", Duration.ZERO, null));
        home = ClaudeTestHome.builder(api).bypassPermissionsAccepted().build();
        channel = SideChannel.start();
        relay = new ModelApiRelay(api.baseUrl(), null, RelayTap.NONE);
        CliOptions template = CliOptions.of(LaunchOptions.builder(home.workspace()).executable(CliPeer.executable())
                .preserveProviderEnv(true).extraEnv("IS_SANDBOX", "1").build());
        factory = new CliSessionFactory(template, home.environment(), SessionSettings.builder().build(),
                new RelayLink(channel, relay, false, true, TOOLS, Duration.ofMinutes(10)));
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

    ClaudeSession open() throws Exception {
        String id = UUID.randomUUID().toString();
        return factory.open(new SessionLaunch(id, false, factory.transcriptOf(id), 0));
    }

    static List<Event> turn(ClaudeSession session, String prompt) {
        List<Event> out = new ArrayList<>();
        try (EventStream events = session.send(prompt)) {
            events.forEachRemaining(out::add);
        }
        assertInstanceOf(ResultMessage.class, out.getLast(), "a turn ends with its result");
        return out;
    }

    @Test
    void theFirstPromptOffersTheModelExactlyTheClientsToolsUnderTheirMcpNames() throws Exception {
        try (ClaudeSession session = open()) {
            List<Event> events = turn(session, "weather in Oslo?");
            assertFalse(((ResultMessage) events.getLast()).isError(), events.getLast().toString());
        }
        List<RecordedRequest> requests = api.mainLoopRequests();
        assertEquals(1, requests.size());
        JsonArray offered = requests.getFirst().body().array("tools");
        assertEquals(1, offered.size(), "exactly the client's tool, none of the CLI's: " + offered);
        assertEquals("mcp__c__getWeather", offered.object(0).string("name"));
        assertEquals("Weather of a city", offered.object(0).string("description"));
        assertEquals(SCHEMA, offered.object(0).object("input_schema"));
    }

    static String resultText(JsonObject result) {
        return switch (result.get("content")) {
            case claude.code.api.json.JsonString str -> str.value();
            case JsonArray blocks -> blocks.object(0).string("text");
            default -> throw new AssertionError("unexpected content: " + result);
        };
    }

    @Test
    void theTurnEndsAtTheModelsCallOfAClientToolAndItsResultContinuesTheCliTurnWithoutTyping() throws Exception {
        try (CliSession session = (CliSession) open()) {
            List<Event> events = turn(session, "call the tool for Oslo");
            ResultMessage atCall = (ResultMessage) events.getLast();
            assertFalse(atCall.isError(), atCall.toString());
            assertEquals("tool_use", atCall.stopReason());
            claude.code.api.events.AssistantMessage call = (claude.code.api.events.AssistantMessage) events.get(events.size() - 2);
            assertEquals(List.of(new claude.code.api.events.ToolUseBlock("toolu_c1", "getWeather",
                    (JsonObject) Json.parse("{\"city\":\"Oslo\"}"))), call.content(), "the client's own name");
            assertEquals(List.of("toolu_c1"), session.awaitedToolUseIds());
            PendingToolCall held = session.awaitedCalls().getFirst();
            assertEquals("getWeather", held.toolName(), "the client's own name, without the mcp__c__ prefix");
            assertEquals(Json.parse("{\"city\":\"Oslo\"}"), held.arguments());
            assertFalse(held.ended().toCompletableFuture().isDone(), "the CLI's call is held open");

            List<Event> continuation = new ArrayList<>();
            try (EventStream more = session.sendToolResults(List.of(ToolResult.text("12 C and sunny")))) {
                more.forEachRemaining(continuation::add);
            }
            ResultMessage result = (ResultMessage) continuation.getLast();
            assertFalse(result.isError(), result.toString());
            assertEquals("it says: 12 C and sunny", result.finalText());
            assertEquals(List.of(), session.awaitedToolUseIds());
        }
        List<RecordedRequest> requests = api.mainLoopRequests();
        assertEquals(2, requests.size());
        JsonObject toolResult = requests.get(1).toolResults().getFirst();
        assertEquals("toolu_c1", toolResult.string("tool_use_id"));
        assertEquals("12 C and sunny", resultText(toolResult));
    }

    @Test
    void closingTheSessionWhileItAwaitsResultsEndsTheOpenCallAndStopsTheCli() throws Exception {
        PendingToolCall call;
        CliSession session = (CliSession) open();
        try {
            turn(session, "call the tool for Oslo");
            call = session.awaitedCalls().getFirst();
        } finally {
            session.close();
        }
        assertInstanceOf(claude.code.api.mcp.CallOutcome.Failed.class,
                call.ended().toCompletableFuture().get(30, TimeUnit.SECONDS), "the open call ends with the session");
        assertFalse(session.isAlive());
    }

    @Test
    void theSecretMcpUrlIsInAPrivateFileNotInTheArgvAndTheFileIsRemovedWithTheSession() throws Exception {
        Path config;
        try (ClaudeSession session = open()) {
            String cmdline = new String(Files.readAllBytes(Path.of("/proc/" + session.pid() + "/cmdline")),
                    StandardCharsets.UTF_8);
            assertFalse(cmdline.contains("127.0.0.1:" + channel.port()), "argv is readable by every local user");
            String[] args = cmdline.split("\0");
            config = null;
            for (String arg : args) {
                if (arg.startsWith("--mcp-config=")) {
                    config = Path.of(arg.substring("--mcp-config=".length()));
                }
            }
            assertTrue(config != null && Files.exists(config), "the session's MCP config file: " + List.of(args));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(config)));
            JsonObject server = ((JsonObject) Json.parse(Files.readString(config))).object("mcpServers").object("c");
            assertTrue(server.string("url").startsWith("http://127.0.0.1:" + channel.port() + "/"), server.toString());
        }
        assertFalse(Files.exists(config), "removed with the session");
    }
}
