package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.AssistantMessage;
import claude.code.api.events.Event;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.SystemMessage;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.TurnError;
import claude.code.api.events.Usage;
import claude.code.api.events.UserMessage;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.transcript.ParsedRecord;
import claude.code.api.transcript.RecordParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The end-of-turn rules on transcripts the real CLI wrote ({@code test/resources/transcripts/}) and on hand-made records. */
class TurnTrackerTest {
    static final Path FIXTURES = Path.of(System.getProperty("project.dir", "."), "test/resources/transcripts");
    static final String ID = "00000000-0000-4000-8000-000000000001";

    /** The events of a recorded transcript, in file order. */
    static List<Event> events(String fixture) throws IOException {
        Path file = FIXTURES.resolve(fixture);
        RecordParser parser = new RecordParser(file, false);
        List<Event> out = new ArrayList<>();
        long offset = 0;
        for (String line : Files.readAllLines(file)) {
            byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (parser.parse(offset, bytes, 0, bytes.length) instanceof ParsedRecord.Parsed(Event event)) {
                out.add(event);
            }
            offset += bytes.length + 1;
        }
        return out;
    }

    /** One turn as the driver sees it: the events it emits, up to and including the one that ends it. */
    record Fed(List<Event> emitted, List<TurnTracker.Step> steps, int consumed) {
        Event last() {
            return emitted.getLast();
        }
    }

    static Fed feed(TurnTracker tracker, List<Event> events, int from) {
        List<Event> emitted = new ArrayList<>();
        List<TurnTracker.Step> steps = new ArrayList<>();
        int i = from;
        while (i < events.size() && !tracker.ended()) {
            TurnTracker.Step step = tracker.offer(events.get(i++));
            if (step.emits()) {
                emitted.add(events.get(i - 1));
                steps.add(step);
            }
        }
        return new Fed(emitted, steps, i);
    }

    static ResultMessage result(TurnTracker tracker) {
        return tracker.result(Duration.ofMillis(5), null, false);
    }

    @Test
    void twoCompletedTurnsEachStartAtTheirEchoAndEndAtTurnDuration() throws IOException {
        List<Event> events = events("interactive-plain.jsonl");
        TurnTracker first = new TurnTracker(ID);
        Fed one = feed(first, events, 0);
        assertTrue(first.ended());
        assertEquals("hello there", ((UserMessage) one.emitted().getFirst()).text());
        assertEquals("turn_duration", ((SystemMessage) one.last()).subtype());
        assertEquals(TurnTracker.Step.EMIT_MAY_COMPLETE, one.steps().get(1), "the final message may complete the turn");
        ResultMessage r1 = result(first);
        assertFalse(r1.isError());
        assertFalse(r1.interrupted());
        assertEquals(1, r1.apiCalls());
        assertEquals("MOCK REPLY to: hello there | nmsgs=2", r1.finalText());
        assertEquals("end_turn", r1.stopReason());

        TurnTracker second = new TurnTracker(ID);
        Fed two = feed(second, events, one.consumed());
        assertEquals("second turn", ((UserMessage) two.emitted().getFirst()).text());
        assertEquals("MOCK REPLY to: second turn | nmsgs=4", result(second).finalText());
    }

    @Test
    void recordsBeforeTheEchoBelongToEarlierTurns() throws IOException {
        List<Event> events = events("interactive-plain.jsonl");
        // Start the second turn's tracker at the first turn's records, as after a late tail.
        TurnTracker tracker = new TurnTracker(ID);
        int secondEcho = 0;
        for (int i = 1; i < events.size(); i++) {
            if (events.get(i) instanceof UserMessage u && u.prompt()) {
                secondEcho = i;
            }
        }
        List<Event> lateOnes = new ArrayList<>(events.subList(1, secondEcho)); // first turn without its echo
        lateOnes.addAll(events.subList(secondEcho, events.size()));
        Fed fed = feed(tracker, lateOnes, 0);
        assertEquals("second turn", ((UserMessage) fed.emitted().getFirst()).text());
    }

    @Test
    void aToolTurnCountsBothResponsesSumsTheirUsageAndWaitsForTheToolResult() throws IOException {
        TurnTracker tracker = new TurnTracker(ID);
        Fed fed = feed(tracker, events("interactive-tool-use.jsonl"), 0);
        assertEquals(List.of(TurnTracker.Step.EMIT, TurnTracker.Step.EMIT, TurnTracker.Step.EMIT, TurnTracker.Step.EMIT,
                TurnTracker.Step.EMIT_MAY_COMPLETE, TurnTracker.Step.EMIT_AND_END), fed.steps(),
                "echo, text, tool_use, tool_result, final text, turn_duration");
        assertTrue(((AssistantMessage) fed.emitted().get(2)).hasToolUse());
        assertTrue(((UserMessage) fed.emitted().get(3)).hasToolResult());
        ResultMessage r = result(tracker);
        assertEquals(2, r.apiCalls());
        assertEquals(new Usage(60, 34, 0, 0), r.usage(), "20+40 in, 22+12 out: each message once, not once per block record");
        assertEquals("MOCK REPLY after tool: mock-tool-output | nmsgs=4", r.finalText());
    }

    @Test
    void aThinkingRecordCarriesTheFinalStopReasonButIsNotTheEnd() throws IOException {
        TurnTracker tracker = new TurnTracker(ID);
        List<Event> events = events("interactive-thinking.jsonl");
        List<Event> upToThinking = new ArrayList<>();
        for (Event e : events) {
            upToThinking.add(e);
            if (e instanceof AssistantMessage a && a.content().getFirst() instanceof ThinkingBlock) {
                break;
            }
        }
        feed(tracker, upToThinking, 0);
        assertTrue(tracker.mayComplete(), "its stop reason is end_turn");
        assertFalse(tracker.completesWithoutTurnDuration(), "but the text record still follows");
        Fed rest = feed(tracker, events, upToThinking.size());
        assertTrue(tracker.ended());
        assertEquals(1, result(tracker).apiCalls(), "thinking and text are one message");
        assertTrue(result(tracker).finalText().startsWith("MOCK REPLY to: THINK about it"), result(tracker).finalText());
        assertEquals(TurnTracker.Step.EMIT_AND_END, rest.steps().getLast());
    }

    @Test
    void anApiErrorRecordEndsTheTurnAsAnError() throws IOException {
        TurnTracker tracker = new TurnTracker(ID);
        Fed fed = feed(tracker, events("interactive-api-error.jsonl"), 0);
        assertTrue(((AssistantMessage) fed.last()).isApiError());
        ResultMessage r = result(tracker);
        assertTrue(r.isError());
        assertTrue(r.errorText().startsWith("API Error: 500 mock error 500"), r.errorText());
        assertEquals(500, assertInstanceOf(TurnError.ApiFailed.class, r.error()).error().status());
        assertEquals(0, r.apiCalls(), "the CLI's error message is not a model response");
        assertNull(r.stopReason());
        assertFalse(r.interrupted());
    }

    @Test
    void anInterruptNoteEndsTheTurnAsInterruptedWithThePartialText() throws IOException {
        TurnTracker tracker = new TurnTracker(ID);
        Fed fed = feed(tracker, events("interactive-interrupted.jsonl"), 0);
        assertEquals("[Request interrupted by user]", ((UserMessage) fed.last()).text());
        ResultMessage r = result(tracker);
        assertTrue(r.interrupted());
        assertFalse(r.isError());
        assertNull(r.stopReason());
        assertEquals("MOCK REPLY ", r.finalText());
    }

    @Test
    void anInterruptedToolEndsAtTheNoteAfterTheRejectedResult() throws IOException {
        TurnTracker tracker = new TurnTracker(ID);
        Fed fed = feed(tracker, events("interactive-tool-interrupted.jsonl"), 0);
        assertTrue(((UserMessage) fed.emitted().get(fed.emitted().size() - 2)).hasToolResult());
        assertEquals("[Request interrupted by user for tool use]", ((UserMessage) fed.last()).text());
        assertTrue(result(tracker).interrupted());
    }

    @Test
    void aPendingToolUseBlocksCompletionUntilItsResult() {
        TurnTracker tracker = new TurnTracker(ID);
        tracker.offer(prompt("go"));
        // A message whose tool_use has an end_turn stop reason (odd, but possible): still not complete.
        assertEquals(TurnTracker.Step.EMIT, tracker.offer(assistant("m1", "end_turn", new ToolUseBlock("t1", "Bash", JsonObject.EMPTY))));
        assertFalse(tracker.mayComplete());
        tracker.offer(new UserMessage("u", List.of(new ToolResultBlock("t1", new JsonString("ok"), null)), false, false));
        assertEquals(TurnTracker.Step.EMIT_MAY_COMPLETE, tracker.offer(assistant("m2", "end_turn", new TextBlock("done"))));
        assertTrue(tracker.completesWithoutTurnDuration());
    }

    @Test
    void anErrorTextMakesAnyTurnAnError() {
        TurnTracker tracker = new TurnTracker(ID);
        tracker.offer(prompt("go"));
        tracker.offer(assistant("m1", "end_turn", new TextBlock("partial")));
        ResultMessage r = tracker.result(Duration.ofSeconds(1),
                new TurnError.TimedOut(Duration.ofSeconds(1), "the turn did not end within PT1S"), false);
        assertTrue(r.isError());
        assertEquals("the turn did not end within PT1S", r.errorText());
        assertEquals("partial", r.finalText());
        assertEquals(ID, r.sessionId());
    }

    @Test
    void nothingCountsAfterTheEnd() {
        TurnTracker tracker = new TurnTracker(ID);
        tracker.offer(prompt("go"));
        tracker.offer(new SystemMessage("s", "turn_duration", JsonObject.EMPTY));
        assertEquals(TurnTracker.Step.IGNORE, tracker.offer(assistant("m9", "end_turn", new TextBlock("late"))));
        assertEquals(0, tracker.apiCalls());
    }

    static UserMessage prompt(String text) {
        return new UserMessage("p", List.of(new TextBlock(text)), true, false);
    }

    static AssistantMessage assistant(String id, String stop, claude.code.api.events.ContentBlock block) {
        return new AssistantMessage("a-" + id, id, "m", List.of(block), stop, new Usage(1, 1, 0, 0), null);
    }

    static UserMessage prompt() {
        return new UserMessage("u1", List.of(new TextBlock("hi")), true, false);
    }

    @Test
    void aRelayedMessageCountsOnceAndItsTranscriptRecordsAreSkipped() {
        TurnTracker tracker = new TurnTracker(ID);
        AssistantMessage relayed = new AssistantMessage(null, "msg_1", "m", List.of(new TextBlock("Hello")), "end_turn",
                new Usage(3, 4, 0, 0), null);
        assertEquals(TurnTracker.Step.EMIT_MAY_COMPLETE, tracker.offerRelayed(relayed), "a call shows the prompt was taken");
        assertEquals(TurnTracker.Step.EMIT, tracker.offer(prompt()));
        assertEquals(TurnTracker.Step.IGNORE, tracker.offer(new AssistantMessage("a1", "msg_1", "m",
                List.of(new TextBlock("Hello")), "end_turn", new Usage(3, 4, 0, 0), null)));
        assertTrue(tracker.lastMessageRelayed());
        ResultMessage r = tracker.result(Duration.ofSeconds(1), null, false);
        assertEquals("Hello", r.finalText(), "not the text twice");
        assertEquals(1, r.apiCalls());
    }

    @Test
    void theRelaysUpstreamErrorIsTheTurnsErrorRatherThanTheClisRecord() {
        TurnTracker tracker = new TurnTracker(ID);
        tracker.offer(prompt());
        claude.code.api.events.ApiError upstream = new claude.code.api.events.ApiError("server_error", 529,
                "overloaded_error", "Overloaded", "3", true);
        tracker.relayError(upstream);
        tracker.offer(new AssistantMessage("a2", "x", "<synthetic>", List.of(new TextBlock("API Error: Repeated 529")),
                "stop_sequence", Usage.ZERO, new claude.code.api.events.ApiError("server_error", 529, "overloaded_error",
                "API Error: Repeated 529 Overloaded errors")));
        ResultMessage r = tracker.result(Duration.ofSeconds(1), null, false);
        assertEquals(upstream, assertInstanceOf(TurnError.ApiFailed.class, r.error()).error());
    }

    @Test
    void aRelayedCallThatGetsThroughClearsAnEarlierCallsError() {
        TurnTracker tracker = new TurnTracker(ID);
        tracker.offer(prompt());
        tracker.relayError(new claude.code.api.events.ApiError("server_error", 500, "api_error", "boom", null, true));
        tracker.offerRelayed(new AssistantMessage(null, "msg_2", "m", List.of(new TextBlock("ok")), "end_turn", Usage.ZERO, null));
        assertNull(tracker.relayError(), "the CLI's retry succeeded");
    }

    @Test
    void aTurnContinuingAfterTheClientsResultsSkipsTheRecordsOfTheClientsCallAndEndsAtItsAnswer() {
        TurnTracker first = new TurnTracker(ID);
        first.offer(prompt("call it"));
        AssistantMessage call = assistant("msg_1", "tool_use",
                new ToolUseBlock("toolu_1", "mcp__c__getWeather", JsonObject.EMPTY));
        first.offerRelayed(call);
        TurnTracker next = TurnTracker.continuing(first, java.util.Set.of("toolu_1"));
        assertTrue(next.started(), "no echo to wait for: nothing is typed");
        assertEquals(TurnTracker.Step.IGNORE, next.offer(call), "the tool_use record the transcript held until the result");
        assertEquals(TurnTracker.Step.IGNORE, next.offer(new UserMessage("u", List.of(new ToolResultBlock("toolu_1",
                new JsonString("rain"), null)), false, false)), "the client's own result, as the CLI recorded it");
        assertFalse(next.awaitsToolResults());
        assertEquals(TurnTracker.Step.EMIT_MAY_COMPLETE, next.offerRelayed(assistant("msg_2", "end_turn",
                new TextBlock("it rains"))));
        assertEquals("it rains", result(next).finalText());
        assertEquals(1, result(next).apiCalls(), "the continuation counts its own calls");
    }
}
