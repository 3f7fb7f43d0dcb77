package claude.code.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.Message;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.Usage;
import claude.code.api.events.UserMessage;
import claude.code.api.failures.BackendClosedException;
import claude.code.api.failures.PoolExhaustedException;
import claude.code.api.failures.SessionStartException;
import claude.code.api.history.ConcatPrompt;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.options.ClientTool;
import claude.code.api.options.ClientToolSet;
import claude.code.api.options.HistoryMode;
import claude.code.api.session.SessionLaunch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ClaudeCodeBackendTest {
    @TempDir
    Path tmp;
    Path cwd;
    Path configDir;
    final FakeSessions fake = new FakeSessions();
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final List<ClaudeCodeBackend> backends = new ArrayList<>();

    @BeforeEach
    void dirs() throws IOException {
        cwd = Files.createDirectory(tmp.resolve("work"));
        configDir = tmp.resolve("config");
    }

    @AfterEach
    void closeBackends() {
        backends.forEach(ClaudeCodeBackend::close);
    }

    ClaudeCodeBackend backend(Consumer<BackendOptions.Builder> tweak) {
        BackendOptions.Builder b = BackendOptions.builder(cwd).extraEnv("CLAUDE_CONFIG_DIR", configDir.toString())
                .maxSessions(8).acquireTimeout(Duration.ZERO);
        tweak.accept(b);
        ClaudeCodeBackend backend = new ClaudeCodeBackend(b.build(), fake, Map.of("HOME", tmp.toString()), now::get);
        backends.add(backend);
        return backend;
    }

    ClaudeCodeBackend backend() {
        return backend(b -> {});
    }

    static List<Event> drain(EventStream turn) {
        List<Event> out = new ArrayList<>();
        try (turn) {
            turn.forEachRemaining(out::add);
        }
        return out;
    }

    static ResultMessage result(List<Event> events) {
        return assertInstanceOf(ResultMessage.class, events.get(events.size() - 1));
    }

    static List<Message> msgs(Message... m) {
        return List.of(m);
    }

    /** Runs a turn and returns the result's final text. */
    static String ask(ClaudeCodeBackend backend, List<Message> messages) {
        return result(drain(backend.complete(messages))).finalText();
    }

    // --- pool paths ------------------------------------------------------------------------

    /** Waits (bounded) until the fake factory has opened {@code count} sessions. */
    void awaitLaunches(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (fake.launches.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(count, fake.launches.size(), "sessions opened");
    }

    @Test
    void prestartedSpareServesAFirstMessageAndIsReplacedInTheBackground() throws Exception {
        ClaudeCodeBackend backend = backend(b -> b.prestartSessions(1));
        awaitLaunches(1);
        FakeSessions.Session spare = fake.sessions.get(0);
        assertTrue(spare.prompts.isEmpty(), "started before any request");
        assertEquals("reply 1 to: hi", ask(backend, msgs(Message.user("hi"))));
        assertEquals(List.of("hi"), spare.prompts, "the request ran on the spare");
        assertFalse(fake.launches.get(0).resume());
        awaitLaunches(2); // the replacement
        assertTrue(fake.sessions.get(1).prompts.isEmpty());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (backend.metrics().spareSessions() != 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, backend.metrics().spareSessions());
        assertEquals(1, backend.metrics().liveSessions(), "spares are not pool members");
        assertEquals(1, backend.metrics().poolMisses());
        Thread.sleep(50);
        assertEquals(2, fake.launches.size(), "no more than the target is started");
    }

    @Test
    void aSeededMissStartsItsOwnSessionAndLeavesTheSpare() throws Exception {
        ClaudeCodeBackend backend = backend(b -> b.prestartSessions(1));
        awaitLaunches(1);
        ask(backend, msgs(Message.user("q1"), Message.assistant("a1"), Message.user("q2")));
        assertEquals(2, fake.launches.size());
        assertTrue(fake.launches.get(1).resume(), "native_jsonl history needs --resume");
        assertTrue(fake.sessions.get(0).prompts.isEmpty(), "the spare stays unused");
    }

    @Test
    void inConcatModeAMissWithHistoryTakesTheSpare() throws Exception {
        ClaudeCodeBackend backend = backend(b -> b.prestartSessions(1).historyMode(HistoryMode.CONCAT_MESSAGE));
        awaitLaunches(1);
        ask(backend, msgs(Message.user("q1"), Message.assistant("a1"), Message.user("q2")));
        assertEquals(1, fake.sessions.get(0).prompts.size());
        assertTrue(fake.sessions.get(0).prompts.get(0).contains("q1"), "the history folded into the prompt");
    }

    @Test
    void aSpareWhoseProcessDiedIsClosedAndNotUsed() throws Exception {
        ClaudeCodeBackend backend = backend(b -> b.prestartSessions(1));
        awaitLaunches(1);
        fake.sessions.get(0).exited = true;
        ask(backend, msgs(Message.user("hi")));
        assertTrue(fake.sessions.get(0).closed());
        assertTrue(fake.sessions.get(0).prompts.isEmpty());
        assertTrue(fake.sessions.stream().anyMatch(s -> s.prompts.equals(List.of("hi"))));
    }

    @Test
    void closingTheBackendClosesItsSpares() throws Exception {
        ClaudeCodeBackend backend = backend(b -> b.prestartSessions(2));
        awaitLaunches(2);
        backend.close();
        assertTrue(fake.sessions.stream().allMatch(FakeSessions.Session::closed));
    }

    @Test
    void aFailingSpareStartDoesNotFailRequests() throws Exception {
        fake.openFailure = new IOException("no claude here");
        ClaudeCodeBackend backend = backend(b -> b.prestartSessions(1));
        awaitLaunches(1);
        fake.openFailure = null;
        assertEquals("reply 1 to: hi", ask(backend, msgs(Message.user("hi"))), "the request starts its own session");
    }

    @Test
    void aFirstMessageStartsAFreshSession() {
        ClaudeCodeBackend backend = backend();
        List<Event> events = drain(backend.complete(msgs(Message.user("hi"))));
        assertEquals("reply 1 to: hi", result(events).finalText());
        assertEquals(1, fake.launches.size());
        SessionLaunch launch = fake.launches.get(0);
        assertFalse(launch.resume());
        assertEquals(0, launch.startOffset());
        assertEquals(configDir.resolve("projects"), launch.transcript().getParent().getParent());
        assertEquals(List.of("hi"), fake.sessions.get(0).prompts);
        BackendMetrics m = backend.metrics();
        assertEquals(1, m.poolMisses());
        assertEquals(1, m.spawns());
        assertEquals(1, m.turns());
        assertEquals(1, m.idleSessions());
    }

    @Test
    void aThreeTurnConversationIsServedByOneSession() {
        ClaudeCodeBackend backend = backend();
        List<Message> history = new ArrayList<>(List.of(Message.user("one")));
        for (String next : List.of("two", "three")) {
            history.add(Message.assistant(ask(backend, history)));
            history.add(Message.user(next));
        }
        assertEquals("reply 3 to: three", ask(backend, history));
        assertEquals(1, fake.launches.size());
        assertEquals(List.of("one", "two", "three"), fake.sessions.get(0).prompts, "only the new message is typed");
        assertEquals(2, backend.metrics().poolHits());
        assertEquals(1, backend.liveSessionCount());
    }

    @Test
    void aMissWithHistorySeedsANewSessionAndTypesOnlyTheLastMessage() throws Exception {
        AtomicReference<String> permissions = new AtomicReference<>();
        fake.onOpen = launch -> permissions.set(permissionsOf(launch.transcript()));
        ClaudeCodeBackend backend = backend();
        String text = ask(backend, msgs(Message.user("My secret word is ALPHA-77."), Message.assistant("Got it."),
                Message.user("What is my secret word?")));
        assertEquals("reply 1 to: What is my secret word?", text);
        SessionLaunch launch = fake.launches.get(0);
        assertTrue(launch.resume());
        assertEquals("rw-------", permissions.get());
        String seed = fake.seeds.get(0);
        assertEquals(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, launch.startOffset());
        String[] lines = seed.split("\n");
        assertEquals(2, lines.length);
        assertEquals("My secret word is ALPHA-77.", ((JsonObject) Json.parse(lines[0])).object("message")
                .array("content").object(0).string("text"));
        assertEquals("assistant", ((JsonObject) Json.parse(lines[1])).string("type"));
        assertEquals(launch.sessionId() + ".jsonl", launch.transcript().getFileName().toString());
        assertEquals(List.of("What is my secret word?"), fake.sessions.get(0).prompts);
    }

    static String permissionsOf(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void concatModeFoldsTheHistoryIntoTheFirstPromptOfAFreshSession() {
        ClaudeCodeBackend backend = backend(b -> b.historyMode(HistoryMode.CONCAT_MESSAGE));
        List<Message> first = msgs(Message.user("u1"), Message.assistant("a1"), Message.user("u2"));
        String a2 = ask(backend, first);
        SessionLaunch launch = fake.launches.get(0);
        assertFalse(launch.resume());
        assertNull(fake.seeds.get(0));
        assertEquals(ConcatPrompt.build(List.of(Message.user("u1"), Message.assistant("a1")), "u2"),
                fake.sessions.get(0).prompts.get(0));
        // the next turn continues that session with only the new text
        ask(backend, msgs(Message.user("u1"), Message.assistant("a1"), Message.user("u2"), Message.assistant(a2),
                Message.user("u3")));
        assertEquals(1, fake.launches.size());
        assertEquals("u3", fake.sessions.get(0).prompts.get(1));
    }

    @Test
    void trailingUserMessagesAreTypedTogetherIntoTheSessionHoldingTheHistoryBeforeThem() {
        ClaudeCodeBackend backend = backend();
        String a1 = ask(backend, msgs(Message.user("u1")));
        ask(backend, msgs(Message.user("u1"), Message.assistant(a1), Message.user("part one"),
                new Message(Message.Role.USER, List.of(new TextBlock("part two"), new TextBlock("part three")))));
        assertEquals(1, fake.launches.size());
        assertEquals("part one\n\npart two\n\npart three", fake.sessions.get(0).prompts.get(1));
    }

    @Test
    void twoRequestsWithTheSameHistoryAtOnceBothSucceedOnDifferentSessions() throws Exception {
        ClaudeCodeBackend backend = backend();
        String a1 = ask(backend, msgs(Message.user("u1")));
        List<Message> same = msgs(Message.user("u1"), Message.assistant(a1), Message.user("u2"));
        fake.gate = new CountDownLatch(1); // both turns stay open until the gate opens
        EventStream first = backend.complete(same);
        EventStream second = backend.complete(same);
        assertEquals(2, backend.metrics().activeSessions());
        fake.gate.countDown();
        assertFalse(result(drain(first)).isError());
        assertFalse(result(drain(second)).isError());
        assertEquals(2, fake.launches.size(), "one reused the session, the other started one");
        assertTrue(fake.launches.get(1).resume(), "seeded with the shared history");
        assertEquals(1, backend.metrics().poolHits());
        assertEquals(2, backend.liveSessionCount());
    }

    @Test
    void concurrentRequestsWithTheSameHistoryNeverShareASession() throws Exception {
        ClaudeCodeBackend backend = backend();
        String a1 = ask(backend, msgs(Message.user("u1")));
        List<Message> same = msgs(Message.user("u1"), Message.assistant(a1), Message.user("u2"));
        CountDownLatch go = new CountDownLatch(1);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    assertFalse(result(drain(backend.complete(same))).isError());
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures);
        assertEquals(1, backend.metrics().poolHits());
        assertEquals(4, fake.launches.size());
        for (FakeSessions.Session s : fake.sessions) {
            assertTrue(s.prompts.size() <= 2, "no session ran two of the concurrent turns");
        }
    }

    @Test
    void aFailedTurnClosesItsSessionAndIsNeverPooled() {
        ClaudeCodeBackend backend = backend();
        fake.script = (s, p) -> List.of(FakeSessions.result(s, "API Error: 500", true, false));
        ResultMessage r = result(drain(backend.complete(msgs(Message.user("u1")))));
        assertTrue(r.isError());
        assertTrue(fake.sessions.get(0).closed());
        assertEquals(0, backend.liveSessionCount());
        assertEquals(1, backend.metrics().failedTurns());
        fake.script = FakeSessions.ECHO;
        ask(backend, msgs(Message.user("u1"), Message.assistant("API Error: 500"), Message.user("again")));
        assertEquals(2, fake.launches.size());
        assertEquals(0, backend.metrics().poolHits());
    }

    @Test
    void aTurnWhoseProcessDiedIsNotPooled() {
        ClaudeCodeBackend backend = backend();
        fake.script = (s, p) -> {
            s.exited = true;
            return FakeSessions.reply(s, "bye");
        };
        ask(backend, msgs(Message.user("u1")));
        assertTrue(fake.sessions.get(0).closed(), "reaped");
        assertEquals(0, backend.liveSessionCount());
        assertEquals(1, backend.metrics().failedTurns());
    }

    @Test
    void aSendThatThrowsClosesTheSession() {
        ClaudeCodeBackend backend = backend();
        fake.script = (s, p) -> {
            throw new IllegalStateException("the CLI exited");
        };
        assertThrows(IllegalStateException.class, () -> backend.complete(msgs(Message.user("u1"))));
        assertTrue(fake.sessions.get(0).closed());
        assertEquals(0, backend.liveSessionCount());
        assertEquals(1, backend.metrics().failedTurns());
    }

    @Test
    void aTurnThatThrowsMidwayClosesItsSession() {
        ClaudeCodeBackend backend = backend();
        fake.failAfterEvents = 2;
        EventStream turn = backend.complete(msgs(Message.user("u1")));
        turn.next();
        turn.next();
        assertThrows(IllegalStateException.class, turn::hasNext);
        assertFalse(turn.hasNext(), "the stream has ended");
        turn.close();
        assertTrue(fake.sessions.get(0).closed());
        assertEquals(0, backend.liveSessionCount());
        assertEquals(1, backend.metrics().failedTurns());
        assertEquals(0, backend.metrics().interruptedTurns());
    }

    @Test
    void aTurnEndingWithoutAResultClosesItsSession() {
        ClaudeCodeBackend backend = backend();
        fake.script = (s, p) -> List.of(FakeSessions.assistant("m", "end_turn", new TextBlock("half")));
        List<Event> events = drain(backend.complete(msgs(Message.user("u1"))));
        assertEquals(1, events.size());
        assertTrue(fake.sessions.get(0).closed());
        assertEquals(1, backend.metrics().failedTurns());
    }

    @Test
    void closingATurnEarlyInterruptsItAndClosesItsSession() {
        ClaudeCodeBackend backend = backend();
        try (EventStream turn = backend.complete(msgs(Message.user("u1")))) {
            assertInstanceOf(UserMessage.class, turn.next());
        }
        FakeSessions.Session s = fake.sessions.get(0);
        assertEquals(1, s.interrupts.get());
        assertTrue(s.closed());
        assertEquals(0, backend.liveSessionCount());
        assertEquals(1, backend.metrics().interruptedTurns());
    }

    @Test
    void anInterruptedResultIsNotPooled() {
        ClaudeCodeBackend backend = backend();
        fake.script = (s, p) -> List.of(FakeSessions.result(s, "partial", false, true));
        assertTrue(result(drain(backend.complete(msgs(Message.user("u1"))))).interrupted());
        assertTrue(fake.sessions.get(0).closed());
        assertEquals(1, backend.metrics().interruptedTurns());
    }

    @Test
    void aDeadPooledSessionIsDroppedAndTheConversationReseeded() {
        ClaudeCodeBackend backend = backend();
        String a1 = ask(backend, msgs(Message.user("u1")));
        fake.sessions.get(0).exited = true;
        ask(backend, msgs(Message.user("u1"), Message.assistant(a1), Message.user("u2")));
        assertEquals(2, fake.launches.size());
        assertTrue(fake.launches.get(1).resume());
        assertTrue(fake.sessions.get(0).closed());
        assertEquals(1, backend.metrics().deadSessionsDropped());
    }

    @Test
    void aFullBackendEvictsTheLeastRecentlyUsedIdleSession() {
        ClaudeCodeBackend backend = backend(b -> b.maxSessions(2));
        ask(backend, msgs(Message.user("conversation A")));
        ask(backend, msgs(Message.user("conversation B")));
        ask(backend, msgs(Message.user("conversation C")));
        assertTrue(fake.sessions.get(0).closed(), "A was least recently used");
        assertFalse(fake.sessions.get(1).closed());
        assertEquals(1, backend.metrics().evictions());
        assertEquals(2, backend.liveSessionCount());
    }

    @Test
    void whenEverySessionIsBusyARequestFailsWithPoolExhausted() {
        ClaudeCodeBackend backend = backend(b -> b.maxSessions(1));
        try (EventStream busy = backend.complete(msgs(Message.user("long task")))) {
            PoolExhaustedException e = assertThrows(PoolExhaustedException.class,
                    () -> backend.complete(msgs(Message.user("another"))));
            assertEquals(1, e.maxSessions());
            assertTrue(e.getMessage().startsWith("all 1 claude sessions are busy"), e.getMessage());
            assertEquals(1, backend.metrics().poolExhausted());
            busy.forEachRemaining(ev -> {});
        }
    }

    @Test
    void anIdleSessionIsClosedAfterTheIdleTtl() {
        ClaudeCodeBackend backend = backend(b -> b.idleTtl(Duration.ofMinutes(5)));
        String a1 = ask(backend, msgs(Message.user("u1")));
        now.addAndGet(Duration.ofMinutes(5).toNanos());
        ask(backend, msgs(Message.user("u1"), Message.assistant(a1), Message.user("u2")));
        assertTrue(fake.sessions.get(0).closed());
        assertEquals(2, fake.launches.size());
        assertEquals(1, backend.metrics().expirations());
    }

    @Test
    void aFailedStartIsReportedAndLeavesNoSeedBehind() throws Exception {
        ClaudeCodeBackend backend = backend();
        fake.openFailure = new IOException("claude exited with code 1");
        SessionStartException e = assertThrows(SessionStartException.class, () -> backend.complete(
                msgs(Message.user("u1"), Message.assistant("a1"), Message.user("u2"))));
        assertTrue(e.getMessage().contains("claude exited with code 1"), e.getMessage());
        assertFalse(Files.exists(fake.launches.get(0).transcript()));
        assertEquals(1, backend.metrics().spawnFailures());
        assertEquals(0, backend.liveSessionCount());
    }

    // --- fingerprints: how clients echo history back ----------------------------------------

    /** A turn that uses a tool: thinking + text + tool use, the tool's result, the final answer. */
    static final ToolUseBlock TOOL_USE = new ToolUseBlock("toolu_1", "Bash", (JsonObject) Json.parse("{\"command\":\"ls\"}"));
    static final ToolResultBlock TOOL_RESULT = new ToolResultBlock("toolu_1", new JsonString("a.txt\nb.txt"), null);
    static final ThinkingBlock THINKING = new ThinkingBlock("I should run ls.", "c2lnbmF0dXJl");

    void scriptToolTurnThenEcho() {
        fake.script = (s, p) -> {
            if (s.prompts.size() > 1) {
                return FakeSessions.ECHO.turn(s, p);
            }
            return List.of(
                    new UserMessage("u", List.of(new TextBlock(p)), true, false),
                    FakeSessions.assistant("m1", "tool_use", THINKING),
                    FakeSessions.assistant("m1", "tool_use", new TextBlock("Let me look.")),
                    FakeSessions.assistant("m1", "tool_use", TOOL_USE),
                    new UserMessage("r", List.of(TOOL_RESULT), false, false),
                    FakeSessions.assistant("m2", "end_turn", new TextBlock("Two files.")),
                    new ResultMessage(s.sessionId(), Duration.ofMillis(5), 2, Usage.ZERO, "Two files.", "end_turn", null,
                            false));
        };
    }

    /** Runs the tool turn, then sends {@code echo} + a new user message; true when that hit the first session. */
    boolean echoHits(List<Message> echo) {
        scriptToolTurnThenEcho();
        ClaudeCodeBackend backend = backend();
        ask(backend, msgs(Message.user("list the files")));
        List<Message> next = new ArrayList<>(List.of(Message.user("list the files")));
        next.addAll(echo);
        next.add(Message.user("thanks"));
        ask(backend, next);
        return fake.launches.size() == 1 && fake.sessions.get(0).prompts.equals(List.of("list the files", "thanks"));
    }

    @Test
    void theFullToolCycleEchoedBackHits() {
        assertTrue(echoHits(msgs(Message.of(Message.Role.ASSISTANT, THINKING, new TextBlock("Let me look."), TOOL_USE),
                Message.of(Message.Role.USER, TOOL_RESULT), Message.assistant("Two files."))));
    }

    @Test
    void theFinalTextAloneEchoedBackHits() {
        assertTrue(echoHits(msgs(Message.assistant("Two files."))));
    }

    @Test
    void everyTextOfTheTurnEchoedAsOneMessageHits() {
        assertTrue(echoHits(msgs(Message.assistant("Let me look.Two files."))));
    }

    @Test
    void theCycleWithoutThinkingHits() {
        assertTrue(echoHits(msgs(Message.of(Message.Role.ASSISTANT, new TextBlock("Let me look."), TOOL_USE),
                Message.of(Message.Role.USER, TOOL_RESULT), Message.assistant("Two files."))));
    }

    @Test
    void theCycleSplitIntoOneMessagePerBlockHits() {
        assertTrue(echoHits(msgs(Message.of(Message.Role.ASSISTANT, THINKING), Message.assistant("Let me look."),
                Message.of(Message.Role.ASSISTANT, TOOL_USE), Message.of(Message.Role.USER, TOOL_RESULT),
                Message.assistant("Two files."))));
    }

    @Test
    void theCycleAsWireJsonWithCacheControlAndStringContentHits() {
        List<Message> echo = Message.listFromJson(Json.parse("""
                [{"role":"assistant","content":[
                   {"type":"thinking","thinking":"I should run ls.","signature":"c2lnbmF0dXJl"},
                   {"type":"text","text":"Let me look.","citations":null},
                   {"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls"},"cache_control":{"type":"ephemeral"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1",
                   "content":[{"type":"text","text":"a.txt\\nb.txt"}]}]},
                 {"role":"assistant","content":"Two files."}]"""));
        assertTrue(echoHits(echo));
    }

    @Test
    void aDifferentAnswerMisses() {
        assertFalse(echoHits(msgs(Message.assistant("Three files."))));
    }

    @Test
    void stringContentAndATextBlockAreTheSameHistory() {
        ClaudeCodeBackend backend = backend();
        String a1 = ask(backend, Message.listFromJson(Json.parse("[{\"role\":\"user\",\"content\":\"u1\"}]")));
        ask(backend, Message.listFromJson(Json.parse("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"u1\","
                + "\"cache_control\":{\"type\":\"ephemeral\"}}]},{\"role\":\"assistant\",\"content\":[{\"type\":\"text\","
                + "\"text\":" + Json.quote(a1) + "}]},{\"role\":\"user\",\"content\":\"u2\"}]")));
        assertEquals(1, fake.launches.size());
    }

    // --- input errors ------------------------------------------------------------------------

    static final ClientToolSet WEATHER = new ClientToolSet(List.of(new ClientTool("getWeather", "", JsonObject.EMPTY, false)));

    @Test
    void clientToolsOnRealSessionsNeedTheModelApiRelay() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClaudeCodeBackend(
                BackendOptions.builder(cwd).modelApiRelay(false).tools(WEATHER).build()));
        assertTrue(e.getMessage().startsWith("tools: client tools need the model-API relay"), e.getMessage());
    }

    @Test
    void toolResultsForCallsNoSessionHoldsAreRefusedWithoutTheRelayThatWouldContinueThem() {
        ClaudeCodeBackend backend = backend(b -> b.tools(WEATHER));
        ToolUseBlock use = new ToolUseBlock("toolu_9", "getWeather", JsonObject.EMPTY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backend.complete(msgs(
                Message.user("q"), Message.of(Message.Role.ASSISTANT, use),
                Message.of(Message.Role.USER, new ToolResultBlock("toolu_9", new JsonString("rain"), null)))));
        assertTrue(e.getMessage().startsWith("messages: the last user turn holds tool results for calls no session "
                + "waits for; continuing on a new session needs the model-API relay"), e.getMessage());
        assertEquals(0, fake.launches.size(), "no CLI started for results it could not answer");
    }

    @Test
    void textBesideToolResultsIsRefusedNamingTheMessageWithoutTheRelayThatAddsIt() {
        ClaudeCodeBackend backend = backend(b -> b.tools(WEATHER));
        ToolUseBlock use = new ToolUseBlock("toolu_9", "getWeather", JsonObject.EMPTY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backend.complete(msgs(
                Message.user("q"), Message.of(Message.Role.ASSISTANT, use), Message.of(Message.Role.USER,
                        new ToolResultBlock("toolu_9", new JsonString("rain"), null), new TextBlock("and tomorrow?")))));
        assertTrue(e.getMessage().startsWith("messages[2].content: text, images or documents beside tool_result blocks reach the "
                + "model through the model-API relay, which is off"), e.getMessage());
    }

    @Test
    void aToolResultTheCliCannotCarryIsRefusedNamingTheBlock() {
        ClaudeCodeBackend backend = backend(b -> b.tools(WEATHER));
        ToolUseBlock use = new ToolUseBlock("toolu_9", "getWeather", JsonObject.EMPTY);
        JsonObject url = (JsonObject) Json.parse("{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://x/y.png\"}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backend.complete(msgs(
                Message.user("q"), Message.of(Message.Role.ASSISTANT, use), Message.of(Message.Role.USER,
                        new ToolResultBlock("toolu_9", claude.code.api.json.JsonArray.of(url), null)))));
        assertTrue(e.getMessage().startsWith("messages[2].content[0].content[0].source: an image in a tool result must "
                + "be base64"), e.getMessage());
    }

    @Test
    void unusableMessagesAreRejectedNamingTheIndexAndField() {
        ClaudeCodeBackend backend = backend();
        assertEquals("messages: must not be empty", assertThrows(IllegalArgumentException.class,
                () -> backend.complete(List.of())).getMessage());
        assertEquals("messages[1].role: the last message must be \"user\", not \"assistant\"",
                assertThrows(IllegalArgumentException.class,
                        () -> backend.complete(msgs(Message.user("q"), Message.assistant("a")))).getMessage());
        assertEquals("messages[0].content: the last user message has nothing to send (it needs a non-blank text block, an image or a document)",
                assertThrows(IllegalArgumentException.class, () -> backend.complete(msgs(Message.user("  ")))).getMessage());
        assertEquals("messages: the last user turn holds tool_result blocks for toolu_1, but this backend offers no "
                + "client tools whose calls they could answer (the CLI runs its own)", assertThrows(IllegalArgumentException.class,
                        () -> backend.complete(msgs(Message.user("q"), Message.of(Message.Role.ASSISTANT, TOOL_USE),
                                Message.of(Message.Role.USER, TOOL_RESULT, new TextBlock("go on"))))).getMessage());
        assertEquals("messages[0].content[0].type: a tool_use block cannot be in a user message",
                assertThrows(IllegalArgumentException.class, () -> backend.complete(
                        msgs(Message.of(Message.Role.USER, TOOL_USE), Message.user("q")))).getMessage());
        assertEquals(0, fake.launches.size(), "nothing was started");
    }

    // --- resources ---------------------------------------------------------------------------

    @Test
    void mcpServersAreWrittenOnceToAPrivateFileThatCloseDeletes() throws Exception {
        JsonObject server = (JsonObject) Json.parse("{\"command\":\"node\",\"args\":[\"server.js\"]}");
        List<Path> seen = new ArrayList<>();
        AtomicReference<ClaudeCodeBackend> self = new AtomicReference<>();
        fake.onOpen = launch -> {
            List<Path> configs = self.get().cliOptions(launch).mcpConfigs();
            assertEquals(1, configs.size());
            seen.add(configs.get(0));
        };
        ClaudeCodeBackend backend = backend(b -> b.mcpServer("files", server));
        self.set(backend);
        assertEquals(List.of(), backend.cliOptions(null).mcpConfigs(), "created lazily");
        ask(backend, msgs(Message.user("a")));
        ask(backend, msgs(Message.user("b")));
        assertEquals(seen.get(0), seen.get(1), "one file per backend");
        Path file = seen.get(0);
        assertEquals("rw-------", permissionsOf(file));
        assertEquals(Json.parse("{\"mcpServers\":{\"files\":{\"command\":\"node\",\"args\":[\"server.js\"]}}}"),
                Json.parse(Files.readString(file)));
        assertTrue(backend.cliOptions(fake.launches.get(0)).argv().contains("--mcp-config=" + file));
        backend.close();
        assertFalse(Files.exists(file));
    }

    @Test
    void closeEndsIdleAndRunningSessionsAndRefusesNewTurns() {
        ClaudeCodeBackend backend = backend();
        ask(backend, msgs(Message.user("idle one")));
        EventStream running = backend.complete(msgs(Message.user("running one")));
        backend.close();
        assertTrue(fake.sessions.stream().allMatch(FakeSessions.Session::closed));
        assertEquals(0, backend.liveSessionCount());
        assertEquals("ClaudeCodeBackend is closed", assertThrows(BackendClosedException.class,
                () -> backend.complete(msgs(Message.user("late")))).getMessage());
        running.close();
        backend.close(); // idempotent
    }

    @Test
    void liveSessionsListIdleAndRunningSessionsById() {
        ClaudeCodeBackend backend = backend();
        ask(backend, msgs(Message.user("done")));
        try (EventStream running = backend.complete(msgs(Message.user("running")))) {
            Map<String, SessionInfo> live = backend.liveSessions();
            assertEquals(2, live.size());
            FakeSessions.Session idle = fake.sessions.get(0);
            FakeSessions.Session active = fake.sessions.get(1);
            assertFalse(live.get(idle.sessionId()).active());
            assertEquals(idle.pid(), live.get(idle.sessionId()).pid());
            assertEquals(1, live.get(idle.sessionId()).turns());
            assertTrue(live.get(active.sessionId()).active());
            assertEquals("screen of " + idle.sessionId(), backend.screen(idle.sessionId()).orElseThrow());
            assertTrue(backend.screen("nope").isEmpty());
            running.forEachRemaining(e -> {});
        }
    }

    @Test
    void metricsCountSpawnAndTurnTimes() {
        fake.onOpen = launch -> now.addAndGet(Duration.ofMillis(400).toNanos());
        ClaudeCodeBackend backend = backend();
        String a1 = ask(backend, msgs(Message.user("u1")));
        ask(backend, msgs(Message.user("u1"), Message.assistant(a1), Message.user("u2")));
        BackendMetrics m = backend.metrics();
        assertEquals(Duration.ofMillis(400), m.spawnTime());
        assertEquals(Duration.ofMillis(400), m.meanSpawnTime());
        assertEquals(2, m.turns());
        assertEquals(Duration.ofMillis(200), m.turnTime(), "the results' own durations");
        assertEquals(Duration.ofMillis(100), m.turnTimeMax());
        assertEquals(1, m.poolHits());
        assertEquals(1, m.poolMisses());
    }

    @Test
    void theSessionGetsTheBackendsCliOptions() throws Exception {
        Path extra = Files.createDirectory(tmp.resolve("extra"));
        ClaudeCodeBackend backend = backend(b -> b.model("opus").appendSystemPrompt("be brief").allowedTools("Read")
                .addDirs(extra).permissionMode("acceptEdits").effort("low").extraArgs("--verbose"));
        String a1 = ask(backend, msgs(Message.user("u1")));
        ask(backend, msgs(Message.user("another conversation"), Message.assistant(a1), Message.user("u2")));
        String id0 = fake.launches.get(0).sessionId();
        assertEquals(List.of("claude", "--session-id=" + id0, "--model=opus", "--append-system-prompt=be brief",
                "--allowedTools=Read", "--add-dir=" + extra, "--permission-mode=acceptEdits", "--effort=low", "--verbose"),
                backend.cliOptions(fake.launches.get(0)).argv());
        SessionLaunch resumed = fake.launches.get(1);
        assertEquals("--resume=" + resumed.sessionId(), backend.cliOptions(resumed).argv().get(1));
        assertEquals(configDir.toString(), backend.cliOptions(resumed).environment(Map.of()).get("CLAUDE_CONFIG_DIR"));
        assertNotEquals(id0, resumed.sessionId());
    }
}
