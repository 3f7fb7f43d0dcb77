package claude.code.api.session;

import claude.code.api.cli.PromptEncoder;
import claude.code.api.events.EventStream;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.TurnError;
import claude.code.api.mcp.PendingToolCall;
import claude.code.api.options.ClientToolSet;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Drives one turn on its own virtual thread: has the prompt submitted ({@link PromptSubmission}),
 * follows the session's signals through a {@link TurnTracker} and the CLI's status file ({@link StatusWatch})
 * until the turn ends, interrupts it when asked or when it overruns ({@link TurnInterrupt}), and always ends with
 * exactly one {@link ResultMessage}. Every wait is bounded, so no shape of turn can hang. Relayed signals that
 * would overtake a tool's result in the transcript wait in {@link HeldRelaySignals}.
 *
 * <p>How a turn can end besides its records:
 * <ul>
 *   <li>the status file says {@code idle} (after the first Enter) and no ending record comes within
 *       {@link StatusWatch#IDLE_GRACE}: completed if the records say so, otherwise an error;
 *   <li>the status file says {@code waiting} (a dialog, e.g. a permission prompt) for {@link StatusWatch#BLOCKED_GRACE}:
 *       an error quoting the screen; ESC dismisses the dialog and interrupts the turn;
 *   <li>the turn timeout: ESC, then an error;
 *   <li>the process exits, the tail stops, typing fails, the prompt is not accepted in time, or the
 *       session closes: an error. The session is then unusable ({@link Outcome#sessionUsable()}).
 * </ul>
 *
 * <p>Client tools ({@link ClientToolRound}): when a relayed main-loop message calls only the client's tools and the
 * CLI has made a {@code tools/call} for each of its tool_use ids ({@link SessionSignal.ClientToolCall}), the turn
 * ends for the caller: its stream gets the message under the client's tool names ({@link ClientToolUse#forClient})
 * and a result with stop reason {@code tool_use}, and the {@link Outcome} holds the open calls, in the message's
 * order. The CLI's own turn goes on once they are answered: that is a new {@code Turn} without a prompt, tracked by
 * {@link TurnTracker#continuing}, which ends at the {@code Stop} hook or again at the client's tools. Built from
 * the relay and the calls, never from the transcript (which may hold the tool_use record until the result).
 */
final class Turn {
    private static final System.Logger LOG = System.getLogger(Turn.class.getName());

    /** Lines of screen quoted in errors. */
    private static final int SCREEN_LINES = 25;
    private static final long NONE = Long.MAX_VALUE;

    /** The CLI as a turn uses it. */
    interface Terminal {
        void typePrompt(PromptEncoder.Encoded prompt) throws IOException;

        void pressEnter() throws IOException;

        void interrupt() throws IOException;

        /** Empties the input box (see {@link claude.code.api.cli.ClaudeProcess#clearInput}); false if it would not. */
        boolean clearInput() throws IOException;

        /** The input box holds text (see {@link claude.code.api.cli.ClaudeProcess#inputHoldsText}). */
        boolean inputHoldsText();

        String screen();
    }

    /**
     * How the turn ended, for the session.
     *
     * @param awaiting the client's tool calls the turn ended at, held open, in the model's order; empty otherwise
     */
    record Outcome(ResultMessage result, boolean sessionUsable, List<PendingToolCall> awaiting) {
        Outcome(ResultMessage result, boolean sessionUsable) {
            this(result, sessionUsable, List.of());
        }
    }

    private final String sessionId;
    private final long pid;
    private final Terminal terminal;
    private final BlockingQueue<SessionSignal> signals;
    private final SessionSettings settings;
    private final boolean onlyOurStopHook;
    private final QueuedEventStream stream;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final Thread driver;

    // The turn's parts; each keeps its own state, and the deadline it has is in nextDeadline().
    private final PromptSubmission submission;
    private final TurnTracker tracker;
    /** The CLI's status file, as far as it concerns this turn. */
    private final StatusWatch statusWatch;
    /** The one ESC of the turn, and what asked for it. */
    private final TurnInterrupt interrupt;
    /** Relayed signals of a call that follows a tool use, until the transcript has the tool's result. */
    private final HeldRelaySignals held;
    /** The client's tools: a message that calls only them ends the turn for the caller at the CLI's calls. */
    private final ClientToolRound clientTools;

    private long startNanos;
    private long turnDeadline;
    private long completionDeadline = NONE;
    private TurnError pendingError;
    private boolean usable = true;
    /** The CLI's Stop / StopFailure hook has come. */
    private boolean stopHook;
    private boolean stopFailureHook;
    /** The result the caller got at the hook, before the transcript holds the whole turn; or null. */
    private volatile ResultMessage delivered;
    private long afterResultDeadline = NONE;

    Turn(String sessionId, long pid, Terminal terminal, BlockingQueue<SessionSignal> signals,
            Supplier<Optional<StatusFile.Status>> status, SessionSettings settings, PromptEncoder.Encoded prompt) {
        this(sessionId, pid, terminal, signals, status, settings, ClientToolSet.NONE, false, prompt, null);
    }

    /**
     * @param onlyOurStopHook no hook but ours runs at {@code Stop} ({@link OtherStopHooks}): the relayed final
     *     message, or else our {@code Stop} hook, ends the caller's answer; otherwise a {@code Stop} hook of the user's may
     *     make the CLI go on, and only the transcript's end of the turn does
     * @param prompt what to type; {@code null} for a turn that goes on after the client's tool results
     * @param continuing with {@code prompt == null}: the tracker of that turn ({@link TurnTracker#continuing})
     */
    Turn(String sessionId, long pid, Terminal terminal, BlockingQueue<SessionSignal> signals,
            Supplier<Optional<StatusFile.Status>> status, SessionSettings settings, ClientToolSet tools,
            boolean onlyOurStopHook, PromptEncoder.Encoded prompt, TurnTracker continuing) {
        if ((prompt == null) == (continuing == null)) {
            throw new IllegalArgumentException("a turn types a prompt or continues one, not both or neither");
        }
        this.sessionId = sessionId;
        this.pid = pid;
        this.terminal = terminal;
        this.signals = signals;
        this.statusWatch = new StatusWatch(status, terminal);
        this.settings = settings;
        this.clientTools = new ClientToolRound(sessionId, tools);
        this.onlyOurStopHook = onlyOurStopHook;
        this.submission = prompt == null ? PromptSubmission.none(sessionId, terminal)
                : new PromptSubmission(sessionId, terminal, prompt, settings);
        this.tracker = continuing != null ? continuing : new TurnTracker(sessionId);
        this.held = new HeldRelaySignals(sessionId, tracker, settings.timeouts().turnDurationTimeout(), this::handle);
        this.interrupt = new TurnInterrupt(sessionId, terminal, settings.interruptTimeout());
        this.stream = new QueuedEventStream(this::stop);
        this.driver = Thread.ofVirtual().name("claude-turn " + sessionId).unstarted(this::run);
    }

    void start() {
        startNanos = System.nanoTime();
        turnDeadline = startNanos + settings.timeouts().turnTimeout().toNanos();
        driver.start();
    }

    EventStream events() {
        return stream;
    }

    /** Completes when the turn has ended, with its result. */
    CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    boolean isDone() {
        return outcome.isDone();
    }

    /** What this turn's records were (for the turn that continues it after the client's tool results). */
    TurnTracker tracker() {
        return tracker;
    }

    /**
     * The caller has its result, but the driver still follows the transcript until it holds the
     * whole turn (at most {@code turnDurationTimeout} more): wait for {@link #outcome()} before the
     * session takes its next prompt.
     */
    boolean resultDelivered() {
        return delivered != null;
    }

    /**
     * Interrupts the turn (the stream was closed early) and waits for it to end: long enough for the
     * prompt to be accepted and the interrupt to show. The turn ends by itself within those bounds.
     */
    void stop() {
        if (outcome.isDone() || delivered != null) {
            return;
        }
        signals.add(new SessionSignal.StopRequested());
        awaitEnd(settings.submitTimeout().plus(settings.interruptTimeout()).plusSeconds(1));
    }

    /** Waits (bounded) for the driver to finish; true if it did. */
    boolean awaitEnd(Duration timeout) {
        try {
            outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "session {0}: the turn did not end within {1}", sessionId, timeout);
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    private void run() {
        ResultMessage result;
        try {
            result = drive();
        } catch (InterruptedException e) {
            usable = false;
            result = error("the turn was cancelled (its thread was interrupted)");
        } catch (RuntimeException | Error e) {
            usable = false;
            LOG.log(System.Logger.Level.ERROR, "session " + sessionId + ": the turn failed", e);
            result = error("the turn failed: " + e);
        }
        LOG.log(System.Logger.Level.DEBUG, "session {0}: turn ended after {1} ms, {2} API calls, error={3}, interrupted={4}",
                sessionId, result.duration().toMillis(), result.apiCalls(), result.isError(), result.interrupted());
        ResultMessage early = delivered;
        // The session learns first, so a caller that sends again as soon as it has the result finds it ready.
        outcome.complete(new Outcome(early != null ? early : result, usable,
                early != null ? List.of() : clientTools.awaiting()));
        if (early == null) {
            stream.push(result);
        }
    }

    private ResultMessage drive() throws InterruptedException {
        submission.startTyping(signals);
        while (true) {
            long now = System.nanoTime();
            long wait = Math.max(0, Math.min(nextDeadline(), now + StatusWatch.STATUS_POLL.toNanos()) - now);
            SessionSignal signal = signals.poll(wait, TimeUnit.NANOSECONDS);
            ResultMessage result;
            if (delivered != null) {
                result = signal == null ? null : afterResult(signal);
                if (result == null && passed(System.nanoTime(), afterResultDeadline)) {
                    LOG.log(System.Logger.Level.DEBUG, "session {0}: the transcript did not show the turn's end within {1}"
                            + " of its hook", sessionId, settings.timeouts().turnDurationTimeout());
                    result = delivered;
                }
            } else {
                result = signal == null ? null : handle(signal);
                if (result == null) {
                    deliverAtHook();
                }
                if (result == null && delivered == null) {
                    result = checkTime();
                }
            }
            if (result != null) {
                return result;
            }
        }
    }

    private long nextDeadline() {
        // NONE is Long.MAX_VALUE, so min() skips unset deadlines.
        long d = Math.min(turnDeadline, submission.nextDeadline());
        d = Math.min(d, Math.min(completionDeadline, statusWatch.idleDeadline()));
        return Math.min(Math.min(d, interrupt.deadline()), Math.min(afterResultDeadline, held.deadline()));
    }

    private ResultMessage handle(SessionSignal signal) {
        long now = System.nanoTime();
        return switch (signal) {
            case SessionSignal.Record(long offset, var event) -> {
                TurnTracker.Step step = tracker.offer(event);
                if (!step.emits()) {
                    yield null;
                }
                if (!submission.accepted()) {
                    accepted("its echo in the transcript");
                }
                stream.push(event);
                ResultMessage end = emitted(step, now);
                yield end != null || tracker.awaitsToolResults() ? end : held.release();
            }
            case SessionSignal.RelayCall c -> {
                if (!submission.accepted()) {
                    accepted("a main-loop API call through the relay");
                }
                yield null;
            }
            case SessionSignal.RelayEvent e when held.hold(e, now) -> null;
            case SessionSignal.RelayEvent(long call, var event) -> {
                if (submission.accepted() && !tracker.ended()) {
                    stream.push(clientTools.clientNamed(event));
                }
                yield null;
            }
            case SessionSignal.RelayMessage m when held.hold(m, now) -> null;
            case SessionSignal.RelayMessage(long call, var message) -> {
                TurnTracker.Step step = tracker.offerRelayed(message);
                if (!step.emits()) {
                    yield null;
                }
                if (clientTools.begin(message)) { // the client gets it once the CLI called every one of its tools
                    yield deliverClientToolUse();
                }
                stream.push(message);
                ResultMessage end = emitted(step, now);
                if (end == null && onlyOurStopHook && tracker.endsForSure() && mayDeliver()) {
                    deliver(tracker.result(elapsed(), null, false), "the final message_stop");
                }
                yield end;
            }
            case SessionSignal.ClientToolCall(PendingToolCall call) -> clientTools.called(call) ? deliverClientToolUse() : null;
            case SessionSignal.InputLost(String why) -> fatal(why);
            case SessionSignal.RelayError(long call, var error) -> {
                tracker.relayError(error);
                yield null;
            }
            case SessionSignal.RelayUnreachable(long call, var error) -> fatal(new TurnError.ApiFailed(error));
            case SessionSignal.Hook(String event, var input) -> {
                switch (event) {
                    case SessionHooks.STOP -> stopHook = true;
                    case SessionHooks.STOP_FAILURE -> stopFailureHook = true;
                    default -> {}
                }
                yield null;
            }
            case SessionSignal.Typed t -> {
                submission.typed(now);
                yield null;
            }
            case SessionSignal.TypingFailed(IOException cause) -> fatal("typing the prompt into the CLI failed: " + cause.getMessage());
            case SessionSignal.ProcessExited(int code) -> fatal("the CLI of session " + sessionId + " (pid " + pid
                    + ") exited with status " + code + " during the turn" + screen());
            case SessionSignal.TailStopped(var problem) -> fatal("the transcript of session " + sessionId
                    + " can no longer be followed: " + problem.message());
            case SessionSignal.StopRequested s -> {
                interrupt.stopRequested(now, submission.accepted());
                yield null;
            }
            case SessionSignal.Closing c -> fatal("session " + sessionId + " was closed during the turn");
        };
    }

    /**
     * The turn's end for the caller at the client's tools ({@link ClientToolRound#end}), unless an error of ours
     * (a timeout, a blocked CLI) or our ESC makes it end otherwise.
     */
    private ResultMessage deliverClientToolUse() {
        if (interrupt.escSent() || pendingError != null) {
            return null;
        }
        return clientTools.end(stream, () -> tracker.result(elapsed(), null, false));
    }

    /** What follows a record of the turn (from the transcript or the relay) that the stream got. */
    private ResultMessage emitted(TurnTracker.Step step, long now) {
        if (step == TurnTracker.Step.EMIT_AND_END) {
            return finish();
        }
        if (step.completes()) {
            if (!settings.history().waitForTurnDuration() && tracker.completesWithoutTurnDuration()) {
                if (!tracker.lastMessageRelayed()) {
                    return finish();
                }
                // The relay is ~100 ms ahead of the transcript, which may not even hold the prompt's echo yet: the
                // session takes its next prompt only once it holds the turn, or the next turn would read this one's.
                deliver(tracker.result(elapsed(), null, false), "the final message (waitForTurnDuration false)");
                return null;
            }
            completionDeadline = now + settings.timeouts().turnDurationTimeout().toNanos();
        } else {
            completionDeadline = NONE;
        }
        return null;
    }

    /**
     * The exact end ({@code docs/CLI-BEHAVIOUR.md#hooks}): the {@code Stop} hook after the relay delivered
     * the final message (and the transcript every tool result) when no other {@code Stop} hook can make the CLI go on
     * (a final {@code end_turn} ended it earlier, {@code docs/CLI-BEHAVIOUR.md#end-at-message-stop}), or
     * {@code StopFailure} after the relay saw the upstream's error. The caller gets its result now; the driver goes on until the transcript
     * holds the turn ({@code turn_duration}, or the error record), at most {@code turnDurationTimeout}.
     */
    private void deliverAtHook() {
        if (delivered != null || tracker.ended() || !mayDeliver()) {
            return;
        }
        ResultMessage result = null;
        if (stopHook && onlyOurStopHook && tracker.lastMessageRelayed() && tracker.mayComplete()) {
            result = tracker.result(elapsed(), null, false);
        } else if (stopFailureHook && tracker.relayError() != null) {
            result = tracker.result(elapsed(), new TurnError.ApiFailed(tracker.relayError()), false);
        }
        if (result != null) {
            deliver(result, stopHook ? "the Stop hook" : "the StopFailure hook");
        }
    }

    /**
     * An early result may go out: no error of ours waits to end the turn (a timeout, a blocked CLI) and we sent no
     * Esc, either of which makes the turn's end something other than what the relay saw.
     */
    private boolean mayDeliver() {
        return pendingError == null && !interrupt.escSent();
    }

    /** The caller gets its result now; the driver follows the transcript to the turn's end (bounded). */
    private void deliver(ResultMessage result, String signal) {
        if (delivered != null) {
            return;
        }
        delivered = result;
        afterResultDeadline = System.nanoTime() + settings.timeouts().turnDurationTimeout().toNanos();
        LOG.log(System.Logger.Level.DEBUG, "session {0}: the result goes out at {1}, after {2} ms", sessionId, signal,
                result.duration().toMillis());
        stream.push(result);
    }

    /** After the result went out: follow the records to the turn's end; nothing more reaches the caller. */
    private ResultMessage afterResult(SessionSignal signal) {
        return switch (signal) {
            case SessionSignal.Record(long offset, var event) ->
                    tracker.offer(event) == TurnTracker.Step.EMIT_AND_END || tracker.ended() ? delivered : null;
            case SessionSignal.ProcessExited p -> {
                usable = false;
                yield delivered;
            }
            case SessionSignal.TailStopped t -> {
                usable = false;
                yield delivered;
            }
            case SessionSignal.Closing c -> delivered;
            default -> null;
        };
    }

    private ResultMessage checkTime() {
        long now = System.nanoTime();
        ResultMessage released = held.releaseIfOverdue(now);
        if (released != null) {
            return released;
        }
        if (submission.timedOut(now)) {
            return fatal(submission.timeoutReason() + screen());
        }
        submission.retryEnter(now);
        Optional<StatusWatch.Reading> reading = statusWatch.poll(now, submission);
        if (reading.isPresent() && statusRead(reading.get(), now)) {
            return cancelledBeforeTheReply();
        }
        if (passed(now, completionDeadline)) {
            LOG.log(System.Logger.Level.DEBUG, "session {0}: no turn_duration within {1}; ending the turn", sessionId,
                    settings.timeouts().turnDurationTimeout());
            return finish();
        }
        if (passed(now, statusWatch.idleDeadline())) {
            if (tracker.mayComplete()) {
                return finish();
            }
            if (interrupt.escSent()) {
                return cancelledBeforeTheReply();
            }
            if (statusWatch.stillWorking(now)) {
                return null;
            }
            String why = !tracker.started() ? "the transcript shows no record of the prompt"
                    : "the transcript does not show how the turn ended";
            return error("the CLI went idle, but " + why + screen());
        }
        if (passed(now, interrupt.deadline())) {
            String lost = "the interrupt did not show in the transcript within " + settings.interruptTimeout() + screen();
            return fatal(switch (pendingError) {
                case null -> new TurnError.SessionFailed(lost);
                case TurnError.TimedOut t -> new TurnError.TimedOut(t.limit(), t.message() + "; then " + lost);
                case TurnError e -> new TurnError.SessionFailed(e.message() + "; then " + lost);
            });
        }
        if (passed(now, turnDeadline) && pendingError == null) {
            Duration limit = settings.timeouts().turnTimeout();
            pendingError = new TurnError.TimedOut(limit, "the turn did not end within " + limit + screen());
            if (!submission.accepted()) {
                return fatal(pendingError);
            }
            interrupt.sendEscape(now);
        }
        return null;
    }

    private static boolean passed(long now, long deadline) {
        return deadline != NONE && now - deadline >= 0;
    }

    /**
     * What a reading of the status file makes of the turn: the prompt accepted, a dialog's error and ESC; true when it
     * shows an interrupt that cancelled the turn before its reply.
     */
    private boolean statusRead(StatusWatch.Reading s, long now) {
        if (!submission.accepted() && s.busy()) {
            accepted("the status file (busy)");
        }
        if (s.blocked() && pendingError == null) {
            pendingError = new TurnError.SessionFailed("the CLI stopped to wait for input ("
                    + (s.waitingFor() == null ? "a dialog" : s.waitingFor())
                    + ") that this library cannot give; the dialog was dismissed with ESC" + screen());
            LOG.log(System.Logger.Level.WARNING, "session {0}: the CLI waits for input ({1}); interrupting the turn",
                    sessionId, s.waitingFor());
            interrupt.sendEscape(now);
        }
        // Idle after our ESC with the prompt back in the input box: the request was cancelled before
        // the reply began, and no record will say so. Seen at once rather than after IDLE_GRACE.
        return interrupt.escSent() && s.idle() && !tracker.ended() && !tracker.mayComplete()
                && terminal.inputHoldsText();
    }

    private void accepted(String how) {
        submission.accepted(how, startNanos);
        interrupt.promptAccepted(System.nanoTime());
    }

    /**
     * Measured: an ESC that reaches the CLI before the reply's first token cancels the request
     * without an interrupt note, and the CLI puts the prompt back into the input box, where the
     * next prompt would be appended to it. Empty the box, then report the turn interrupted.
     */
    private ResultMessage cancelledBeforeTheReply() {
        boolean cleared;
        try {
            cleared = terminal.clearInput();
        } catch (IOException e) {
            cleared = false;
        }
        if (!cleared) {
            return fatal("the turn was interrupted before the reply began, and the prompt the CLI put back into "
                    + "its input box could not be cleared" + screen());
        }
        LOG.log(System.Logger.Level.DEBUG, "session {0}: interrupted before the reply began; input box cleared", sessionId);
        return tracker.result(elapsed(), pendingError, true);
    }

    private ResultMessage finish() {
        return tracker.result(elapsed(), pendingError, false);
    }

    /** An error after which the session cannot take another turn. */
    private ResultMessage fatal(String message) {
        return fatal(new TurnError.SessionFailed(message));
    }

    private ResultMessage fatal(TurnError error) {
        usable = false;
        return tracker.result(elapsed(), error, false);
    }

    private ResultMessage error(String message) {
        return tracker.result(elapsed(), new TurnError.SessionFailed(message), false);
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The last lines of the screen, for error texts. */
    private String screen() {
        List<String> lines = terminal.screen().lines().toList();
        List<String> tail = lines.subList(Math.max(0, lines.size() - SCREEN_LINES), lines.size());
        String text = String.join("\n", tail).strip();
        return text.isEmpty() ? "" : "; the screen shows:\n" + text;
    }
}
