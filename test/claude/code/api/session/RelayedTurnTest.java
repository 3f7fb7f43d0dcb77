package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.cli.PromptEncoder;
import claude.code.api.events.ApiError;
import claude.code.api.events.AssistantMessage;
import claude.code.api.events.Event;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.StreamEvent;
import claude.code.api.events.SystemMessage;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.TurnError;
import claude.code.api.events.Usage;
import claude.code.api.events.UserMessage;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.options.ClientToolSet;
import claude.code.api.options.HistoryMode;
import claude.code.api.options.HistoryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The turn driver with the relay's signals, against a scripted CLI: the test plays the CLI, the relay
 * and the hooks by putting signals into the session queue when the driver presses Enter.
 */
@Timeout(30)
class RelayedTurnTest {
    static final String ID = "00000000-0000-4000-8000-000000000003";

    final BlockingQueue<SessionSignal> signals = new LinkedBlockingQueue<>();
    volatile Runnable onEnter = () -> {};
    SessionSettings settings = SessionSettings.builder().enterRetryInterval(Duration.ofMillis(20))
            .submitTimeout(Duration.ofSeconds(10)).build();

    final Turn.Terminal cli = new Turn.Terminal() {
        @Override public void typePrompt(PromptEncoder.Encoded prompt) {}
        @Override public void pressEnter() { onEnter.run(); }
        @Override public void interrupt() {}
        @Override public boolean clearInput() { return true; }
        @Override public boolean inputHoldsText() { return false; }
        @Override public String screen() { return ""; }
    };

    Turn start() {
        Turn turn = new Turn(ID, 4242, cli, signals, Optional::empty, settings, PromptEncoder.encode("hello"));
        turn.start();
        return turn;
    }

    /** A turn of a session where no hook but ours can hook {@code Stop} ({@link OtherStopHooks}). */
    Turn startWithOnlyOurStopHook() {
        Turn turn = new Turn(ID, 4242, cli, signals, Optional::empty, settings, ClientToolSet.NONE, true,
                PromptEncoder.encode("hello"), null);
        turn.start();
        return turn;
    }

    /** The events the turn's stream has within {@code quiet} of silence. */
    static List<Event> seenWithin(Turn turn, Duration quiet) {
        List<Event> seen = new ArrayList<>();
        while (turn.events().awaitNext(quiet)) {
            seen.add(turn.events().next());
        }
        return seen;
    }

    void record(Event e) {
        signals.add(new SessionSignal.Record(0, e));
    }

    static List<StreamEvent> textStream(String id, String... pieces) {
        List<StreamEvent> out = new ArrayList<>();
        out.add(new StreamEvent.MessageStart(id, "m", new Usage(3, 0, 0, 0), JsonObject.EMPTY));
        out.add(new StreamEvent.BlockStart(0, new StreamEvent.BlockHead.Text("")));
        for (String p : pieces) {
            out.add(new StreamEvent.BlockDelta(0, new StreamEvent.Delta.TextDelta(p)));
        }
        out.add(new StreamEvent.BlockStop(0));
        out.add(new StreamEvent.MessageDelta("end_turn", null, new Usage(3, 4, 0, 0)));
        out.add(new StreamEvent.MessageStop());
        return out;
    }

    static AssistantMessage message(String id, String text, String stop) {
        return new AssistantMessage(null, id, "m", List.of(new TextBlock(text)), stop, new Usage(3, 4, 0, 0), null);
    }

    void relayCall(long call, List<StreamEvent> events, AssistantMessage folded) {
        signals.add(new SessionSignal.RelayCall(call));
        events.forEach(e -> signals.add(new SessionSignal.RelayEvent(call, e)));
        signals.add(new SessionSignal.RelayMessage(call, folded));
    }

    static UserMessage echo() {
        return new UserMessage("u1", List.of(new TextBlock("hello")), true, false);
    }

    static SystemMessage turnDuration() {
        return new SystemMessage("s1", "turn_duration", JsonObject.EMPTY);
    }

    static List<Event> drain(Turn turn) {
        List<Event> out = new ArrayList<>();
        turn.events().forEachRemaining(out::add);
        return out;
    }

    @Test
    void theRelayedDeltasComeBeforeTheirMessageAndTheTranscriptsCopyIsNotPushedAgain() {
        onEnter = () -> {
            record(echo());
            relayCall(1, textStream("msg_1", "Hel", "lo"), message("msg_1", "Hello", "end_turn"));
            record(new AssistantMessage("a1", "msg_1", "m", List.of(new TextBlock("Hello")), "end_turn", new Usage(3, 4, 0, 0), null));
            record(turnDuration());
        };
        List<Event> events = drain(start());
        List<Class<?>> kinds = events.stream().<Class<?>>map(Object::getClass).toList();
        assertEquals(List.of(UserMessage.class, StreamEvent.MessageStart.class, StreamEvent.BlockStart.class,
                StreamEvent.BlockDelta.class, StreamEvent.BlockDelta.class, StreamEvent.BlockStop.class,
                StreamEvent.MessageDelta.class, StreamEvent.MessageStop.class, AssistantMessage.class, SystemMessage.class,
                ResultMessage.class), kinds, events.toString());
        ResultMessage result = (ResultMessage) events.getLast();
        assertEquals("Hello", result.finalText());
        assertEquals(1, result.apiCalls());
        assertEquals(new Usage(3, 4, 0, 0), result.usage());
    }

    @Test
    void aMaxTokensResultGoesOutAtTheStopHookAndTheTurnEndsWhenTheTranscriptHoldsIt() throws Exception {
        onEnter = () -> {
            record(echo());
            relayCall(1, textStream("msg_1", "Hi"), message("msg_1", "Hi", "max_tokens"));
            signals.add(new SessionSignal.Hook(SessionHooks.STOP, JsonObject.EMPTY));
        };
        Turn turn = startWithOnlyOurStopHook();
        List<Event> events = drain(turn);
        assertInstanceOf(ResultMessage.class, events.getLast());
        assertFalse(events.stream().anyMatch(SystemMessage.class::isInstance), "no turn_duration was needed");
        assertTrue(turn.resultDelivered());
        assertFalse(turn.isDone(), "the driver still waits for the transcript");
        record(new AssistantMessage("a1", "msg_1", "m", List.of(new TextBlock("Hi")), "max_tokens", Usage.ZERO, null));
        record(turnDuration());
        Turn.Outcome outcome = turn.outcome().get(10, TimeUnit.SECONDS);
        assertEquals(events.getLast(), outcome.result(), "the session learns the result the caller got");
        assertTrue(outcome.sessionUsable());
    }

    @Test
    void withNoOtherStopHookTheResultGoesOutAtTheFinalMessageStop() throws Exception {
        onEnter = () -> {
            record(echo());
            relayCall(1, textStream("msg_1", "Hi"), message("msg_1", "Hi", "end_turn"));
        };
        Turn turn = startWithOnlyOurStopHook();
        List<Event> events = drain(turn);
        ResultMessage result = assertInstanceOf(ResultMessage.class, events.getLast());
        assertEquals("Hi", result.finalText());
        assertEquals("end_turn", result.stopReason());
        assertTrue(turn.resultDelivered());
        assertFalse(turn.isDone(), "the session is handed on only once the transcript holds the turn");
        record(new AssistantMessage("a1", "msg_1", "m", List.of(new TextBlock("Hi")), "end_turn", Usage.ZERO, null));
        record(turnDuration());
        Turn.Outcome outcome = turn.outcome().get(10, TimeUnit.SECONDS);
        assertEquals(result, outcome.result());
        assertTrue(outcome.sessionUsable());
    }

    @Test
    void whenAnotherStopHookMayMakeTheCliGoOnOnlyTheTranscriptEndsTheTurn() throws Exception {
        onEnter = () -> {
            record(echo());
            relayCall(1, textStream("msg_1", "Hi"), message("msg_1", "Hi", "end_turn"));
            signals.add(new SessionSignal.Hook(SessionHooks.STOP, JsonObject.EMPTY));
        };
        Turn turn = start();
        List<Event> seen = seenWithin(turn, Duration.ofMillis(300));
        assertFalse(seen.stream().anyMatch(ResultMessage.class::isInstance), "neither message_stop nor our Stop hook: " + seen);
        // the user's hook blocked the stop: the CLI went on with one more call
        relayCall(2, textStream("msg_2", " and more"), message("msg_2", " and more", "end_turn"));
        record(turnDuration());
        ResultMessage result = assertInstanceOf(ResultMessage.class, drain(turn).getLast());
        assertEquals(2, result.apiCalls());
        assertEquals(" and more", result.finalText());
    }

    @Test
    void aMaxTokensMessageWaitsForTheStopHookEvenWithNoOtherStopHook() throws Exception {
        onEnter = () -> {
            record(echo());
            relayCall(1, textStream("msg_1", "Hi"), message("msg_1", "Hi", "max_tokens"));
        };
        Turn turn = startWithOnlyOurStopHook();
        List<Event> seen = seenWithin(turn, Duration.ofMillis(300));
        assertFalse(seen.stream().anyMatch(ResultMessage.class::isInstance), "the CLI may go on after max_tokens: " + seen);
        signals.add(new SessionSignal.Hook(SessionHooks.STOP, JsonObject.EMPTY));
        assertEquals("max_tokens", assertInstanceOf(ResultMessage.class, drain(turn).getLast()).stopReason());
    }

    @Test
    void withoutWaitingForTurnDurationTheCallerGetsTheRelayedAnswerButTheSessionWaitsForTheTranscript() throws Exception {
        settings = settings.toBuilder().history(new HistoryOptions(HistoryMode.NATIVE_JSONL, false, false)).build();
        onEnter = () -> relayCall(1, textStream("msg_1", "Hi"), message("msg_1", "Hi", "end_turn"));
        Turn turn = start();
        ResultMessage result = assertInstanceOf(ResultMessage.class, drain(turn).getLast());
        assertEquals("Hi", result.finalText());
        assertFalse(turn.isDone(), "the transcript does not hold the prompt's echo yet: the next turn would read it");
        record(echo());
        record(new AssistantMessage("a1", "msg_1", "m", List.of(new TextBlock("Hi")), "end_turn", Usage.ZERO, null));
        record(turnDuration());
        assertEquals(result, turn.outcome().get(10, TimeUnit.SECONDS).result());
    }

    @Test
    void aStopHookWaitsForTheTranscriptsToolResultSoTheStreamHoldsIt() throws Exception {
        ToolUseBlock use = new ToolUseBlock("toolu_1", "Bash", JsonObject.EMPTY.with("command", new JsonString("ls")));
        onEnter = () -> {
            record(echo());
            signals.add(new SessionSignal.RelayCall(1));
            signals.add(new SessionSignal.RelayMessage(1, new AssistantMessage(null, "msg_1", "m", List.of(use), "tool_use",
                    Usage.ZERO, null)));
            signals.add(new SessionSignal.RelayCall(2));
            signals.add(new SessionSignal.RelayMessage(2, message("msg_2", "done", "end_turn")));
            signals.add(new SessionSignal.Hook(SessionHooks.STOP, JsonObject.EMPTY));
        };
        Turn turn = startWithOnlyOurStopHook();
        assertTrue(turn.events().awaitNext(Duration.ofSeconds(5)));
        Thread.sleep(300); // the hook is in: without the tool result the turn must not end
        List<Event> seen = new ArrayList<>();
        while (turn.events().awaitNext(Duration.ofMillis(100))) {
            seen.add(turn.events().next());
        }
        assertFalse(seen.stream().anyMatch(ResultMessage.class::isInstance), seen.toString());
        record(new UserMessage("u2", List.of(new ToolResultBlock("toolu_1", new JsonString("out"), false)), false, false));
        List<Event> rest = drain(turn);
        assertInstanceOf(UserMessage.class, rest.getFirst());
        assertEquals("msg_2", assertInstanceOf(AssistantMessage.class, rest.get(1)).messageId(),
                "the next call's answer, held until the transcript had the tool's result");
        assertFalse(seen.stream().anyMatch(e -> e instanceof AssistantMessage a && "msg_2".equals(a.messageId())), seen.toString());
        ResultMessage result = assertInstanceOf(ResultMessage.class, rest.getLast());
        assertEquals(2, result.apiCalls());
        assertEquals("done", result.finalText());
    }

    @Test
    void aTranscriptMessageTheRelayDidNotDeliverIsPushedAsBefore() {
        onEnter = () -> {
            record(echo());
            signals.add(new SessionSignal.RelayCall(1));
            // a non-streamed retry: the relay saw no stream, the transcript has the message
            record(new AssistantMessage("a1", "msg_9", "m", List.of(new TextBlock("from the file")), "end_turn", Usage.ZERO, null));
            record(turnDuration());
        };
        List<Event> events = drain(start());
        assertEquals("from the file", ((AssistantMessage) events.get(1)).text());
        assertEquals("from the file", ((ResultMessage) events.getLast()).finalText());
    }

    @Test
    void stopFailureEndsTheTurnWithTheUpstreamsOwnError() {
        ApiError upstream = new ApiError("rate_limit", 429, "rate_limit_error", "Number of requests has exceeded your rate limit", "7", true);
        onEnter = () -> {
            record(echo());
            signals.add(new SessionSignal.RelayCall(1));
            signals.add(new SessionSignal.RelayError(1, upstream));
            signals.add(new SessionSignal.Hook(SessionHooks.STOP_FAILURE, JsonObject.EMPTY));
        };
        List<Event> events = drain(start());
        ResultMessage result = (ResultMessage) events.getLast();
        assertEquals(upstream, assertInstanceOf(TurnError.ApiFailed.class, result.error()).error());
    }

    @Test
    void anUnreachableUpstreamFailsTheTurnAtOnceAndTheSessionWithIt() throws Exception {
        ApiError unreachable = new ApiError("connection_failed", 0, "connection_failed", "cannot reach https://x", null, false);
        onEnter = () -> {
            record(echo());
            signals.add(new SessionSignal.RelayCall(1));
            signals.add(new SessionSignal.RelayUnreachable(1, unreachable));
        };
        Turn turn = start();
        ResultMessage result = (ResultMessage) drain(turn).getLast();
        assertEquals(unreachable, assertInstanceOf(TurnError.ApiFailed.class, result.error()).error());
        assertFalse(turn.outcome().get().sessionUsable());
    }

    @Test
    void relayedEventsBeforeTheCliTookThePromptAreNotPushed() {
        onEnter = () -> {
            // no RelayCall, no echo: an event that is not this turn's
            signals.add(new SessionSignal.RelayEvent(1, new StreamEvent.Ping()));
            record(echo());
            record(new AssistantMessage("a1", "msg_1", "m", List.of(new TextBlock("x")), "end_turn", Usage.ZERO, null));
            record(turnDuration());
        };
        List<Event> events = drain(start());
        assertFalse(events.stream().anyMatch(StreamEvent.class::isInstance), events.toString());
    }
}
