package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.AssistantMessage;
import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.Message;
import claude.code.api.events.MessageParseError;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.SystemMessage;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.UserMessage;
import claude.code.api.history.SeedTranscript;
import claude.code.api.json.Json;
import claude.code.api.options.Timeouts;
import claude.code.api.testing.KeywordResponder;
import claude.code.api.testing.MockReply;
import claude.code.api.testing.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Turns on the pinned real CLI against the mock: every end shape, and the session around them. */
@Timeout(180)
class CliSessionRealCliTest {

    static List<Event> turn(ClaudeSession session, String prompt) {
        try (EventStream events = session.send(prompt)) {
            List<Event> out = new ArrayList<>();
            events.forEachRemaining(out::add);
            assertInstanceOf(ResultMessage.class, out.getLast(), "a turn ends with its result");
            return out;
        }
    }

    static ResultMessage result(List<Event> events) {
        return (ResultMessage) events.getLast();
    }

    static <T extends Event> int indexOf(List<Event> events, Class<T> type, java.util.function.Predicate<T> test) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i)) && test.test(type.cast(events.get(i)))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aPlainTurnStreamsTheEchoTheReplyAndAResult() throws Exception {
        try (LiveCli cli = new LiveCli()) {
            ClaudeSession session = cli.open();
            assertTrue(session.isAlive());
            List<Event> events = turn(session, "hello there");
            assertEquals(4, events.size(), events.toString());
            UserMessage echo = assertInstanceOf(UserMessage.class, events.get(0));
            assertTrue(echo.prompt());
            assertEquals("hello there", echo.text());
            assertEquals("MOCK REPLY to: hello there | nmsgs=2", assertInstanceOf(AssistantMessage.class, events.get(1)).text());
            assertEquals("turn_duration", assertInstanceOf(SystemMessage.class, events.get(2)).subtype());
            ResultMessage result = result(events);
            assertFalse(result.isError(), result.toString());
            assertFalse(result.interrupted());
            assertEquals(session.sessionId(), result.sessionId());
            assertEquals(1, result.apiCalls());
            assertEquals("MOCK REPLY to: hello there | nmsgs=2", result.finalText());
            assertEquals("end_turn", result.stopReason());
            assertTrue(result.usage().inputTokens() > 0 && result.usage().outputTokens() > 0, result.usage().toString());
            assertTrue(result.duration().compareTo(Duration.ZERO) > 0);
            assertEquals("hello there", cli.requests(session, 1).getFirst().promptText());
            assertTrue(session.isAlive(), "ready for the next prompt");
        }
    }

    @Test
    void aToolTurnCarriesTheToolUseAndItsResultBeforeTheFinalText() throws Exception {
        try (LiveCli cli = new LiveCli()) {
            List<Event> events = turn(cli.open(), "please USE_TOOL now");
            int use = indexOf(events, AssistantMessage.class, AssistantMessage::hasToolUse);
            int toolResult = indexOf(events, UserMessage.class, UserMessage::hasToolResult);
            int finalText = indexOf(events, AssistantMessage.class, a -> a.text().startsWith("MOCK REPLY after tool"));
            assertTrue(use > 0 && toolResult > use && finalText > toolResult && finalText < events.size() - 1, events.toString());
            ToolUseBlock block = (ToolUseBlock) ((AssistantMessage) events.get(use)).content().getFirst();
            assertEquals("Bash", block.name());
            ToolResultBlock output = (ToolResultBlock) ((UserMessage) events.get(toolResult)).content().getFirst();
            assertEquals(block.id(), output.toolUseId());
            assertTrue(Json.write(output.content()).contains("mock-tool-output"), Json.write(output.content()));
            ResultMessage result = result(events);
            assertFalse(result.isError(), result.toString());
            assertEquals(2, result.apiCalls(), "the tool round and the final answer");
            assertTrue(result.finalText().startsWith("MOCK REPLY after tool: mock-tool-output"), result.finalText());
        }
    }

    @Test
    void aThinkingBlockArrivesAsItsOwnEventBeforeTheText() throws Exception {
        try (LiveCli cli = new LiveCli()) {
            List<Event> events = turn(cli.open(), "THINK about it");
            int thinking = indexOf(events, AssistantMessage.class, a -> a.content().getFirst() instanceof ThinkingBlock);
            int text = indexOf(events, AssistantMessage.class, a -> a.text().startsWith("MOCK REPLY"));
            assertTrue(thinking > 0 && text > thinking, events.toString());
            ThinkingBlock block = (ThinkingBlock) ((AssistantMessage) events.get(thinking)).content().getFirst();
            assertTrue(block.thinking().contains("THINK"), block.thinking());
            assertNotNull(block.signature());
            assertEquals(1, result(events).apiCalls(), "one message: thinking and text");
            assertTrue(result(events).finalText().startsWith("MOCK REPLY to: THINK about it"));
        }
    }

    @Test
    void twoTurnsInOneSessionKeepTheConversation() throws Exception {
        try (LiveCli cli = new LiveCli()) {
            ClaudeSession session = cli.open();
            assertFalse(result(turn(session, "first question")).isError());
            List<Event> second = turn(session, "second question");
            assertEquals("second question", ((UserMessage) second.getFirst()).text(), "the second turn starts at its own echo");
            assertEquals("MOCK REPLY to: second question | nmsgs=4", result(second).finalText());
            RecordedRequest request = cli.requests(session, 2).get(1);
            assertTrue(Json.write(request.messages().getFirst()).contains("first question"), "the history went along");
        }
    }

    @Test
    void anApiServerErrorEndsTheTurnWithAnErrorResultAfterBoundedRetries() throws Exception {
        try (LiveCli cli = new LiveCli()) {
            ClaudeSession session = cli.open();
            ResultMessage result = result(turn(session, "ERR500 now"));
            assertTrue(result.isError());
            assertTrue(result.errorText().startsWith("API Error: 500"), result.errorText());
            assertEquals(3, cli.requests(session, 3).size(), "the first try and CLAUDE_CODE_MAX_RETRIES=2 retries");
            assertTrue(session.isAlive(), "an API error leaves the session usable");
            assertFalse(result(turn(session, "after the error")).isError());
        }
    }

    @Test
    void aRateLimitEndsTheTurnWithAnErrorResult() throws Exception {
        try (LiveCli cli = new LiveCli()) {
            ResultMessage result = result(turn(cli.open(), "ERR429 now"));
            assertTrue(result.isError());
            assertTrue(result.errorText().contains("429"), result.errorText());
        }
    }

    @Test
    void interruptingARunningToolEndsTheTurnAsInterruptedAndStopsTheTool() throws Exception {
        try (LiveCli cli = new LiveCli()) {
            CliSession session = (CliSession) cli.open();
            List<Event> events = new ArrayList<>();
            try (EventStream stream = session.send("TOOL_SLEEP20 please")) {
                do {
                    events.add(stream.next());
                } while (!(events.getLast() instanceof AssistantMessage a && a.hasToolUse()));
                awaitSleeper(cli);
                session.interrupt();
                stream.forEachRemaining(events::add);
            }
            ResultMessage result = result(events);
            assertTrue(result.interrupted(), result.toString());
            assertFalse(result.isError());
            assertEquals("[Request interrupted by user for tool use]", ((UserMessage) events.get(events.size() - 2)).text());
            assertTrue(sleepers(cli).isEmpty(), "the CLI stopped the tool");
            List<Event> next = turn(session, "after the interrupt");
            assertFalse(result(next).isError(), result(next).toString());
        }
    }

    @Test
    void interruptingBeforeTheReplyBeganLeavesNothingOfThatPromptInTheInputBox() throws Exception {
        try (LiveCli cli = new LiveCli()) {
            CliSession session = (CliSession) cli.open();
            ResultMessage result;
            try (EventStream stream = session.send("HANG until interrupted")) {
                assertInstanceOf(UserMessage.class, stream.next());
                cli.requests(session, 1); // the CLI waits for an answer that never comes
                session.interrupt();
                result = stream.result();
            }
            // The CLI cancels the request and puts the prompt back into its input box; the session clears it.
            assertTrue(result.interrupted(), result.toString());
            assertFalse(result.isError());
            assertEquals("", session.process().inputLine());
            ResultMessage next = result(turn(session, "a fresh prompt"));
            assertFalse(next.isError(), next.toString());
            assertEquals("a fresh prompt", cli.lastRequest(session).promptText(), "nothing of the cancelled prompt is glued to it");
        }
    }

    @Test
    void interruptingASlowReplyEndsTheTurnAsInterruptedAndTheSessionTakesTheNextPrompt() throws Exception {
        try (LiveCli cli = new LiveCli()) {
            CliSession session = (CliSession) cli.open();
            List<Event> events = new ArrayList<>();
            try (EventStream stream = session.send("SLOW0p3 stream please")) {
                events.add(stream.next());
                cli.requests(session, 1); // streaming slowly (the reply may or may not have begun: both end interrupted)
                session.interrupt();
                stream.forEachRemaining(events::add);
            }
            ResultMessage result = result(events);
            assertTrue(result.interrupted(), result.toString());
            assertFalse(result.isError());
            ResultMessage next = result(turn(session, "after the interrupt"));
            assertFalse(next.isError(), next.toString());
            assertEquals("after the interrupt", cli.lastRequest(session).promptText());
        }
    }

    @Test
    void closingTheStreamEarlyInterruptsTheTurnAndLeavesTheSessionReady() throws Exception {
        try (LiveCli cli = new LiveCli()) {
            ClaudeSession session = cli.open();
            try (EventStream stream = session.send("TOOL_SLEEP20 in the background")) {
                assertInstanceOf(UserMessage.class, stream.next());
                awaitSleeper(cli);
            } // closed before the result: returns once the turn has ended
            assertTrue(sleepers(cli).isEmpty(), "the tool was stopped");
            String transcript = Files.readString(cli.home.transcript(session.sessionId()));
            assertTrue(transcript.contains("[Request interrupted by user for tool use]"), "the CLI wrote the interrupt note");
            ResultMessage next = result(turn(session, "are you there"));
            assertFalse(next.isError(), next.toString());
        }
    }

    private static void awaitSleeper(LiveCli cli) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sleepers(cli).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(sleepers(cli).isEmpty(), "the tool runs: " + cli.home.strayProcesses());
    }

    @Test
    void aTurnThatNeverEndsIsEndedByTheTurnTimeoutAndTheSessionGoesOn() throws Exception {
        try (LiveCli cli = new LiveCli(b -> b, s -> s.timeouts(Timeouts.DEFAULTS.withTurnTimeout(Duration.ofSeconds(3))))) {
            ClaudeSession session = cli.open();
            ResultMessage result = result(turn(session, "HANG forever"));
            assertTrue(result.isError());
            assertTrue(result.errorText().startsWith("the turn did not end within PT3S"), result.errorText());
            assertTrue(session.isAlive(), "the interrupt brought the CLI back to its prompt");
            assertFalse(result(turn(session, "and now?")).isError());
            assertEquals("and now?", cli.lastRequest(session).promptText());
        }
    }

    @Test
    void severalSessionsRunTurnsAtTheSameTime() throws Exception {
        try (LiveCli cli = new LiveCli()) {
            List<ClaudeSession> sessions = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sessions.add(cli.open());
            }
            List<Thread> threads = new ArrayList<>();
            List<ResultMessage> results = new CopyOnWriteArrayList<>();
            for (int i = 0; i < sessions.size(); i++) {
                ClaudeSession session = sessions.get(i);
                String prompt = (i == 1 ? "please USE_TOOL " : "SLOW0p1 ") + "from session " + i;
                threads.add(Thread.ofVirtual().start(() -> results.add(result(turn(session, prompt)))));
            }
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(120));
            }
            assertEquals(3, results.size());
            for (ResultMessage r : results) {
                assertFalse(r.isError(), r.toString());
                int i = sessions.stream().map(ClaudeSession::sessionId).toList().indexOf(r.sessionId());
                assertTrue(r.finalText().contains("from session " + i) || (i == 1 && r.finalText().contains("mock-tool-output")),
                        "each session got its own reply: " + r);
            }
        }
    }

    @Test
    void aSecondPromptWhileATurnRunsIsRefused() throws Exception {
        try (LiveCli cli = new LiveCli()) {
            ClaudeSession session = cli.open();
            try (EventStream first = session.send("SLOW0p2 take your time")) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> session.send("me too"));
                assertTrue(e.getMessage().contains("already running a turn"), e.getMessage());
                assertFalse(first.result().isError());
            }
            assertTrue(cli.api.mainLoopRequests().stream().noneMatch(r -> r.promptText().contains("me too")),
                    "the refused prompt never reached the CLI");
        }
    }

    @Test
    void closingTheSessionDuringARunningToolStopsTheToolToo() throws Exception {
        try (LiveCli cli = new LiveCli()) {
            ClaudeSession session = cli.open();
            List<Event> seen = new CopyOnWriteArrayList<>();
            EventStream stream = session.send("TOOL_SLEEP20 please");
            Thread reader = Thread.ofVirtual().start(() -> stream.forEachRemaining(seen::add));
            awaitSleeper(cli);
            session.close();
            reader.join(Duration.ofSeconds(30));
            assertFalse(session.isAlive());
            assertEquals(List.of(), cli.home.strayProcesses(), "the CLI and its tool are gone");
            ResultMessage result = (ResultMessage) seen.getLast();
            assertTrue(result.isError());
            assertTrue(result.errorText().contains("closed during the turn"), result.errorText());
            assertThrows(IllegalStateException.class, () -> session.send("after close"));
        }
    }

    private static List<ProcessHandle> sleepers(LiveCli cli) {
        return cli.home.strayProcesses().stream()
                .filter(p -> p.info().commandLine().orElse("").contains("sleep 20")).toList();
    }

    @Test
    void theCliDyingMidTurnIsAnErrorResultAndTheSessionIsDead() throws Exception {
        try (LiveCli cli = new LiveCli()) {
            ClaudeSession session = cli.open();
            try (EventStream stream = session.send("SLOW1 stream slowly")) {
                assertInstanceOf(UserMessage.class, stream.next());
                cli.requests(session, 1);
                ProcessHandle.of(session.pid()).orElseThrow().destroyForcibly();
                ResultMessage result = stream.result();
                assertTrue(result.isError());
                assertTrue(result.errorText().contains("session " + session.sessionId()), result.errorText());
                assertTrue(result.errorText().contains("exited with status 137"), result.errorText());
            }
            assertFalse(session.isAlive());
            ResultMessage after = session.send("anyone?").result();
            assertTrue(after.isError());
            assertTrue(after.errorText().contains("exited"), after.errorText());
        }
    }

    @Test
    void resumeContinuesASeededConversationAndReportsOnlyNewRecords() throws Exception {
        try (LiveCli cli = new LiveCli()) {
            String id = UUID.randomUUID().toString();
            Path transcript = cli.factory.transcriptOf(id);
            long seedSize = SeedTranscript.write(transcript, id,
                    List.of(Message.user("My secret word is ALPHA-77."), Message.assistant("Got it: ALPHA-77.")));
            ClaudeSession session = cli.track(cli.factory.open(new SessionLaunch(id, true, transcript, seedSize)));
            List<Event> events = turn(session, "What is my secret word?");
            assertEquals("What is my secret word?", ((UserMessage) events.getFirst()).text(), "nothing of the seed is reported");
            assertFalse(result(events).isError(), result(events).toString());
            RecordedRequest request = cli.requests(session, 1).getFirst();
            assertTrue(Json.write(request.messages().getFirst()).contains("ALPHA-77"), "the seed is the history");
            assertEquals(id, request.sessionId().orElseThrow(), "the same session id");
        }
    }

    @Test
    void anUntrustedWorkspaceStartsOnceTheTrustDialogIsAnswered() throws Exception {
        try (LiveCli cli = new LiveCli(b -> b.trusted(false), s -> s)) {
            assertFalse(result(turn(cli.open(), "hello from an untrusted folder")).isError());
        }
    }

    @Test
    void anUnreadableTranscriptLineGoesToTheCallbackAndTheTurnGoesOn() throws Exception {
        List<MessageParseError> errors = new CopyOnWriteArrayList<>();
        try (LiveCli cli = new LiveCli(b -> b, s -> s.onParseError(errors::add))) {
            ClaudeSession session = cli.open();
            assertFalse(result(turn(session, "first")).isError());
            Path transcript = cli.home.transcript(session.sessionId());
            // one O_APPEND write: whole, even while the CLI still appends the first turn's last records
            Files.write(transcript, "{not json at all\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
            assertFalse(result(turn(session, "second")).isError());
            assertEquals(1, errors.size(), errors.toString());
            byte[] written = Files.readAllBytes(transcript);
            long offset = new String(written, StandardCharsets.ISO_8859_1).indexOf("{not json at all\n");
            assertEquals(offset, errors.getFirst().offset(), "the offset of the line as it landed in the file");
            assertTrue(errors.getFirst().reason().contains("not valid JSON"), errors.getFirst().reason());
        }
    }

    @Test
    void aPermissionDialogInTheMiddleOfATurnEndsItWithAnErrorAndTheSessionGoesOn() throws Exception {
        try (LiveCli cli = new LiveCli(b -> b, o -> o.permissionMode("manual"), s -> s)) {
            KeywordResponder keywords = new KeywordResponder();
            Path target = cli.home.workspace().resolve("needs-permission.txt");
            cli.api.respondWith(r -> r.promptText().contains("ASK_PERMISSION") && r.toolResults().isEmpty()
                    ? MockReply.textThenBash("Writing a file.", "touch " + target) : keywords.apply(r));
            ClaudeSession session = cli.open();
            ResultMessage result = result(turn(session, "please ASK_PERMISSION"));
            assertTrue(result.isError(), result.toString());
            assertTrue(result.errorText().contains("wait for input"), result.errorText());
            assertFalse(Files.exists(target), "the command was not allowed");
            assertTrue(session.isAlive(), "ESC dismissed the dialog");
            assertFalse(result(turn(session, "next one")).isError());
        }
    }
}
