package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.cli.PromptEncoder;
import claude.code.api.events.AssistantMessage;
import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.SystemMessage;
import claude.code.api.events.TextBlock;
import claude.code.api.events.TurnError;
import claude.code.api.events.Usage;
import claude.code.api.events.UserMessage;
import claude.code.api.json.JsonObject;
import claude.code.api.options.HistoryMode;
import claude.code.api.options.HistoryOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The turn driver against a scripted stand-in for the CLI: the test plays the CLI by putting
 * signals into the session queue when the driver presses keys. Timeouts are short so the
 * time-driven ends happen quickly; none is asserted as a duration.
 */
@Timeout(30)
class TurnTest {
    static final String ID = "00000000-0000-4000-8000-000000000002";

    final BlockingQueue<SessionSignal> signals = new LinkedBlockingQueue<>();
    final AtomicReference<StatusFile.Status> status = new AtomicReference<>();
    final FakeCli cli = new FakeCli();
    SessionSettings settings = SessionSettings.builder().enterRetryInterval(Duration.ofMillis(20))
            .submitTimeout(Duration.ofSeconds(10)).interruptTimeout(Duration.ofSeconds(10)).build();

    /** Records the keys; runs the test's reaction to each. */
    final class FakeCli implements Turn.Terminal {
        final AtomicInteger enters = new AtomicInteger();
        final AtomicInteger escapes = new AtomicInteger();
        final List<String> typed = new ArrayList<>();
        volatile Runnable onEnter = () -> {};
        volatile Runnable onEscape = () -> {};
        volatile IOException typingFailure;

        @Override
        public synchronized void typePrompt(PromptEncoder.Encoded prompt) throws IOException {
            if (typingFailure != null) throw typingFailure;
            typed.add(prompt.text());
        }

        @Override
        public void pressEnter() {
            enters.incrementAndGet();
            onEnter.run();
        }

        @Override
        public void interrupt() {
            escapes.incrementAndGet();
            onEscape.run();
        }

        final AtomicInteger clears = new AtomicInteger();
        volatile boolean clearable = true;
        volatile boolean inputHoldsText;

        @Override
        public boolean inputHoldsText() {
            return inputHoldsText;
        }

        @Override
        public boolean clearInput() {
            clears.incrementAndGet();
            return clearable;
        }

        volatile String screen = "❯ the fake screen\n  Do you want to proceed?";

        @Override
        public String screen() {
            return screen;
        }

    }

    Turn start(String prompt) {
        Turn turn = new Turn(ID, 4242, cli, signals, () -> Optional.ofNullable(status.get()), settings, PromptEncoder.encode(prompt));
        turn.start();
        return turn;
    }

    void record(Event event) {
        signals.add(new SessionSignal.Record(0, event));
    }

    static UserMessage echo(String text) {
        return new UserMessage("u1", List.of(new TextBlock(text)), true, false);
    }

    static AssistantMessage reply(String text) {
        return new AssistantMessage("a1", "msg_1", "m", List.of(new TextBlock(text)), "end_turn", new Usage(3, 4, 0, 0), null);
    }

    static SystemMessage turnDuration() {
        return new SystemMessage("s1", "turn_duration", JsonObject.EMPTY);
    }

    static UserMessage interruptNote() {
        return new UserMessage("u2", List.of(new TextBlock("[Request interrupted by user]")), false, false);
    }

    static List<Event> drain(EventStream stream) {
        List<Event> events = new ArrayList<>();
        stream.forEachRemaining(events::add);
        return events;
    }

    static StatusFile.Status status(String s) {
        return new StatusFile.Status(s, null, System.currentTimeMillis());
    }

    @Test
    void enterIsPressedAgainUntilTheEchoAndTheTurnEndsAtTurnDuration() throws Exception {
        cli.onEnter = () -> {
            if (cli.enters.get() == 3) { // the first two Enters are "lost", as while a big paste is still read
                record(echo("hello"));
                record(reply("hi there"));
                record(turnDuration());
            }
        };
        Turn turn = start("hello");
        List<Event> events = drain(turn.events());
        assertEquals(4, events.size(), events.toString());
        assertEquals("hello", ((UserMessage) events.getFirst()).text());
        ResultMessage result = assertInstanceOf(ResultMessage.class, events.getLast());
        assertFalse(result.isError(), result.toString());
        assertEquals("hi there", result.finalText());
        assertEquals(1, result.apiCalls());
        assertEquals(new Usage(3, 4, 0, 0), result.usage());
        assertEquals(3, cli.enters.get(), "no Enter after the echo");
        assertEquals(List.of("hello"), cli.typed);
        assertTrue(turn.outcome().get().sessionUsable());
    }

    @Test
    void aBusyStatusAfterTheFirstEnterAlsoCountsAsAccepted() throws Exception {
        cli.onEnter = () -> status.set(status("busy"));
        Turn turn = start("hello");
        // Long enough for the status poll to see it and for Enter retries to stop.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (cli.enters.get() < 1 || System.nanoTime() < deadline && !acceptedQuietly()) {
            Thread.sleep(20);
        }
        int enters = cli.enters.get();
        Thread.sleep(300); // several retry intervals: no more Enters
        assertEquals(enters, cli.enters.get(), "Enter stopped once the status said busy");
        record(echo("hello"));
        record(reply("done"));
        record(turnDuration());
        assertFalse(drain(turn.events()).isEmpty());
    }

    private boolean acceptedQuietly() throws InterruptedException {
        int before = cli.enters.get();
        Thread.sleep(150);
        return cli.enters.get() == before;
    }

    @Test
    void closingTheStreamEarlyPressesEscapeOnceAndWaitsForTheInterruptNote() throws Exception {
        cli.onEnter = () -> record(echo("SLOW please"));
        cli.onEscape = () -> {
            record(new AssistantMessage("a1", "msg_1", "m", List.of(new TextBlock("MOCK REP")), null, Usage.ZERO, null));
            record(interruptNote());
        };
        Turn turn = start("SLOW please");
        EventStream stream = turn.events();
        assertInstanceOf(UserMessage.class, stream.next());
        stream.close();
        assertTrue(turn.isDone(), "close returns once the turn has ended");
        Turn.Outcome outcome = turn.outcome().get();
        assertTrue(outcome.result().interrupted(), outcome.result().toString());
        assertFalse(outcome.result().isError());
        assertTrue(outcome.sessionUsable(), "the CLI is back at its prompt");
        assertEquals(1, cli.escapes.get());
        assertFalse(stream.hasNext(), "a closed stream has nothing more");
    }

    @Test
    void closingBeforeTheEchoInterruptsOnceThePromptIsAccepted() throws Exception {
        AtomicReference<Turn> turnRef = new AtomicReference<>();
        cli.onEnter = () -> {
            if (cli.enters.get() == 1) {
                Thread.ofVirtual().start(() -> turnRef.get().events().close());
            } else if (cli.enters.get() == 3) {
                record(echo("go"));
            }
        };
        cli.onEscape = () -> record(interruptNote());
        Turn turn = new Turn(ID, 1, cli, signals, Optional::empty, settings, PromptEncoder.encode("go"));
        turnRef.set(turn);
        turn.start();
        Turn.Outcome outcome = turn.outcome().get(10, TimeUnit.SECONDS);
        assertTrue(outcome.result().interrupted());
        assertEquals(1, cli.escapes.get());
        assertTrue(cli.enters.get() >= 3, "the prompt was still submitted first");
    }

    @Test
    void theProcessExitingMidTurnIsAnErrorNamingSessionAndStatus() throws Exception {
        cli.onEnter = () -> {
            record(echo("hello"));
            signals.add(new SessionSignal.ProcessExited(137));
        };
        Turn turn = start("hello");
        ResultMessage result = turn.events().result();
        assertTrue(result.isError());
        assertTrue(result.errorText().contains("session " + ID), result.errorText());
        assertTrue(result.errorText().contains("exited with status 137"), result.errorText());
        assertInstanceOf(TurnError.SessionFailed.class, result.error());
        assertFalse(turn.outcome().get().sessionUsable());
    }

    @Test
    void theTurnTimeoutInterruptsTheTurnAndEndsItWithAnError() throws Exception {
        settings = settings.toBuilder().timeouts(settings.timeouts().withTurnTimeout(Duration.ofMillis(300))).build();
        cli.onEnter = () -> record(echo("HANG"));
        cli.onEscape = () -> record(interruptNote());
        Turn turn = start("HANG");
        ResultMessage result = turn.events().result();
        assertTrue(result.isError());
        assertTrue(result.errorText().startsWith("the turn did not end within PT0.3S"), result.errorText());
        assertTrue(result.errorText().contains("the fake screen"), "quotes the screen: " + result.errorText());
        assertEquals(Duration.ofMillis(300), assertInstanceOf(TurnError.TimedOut.class, result.error()).limit());
        assertTrue(result.interrupted());
        assertTrue(turn.outcome().get().sessionUsable(), "the interrupt brought the CLI back");
        assertEquals(1, cli.escapes.get());
    }

    @Test
    void anInterruptThatNeverShowsMakesTheSessionUnusable() throws Exception {
        settings = settings.toBuilder().timeouts(settings.timeouts().withTurnTimeout(Duration.ofMillis(200)))
                .interruptTimeout(Duration.ofMillis(200)).build();
        cli.onEnter = () -> record(echo("HANG"));
        Turn turn = start("HANG");
        ResultMessage result = turn.events().result();
        assertTrue(result.isError());
        assertTrue(result.errorText().contains("the interrupt did not show in the transcript"), result.errorText());
        assertInstanceOf(TurnError.TimedOut.class, result.error(), "it began as a timeout");
        assertFalse(turn.outcome().get().sessionUsable());
    }

    @Test
    void aCliWaitingForADialogEndsTheTurnWithAnErrorQuotingTheScreen() throws Exception {
        cli.onEnter = () -> {
            record(echo("please rm"));
            status.set(new StatusFile.Status("waiting", "approve Bash", System.currentTimeMillis()));
        };
        cli.onEscape = () -> {
            status.set(status("idle"));
            record(interruptNote());
        };
        Turn turn = start("please rm");
        ResultMessage result = turn.events().result();
        assertTrue(result.isError());
        assertTrue(result.errorText().contains("wait for input (approve Bash)"), result.errorText());
        assertTrue(result.errorText().contains("Do you want to proceed?"), result.errorText());
        assertTrue(turn.outcome().get().sessionUsable());
    }

    @Test
    void anIdleStatusEndsATurnWhoseEndingRecordNeverComes() throws Exception {
        settings = settings.toBuilder().timeouts(settings.timeouts().withTurnDurationTimeout(Duration.ofMinutes(5))).build();
        cli.onEnter = () -> {
            record(echo("hello"));
            record(reply("complete reply"));
            status.set(status("idle"));
        };
        Turn turn = start("hello");
        ResultMessage result = turn.events().result();
        assertFalse(result.isError(), result.toString());
        assertEquals("complete reply", result.finalText());
    }

    @Test
    void anIdleStatusWhileTheScreenStillShowsTheCliWorkingWaitsForTheEndingRecords() throws Exception {
        cli.screen = "· Caramelizing…\n❯ \n  ⏵⏵ bypass permissions on (shift+tab to cycle) · esc to interrupt";
        cli.onEnter = () -> {
            record(echo("hello"));
            status.set(status("idle")); // early, as seen on an overloaded machine
        };
        Turn turn = start("hello");
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(StatusWatch.IDLE_GRACE.toMillis() + 700); // past the plain idle grace
            } catch (InterruptedException e) {
                return;
            }
            record(reply("late reply"));
            record(turnDuration());
        });
        ResultMessage result = turn.events().result();
        assertFalse(result.isError(), result.toString());
        assertEquals("late reply", result.finalText());
    }

    @Test
    void anIdleStatusWithAnIdleScreenAndNoEndingRecordIsAnError() throws Exception {
        cli.screen = "❯ \n  ⏵⏵ bypass permissions on (shift+tab to cycle)";
        cli.onEnter = () -> {
            record(echo("hello"));
            status.set(status("idle"));
        };
        ResultMessage result = start("hello").events().result();
        assertTrue(result.isError());
        assertTrue(result.errorText().contains("the CLI went idle"), result.errorText());
    }

    @Test
    void anInterruptBeforeTheReplyBeganClearsThePromptTheCliPutBackAndEndsInterrupted() throws Exception {
        cli.onEnter = () -> record(echo("SLOW please"));
        cli.onEscape = () -> status.set(status("idle")); // cancelled: no note, no partial reply
        Turn turn = start("SLOW please");
        EventStream stream = turn.events();
        assertInstanceOf(UserMessage.class, stream.next());
        stream.close();
        Turn.Outcome outcome = turn.outcome().get();
        assertTrue(outcome.result().interrupted(), outcome.result().toString());
        assertFalse(outcome.result().isError());
        assertEquals(1, cli.clears.get(), "the input box was cleared");
        assertTrue(outcome.sessionUsable());
    }

    @Test
    void aPromptBackInTheInputBoxAfterTheInterruptEndsTheTurnWithoutWaitingForTheIdleBackstop() throws Exception {
        cli.onEnter = () -> record(echo("SLOW please"));
        cli.onEscape = () -> {
            cli.inputHoldsText = true;
            status.set(status("idle"));
            // Then the status says busy again: the idle backstop alone would never end this turn
            // (only the interrupt timeout would, as an error). The input box ends it.
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(StatusWatch.STATUS_POLL.multipliedBy(3).toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                status.set(status("busy"));
            });
        };
        settings = settings.toBuilder().interruptTimeout(Duration.ofSeconds(20)).build();
        Turn turn = start("SLOW please");
        turn.events().close();
        Turn.Outcome outcome = turn.outcome().get();
        assertTrue(outcome.result().interrupted(), outcome.result().toString());
        assertFalse(outcome.result().isError(), outcome.result().toString());
        assertEquals(1, cli.clears.get());
    }

    @Test
    void anInputBoxThatCannotBeClearedMakesTheSessionUnusable() throws Exception {
        cli.clearable = false;
        cli.onEnter = () -> record(echo("SLOW please"));
        cli.onEscape = () -> status.set(status("idle"));
        Turn turn = start("SLOW please");
        turn.events().close();
        Turn.Outcome outcome = turn.outcome().get();
        assertTrue(outcome.result().isError());
        assertTrue(outcome.result().errorText().contains("could not be cleared"), outcome.result().errorText());
        assertFalse(outcome.sessionUsable());
    }

    @Test
    void anIdleCliWithNoRecordOfThePromptIsAnError() throws Exception {
        cli.onEnter = () -> {
            status.set(status("busy"));
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                status.set(status("idle"));
            });
        };
        Turn turn = start("hello");
        ResultMessage result = turn.events().result();
        assertTrue(result.isError());
        assertTrue(result.errorText().contains("the transcript shows no record of the prompt"), result.errorText());
    }

    @Test
    void aPromptTheCliNeverAcceptsIsAnErrorAfterTheSubmitTimeout() throws Exception {
        settings = settings.toBuilder().submitTimeout(Duration.ofMillis(300)).build();
        Turn turn = start("hello");
        ResultMessage result = turn.events().result();
        assertTrue(result.isError());
        assertTrue(result.errorText().startsWith("the CLI did not accept the prompt within PT0.3S"), result.errorText());
        assertTrue(cli.enters.get() > 1, "Enter was retried");
        assertFalse(turn.outcome().get().sessionUsable());
    }

    @Test
    void withoutWaitingForTurnDurationTheTurnEndsAtTheFinalMessage() throws Exception {
        settings = settings.toBuilder().history(new HistoryOptions(HistoryMode.NATIVE_JSONL, false, false)).build();
        cli.onEnter = () -> {
            record(echo("hello"));
            record(reply("fast"));
        };
        List<Event> events = drain(start("hello").events());
        assertEquals(3, events.size(), events.toString());
        assertEquals("fast", ((ResultMessage) events.getLast()).finalText());
    }

    @Test
    void aMissingTurnDurationEndsTheTurnAfterItsTimeout() throws Exception {
        settings = settings.toBuilder().timeouts(settings.timeouts().withTurnDurationTimeout(Duration.ofMillis(100))).build();
        cli.onEnter = () -> {
            record(echo("hello"));
            record(reply("no duration record"));
        };
        ResultMessage result = start("hello").events().result();
        assertFalse(result.isError());
        assertEquals("end_turn", result.stopReason());
    }

    @Test
    void typingThatFailsIsAnError() throws Exception {
        cli.typingFailure = new IOException("write: the pty is closed");
        Turn turn = start("hello");
        ResultMessage result = turn.events().result();
        assertTrue(result.errorText().contains("write: the pty is closed"), result.errorText());
        assertFalse(turn.outcome().get().sessionUsable());
    }

    @Test
    void closingTheSessionEndsTheTurn() throws Exception {
        cli.onEnter = () -> record(echo("hello"));
        Turn turn = start("hello");
        EventStream stream = turn.events();
        assertInstanceOf(UserMessage.class, stream.next());
        signals.add(new SessionSignal.Closing());
        ResultMessage result = stream.result();
        assertTrue(result.errorText().contains("was closed during the turn"), result.errorText());
    }
}
