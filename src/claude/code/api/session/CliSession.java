package claude.code.api.session;

import claude.code.api.cli.ClaudeProcess;
import claude.code.api.cli.PromptEncoder;
import claude.code.api.events.EventStream;
import claude.code.api.mcp.CallOutcome;
import claude.code.api.mcp.McpSession;
import claude.code.api.mcp.PendingToolCall;
import claude.code.api.mcp.ToolResult;
import claude.code.api.options.ClientToolSet;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.TurnError;
import claude.code.api.events.Usage;
import claude.code.api.transcript.RecordParser;
import claude.code.api.transcript.TailOptions;
import claude.code.api.transcript.TailProblem;
import claude.code.api.transcript.TranscriptTail;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A live {@code claude} process and its transcript, driven one turn at a time: the real
 * {@link ClaudeSession}. Made by {@link CliSessionFactory}.
 *
 * <p>Everything the session hears goes into one signal queue: the transcript tail's records (and
 * its end), and the process's exit. The running {@link Turn} is its only reader; between turns
 * the queue is cleared at the next {@link #send}, and the turn itself ignores every record before
 * its prompt's echo.
 *
 * <p>The transcript is tailed from the first turn on, not from start-up: the CLI creates the file
 * only with the first prompt's records, and a session may wait in a pool for longer than the
 * file-wait timeout before that.
 *
 * <p>Client tools: a turn that ended at the client's tool calls ({@link Turn.Outcome#awaiting}) leaves the
 * session <em>awaiting results</em>: the CLI's turn is still running, its calls held open at the MCP route.
 * {@link #sendToolResults} answers them and follows the continuation as a new turn, without typing. A call whose
 * wait runs out (the MCP endpoint answers the CLI an error result) makes the session unusable: the CLI went on
 * without the client, so it no longer holds the conversation the client has; it is stopped and counted.
 */
public final class CliSession implements ClaudeSession {
    private static final System.Logger LOG = System.getLogger(CliSession.class.getName());
    /** How long close() waits for a running turn to wind up. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /** How long the input box may take to show empty after Ctrl-C. */
    private static final Duration CLEAR_INPUT_TIMEOUT = Duration.ofSeconds(5);
    /** Beyond {@code turnDurationTimeout}: how long a turn that ended at its hook may take to wind up. */
    private static final Duration NEXT_TURN_SLACK = Duration.ofSeconds(2);

    private final String sessionId;
    private final ClaudeProcess process;
    private final Path transcript;
    private final long startOffset;
    private final StatusFile statusFile;
    private final SessionSettings settings;
    private final RecordParser parser;
    private final BlockingQueue<SessionSignal> signals;
    private final SessionRelay relay; // null without the side channel
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    private TranscriptTail tail;
    private Turn current;
    private boolean closed;
    private volatile TailProblem tailProblem;
    private volatile String brokenBecause;
    private final ClientToolSet tools;
    private final ClientToolStats toolStats;
    /** The client's open calls the last turn ended at, in the model's order; empty when none. Guarded by lock. */
    private List<PendingToolCall> awaiting = List.of();

    /**
     * @param transcript the file the CLI writes this session's records to
     * @param startOffset where this session's records begin (a seed's size when resuming, else 0)
     * @param statusFile the CLI's {@code sessions/<pid>.json}
     */
    CliSession(String sessionId, ClaudeProcess process, Path transcript, long startOffset, Path statusFile,
            SessionSettings settings) {
        this(sessionId, process, transcript, startOffset, statusFile, settings, new LinkedBlockingQueue<>(), null,
                new ClientToolStats());
    }

    /**
     * @param signals the session's queue, which {@code relay} (if any) already feeds
     * @param relay the session's part of the side channel, closed with the session; or {@code null}
     * @param toolStats where the client's tool calls and their timeouts are counted
     */
    CliSession(String sessionId, ClaudeProcess process, Path transcript, long startOffset, Path statusFile,
            SessionSettings settings, BlockingQueue<SessionSignal> signals, SessionRelay relay, ClientToolStats toolStats) {
        this.signals = Objects.requireNonNull(signals, "signals");
        this.relay = relay;
        this.toolStats = Objects.requireNonNull(toolStats, "toolStats");
        this.tools = relay == null ? ClientToolSet.NONE
                : relay.clientTools().map(m -> new ClientToolSet(m.tools())).orElse(ClientToolSet.NONE);
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.process = Objects.requireNonNull(process, "process");
        this.transcript = Objects.requireNonNull(transcript, "transcript");
        this.startOffset = startOffset;
        this.statusFile = new StatusFile(statusFile);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.parser = new RecordParser(transcript, settings.history().includeMetaUser());
        process.onExit().thenAccept(code -> signals.add(new SessionSignal.ProcessExited(code)));
    }

    @Override
    public String sessionId() {
        return sessionId;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    /** The transcript this session follows. */
    public Path transcript() {
        return transcript;
    }

    /** The MCP server of the client's tools, whose calls the CLI holds open; empty when the CLI runs its own tools. */
    Optional<McpSession> clientTools() {
        return relay == null ? Optional.empty() : relay.clientTools();
    }

    private boolean onlyOurStopHook() {
        return relay != null && relay.onlyOurStopHook();
    }

    /** The session's part of the side channel, or {@code null} without it (for tests of its amendments). */
    SessionRelay relay() {
        return relay;
    }

    /** The process, for resizing and start-up facts. */
    public ClaudeProcess process() {
        return process;
    }

    /** Running, not closed, and not left in an unknown state by a failed turn. */
    @Override
    public boolean isAlive() {
        lock.lock();
        try {
            return !closed && brokenBecause == null && process.isAlive();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts a turn: see {@link ClaudeSession#send}. A session whose process has exited, or that a
     * failed turn left unusable, answers with an error result at once.
     *
     * @throws IllegalArgumentException if the prompt has nothing visible to send
     * @throws IllegalStateException while another turn runs, or after {@link #close()}
     */
    @Override
    public EventStream send(String prompt) {
        return send(prompt, List.of());
    }

    /** As {@link #send(String)}, the files referenced after the client's text is neutralised ({@link PromptEncoder#encode(String, List)}). */
    @Override
    public EventStream send(String prompt, List<Path> attachments) {
        return send(prompt, attachments, List.of());
    }

    /** As {@link #send(String, List)}, the turn's first main-loop request amended by the session's relay. */
    @Override
    public EventStream send(String prompt, List<Path> attachments, List<RequestAmendment> firstCall) {
        if (!firstCall.isEmpty() && relay == null) {
            throw new UnsupportedOperationException("session " + sessionId + " has no model-API relay to amend its requests");
        }
        Objects.requireNonNull(prompt, "prompt");
        List<Path> files = List.copyOf(attachments);
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("session " + sessionId + " is closed");
            }
            if (current != null && !current.isDone() && current.resultDelivered()) {
                // The caller had its result at the hook; the transcript is still catching up (bounded).
                current.awaitEnd(settings.timeouts().turnDurationTimeout().plus(NEXT_TURN_SLACK));
            }
            if (current != null && !current.isDone()) {
                throw new IllegalStateException("session " + sessionId + " is already running a turn (the CLI would "
                        + "queue this prompt behind it); wait for the result or close its event stream");
            }
            if (!awaiting.isEmpty()) {
                throw new IllegalStateException("session " + sessionId + " awaits the client's results for "
                        + awaitedToolUseIds() + " (sendToolResults); a prompt cannot be typed into the CLI's running turn");
            }
            String unusable = unusableBecause();
            if (unusable != null) {
                return EventStream.of(List.of(failed(unusable)));
            }
            PromptEncoder.Encoded encoded = PromptEncoder.encode(prompt, files);
            openTailOnce();
            signals.clear();
            if (relay != null) {
                relay.newTurn();
                relay.amendNextMainCall(firstCall);
            }
            if (!process.isAlive()) { // exited after the check above: its signal may have been cleared
                signals.add(new SessionSignal.ProcessExited(process.exitCode().orElse(-1)));
            }
            Turn turn = new Turn(sessionId, process.pid(), terminal(), signals, statusFile::read, settings, tools,
                    onlyOurStopHook(), encoded, null);
            turn.outcome().thenAccept(this::turnEnded);
            current = turn;
            turn.start();
            return turn.events();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<String> awaitedToolUseIds() {
        lock.lock();
        try {
            return awaiting.stream().map(c -> c.toolUseId().orElseThrow()).toList();
        } finally {
            lock.unlock();
        }
    }

    /** The client's open calls themselves (for tests). */
    List<PendingToolCall> awaitedCalls() {
        lock.lock();
        try {
            return awaiting;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Answers the client's open calls, in order, and returns the turn that goes on from there: no typing, the
     * CLI's next main-loop call is its start ({@link TurnTracker#continuing}).
     *
     * @param results one per {@link #awaitedToolUseIds()}, in that order
     * @throws IllegalArgumentException when the number of results is not the number of open calls
     * @throws IllegalStateException when the session awaits no results, or after {@link #close()}
     */
    @Override
    public EventStream sendToolResults(List<ToolResult> results) {
        return sendToolResults(results, List.of());
    }

    /** As {@link #sendToolResults(List)}, the continuation's next main-loop request amended by the session's relay. */
    @Override
    public EventStream sendToolResults(List<ToolResult> results, List<RequestAmendment> nextCall) {
        if (!nextCall.isEmpty() && relay == null) {
            throw new UnsupportedOperationException("session " + sessionId + " has no model-API relay to amend its requests");
        }
        List<ToolResult> answers = List.copyOf(results);
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("session " + sessionId + " is closed");
            }
            if (awaiting.isEmpty()) {
                throw new IllegalStateException("session " + sessionId + " awaits no tool results");
            }
            if (answers.size() != awaiting.size()) {
                throw new IllegalArgumentException("session " + sessionId + " awaits " + awaiting.size()
                        + " tool results (" + awaitedToolUseIds() + "), got " + answers.size());
            }
            List<PendingToolCall> open = awaiting;
            String unusable = unusableBecause();
            if (unusable == null && open.stream().anyMatch(c -> c.ended().toCompletableFuture().isDone())) {
                unusable = "a call of the client's tools ended before its result came (it timed out, or the CLI gave up)";
            }
            awaiting = List.of();
            if (unusable != null) {
                brokenBecause = brokenBecause == null ? unusable : brokenBecause;
                return EventStream.of(List.of(failed(unusable)));
            }
            Set<String> answered = new LinkedHashSet<>();
            open.forEach(c -> answered.add(c.toolUseId().orElseThrow()));
            signals.clear(); // the records of the wait: the continuation's tracker skips the client's own anyway
            if (!process.isAlive()) {
                signals.add(new SessionSignal.ProcessExited(process.exitCode().orElse(-1)));
            }
            Turn turn = new Turn(sessionId, process.pid(), terminal(), signals, statusFile::read, settings, tools,
                    onlyOurStopHook(), null, TurnTracker.continuing(current.tracker(), answered));
            turn.outcome().thenAccept(this::turnEnded);
            current = turn;
            turn.start();
            if (relay != null) {
                List<RequestAmendment> amendments = new ArrayList<>(nextCall);
                if (open.size() > 1) { // the CLI lists parallel results as their answers reach it: the model's order
                    amendments.add(new RequestAmendment.OrderToolResults(List.copyOf(answered)));
                }
                relay.amendNextMainCall(amendments);
            }
            for (int i = 0; i < open.size(); i++) {
                if (!open.get(i).complete(answers.get(i))) { // timed out or cancelled this instant
                    signals.add(new SessionSignal.InputLost("the client's result for " + open.get(i).toolUseId().orElseThrow()
                            + " came after its call had ended"));
                }
            }
            return turn.events();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Interrupts the running turn (ESC, once the CLI has taken the prompt); its event stream goes on
     * to the CLI's interrupt note and a result marked {@code interrupted}. Does nothing between turns.
     * Closing the stream early does the same and also waits for the end.
     */
    public void interrupt() {
        lock.lock();
        try {
            if (current != null && !current.isDone()) {
                signals.add(new SessionSignal.StopRequested());
            }
        } finally {
            lock.unlock();
        }
    }

    private String unusableBecause() {
        if (brokenBecause != null) {
            return "session " + sessionId + " cannot take another turn: " + brokenBecause;
        }
        if (!process.isAlive()) {
            OptionalInt code = process.exitCode();
            return "the CLI of session " + sessionId + " (pid " + process.pid() + ") has exited"
                    + (code.isPresent() ? " with status " + code.getAsInt() : "");
        }
        TailProblem problem = tailProblem;
        if (problem != null) {
            return "the transcript of session " + sessionId + " can no longer be followed: " + problem.message();
        }
        return null;
    }

    private ResultMessage failed(String why) {
        return new ResultMessage(sessionId, Duration.ZERO, 0, Usage.ZERO, "", null, new TurnError.SessionFailed(why), false);
    }

    /**
     * A failed turn that leaves the CLI in an unknown state ends the session: the pool will drop it.
     * Runs on the turn's thread before the result is handed over; the process is stopped on another
     * thread so the result is not held up.
     */
    private void turnEnded(Turn.Outcome outcome) {
        if (outcome.sessionUsable() && !outcome.awaiting().isEmpty()) {
            lock.lock();
            try {
                awaiting = outcome.awaiting();
            } finally {
                lock.unlock();
            }
            toolStats.handedOut(outcome.awaiting().size());
            for (PendingToolCall call : outcome.awaiting()) {
                call.ended().thenAccept(ended -> toolCallEnded(call, ended));
            }
            return;
        }
        if (outcome.sessionUsable()) {
            return;
        }
        brokenBecause = outcome.result().errorText();
        LOG.log(System.Logger.Level.INFO, "session {0} (pid {1}) is unusable after a failed turn; stopping it",
                sessionId, process.pid());
        Thread.ofVirtual().name("claude-stop " + sessionId).start(process::close);
    }

    /**
     * A call the session still awaited ended without the client's result: timed out (the CLI got an error result
     * and goes on without the client) or given up by the CLI. The session is stopped: it never serves again.
     */
    private void toolCallEnded(PendingToolCall call, CallOutcome ended) {
        if (ended instanceof CallOutcome.Completed || ended instanceof CallOutcome.Failed) {
            return; // answered by the client, or failed because the session closes
        }
        lock.lock();
        try {
            if (closed || !awaiting.contains(call)) {
                return;
            }
            awaiting = List.of();
            brokenBecause = ended instanceof CallOutcome.TimedOut
                    ? "the client's result for " + call.toolUseId().orElse("a tool call") + " did not come in time"
                    : "the CLI gave up the call for " + call.toolUseId().orElse("a tool call") + " while it awaited the client";
        } finally {
            lock.unlock();
        }
        if (ended instanceof CallOutcome.TimedOut) {
            toolStats.timedOut();
        }
        LOG.log(System.Logger.Level.INFO, "session {0} (pid {1}): {2}; stopping it", sessionId, process.pid(),
                brokenBecause);
        Thread.ofVirtual().name("claude-stop " + sessionId).start(process::close);
    }

    private Turn.Terminal terminal() {
        return new Turn.Terminal() {
            @Override
            public void typePrompt(PromptEncoder.Encoded prompt) throws IOException {
                process.typePrompt(prompt);
            }

            @Override
            public void pressEnter() throws IOException {
                process.pressEnter();
            }

            @Override
            public void interrupt() throws IOException {
                process.interrupt();
            }

            @Override
            public boolean clearInput() throws IOException {
                return process.clearInput(CLEAR_INPUT_TIMEOUT);
            }

            @Override
            public boolean inputHoldsText() {
                return process.inputHoldsText();
            }

            @Override
            public String screen() {
                return process.screen();
            }
        };
    }

    private void openTailOnce() {
        if (tail != null) {
            return;
        }
        TailOptions options = TailOptions.DEFAULTS.withFileWaitTimeout(settings.timeouts().fileWaitTimeout());
        tail = TranscriptTail.open(transcript, startOffset, options,
                new TranscriptFeed(sessionId, parser, signals, settings.onParseError(), problem -> tailProblem = problem));
    }

    /** Through the session's relay, which applies them to each main-loop request it forwards from now on. */
    @Override
    public void amendEveryMainCall(List<RequestAmendment> amendments) {
        if (amendments.isEmpty()) {
            return;
        }
        if (relay == null) {
            throw new UnsupportedOperationException("session " + sessionId + " has no model-API relay to amend its requests");
        }
        relay.amendEveryMainCall(amendments);
    }

    @Override
    public String screen() {
        return process.screen();
    }

    /**
     * Ends a running turn (its result is an error), stops the tail, hangs up the CLI (which ends its
     * tools) and reaps it. Idempotent.
     */
    @Override
    public void close() {
        Turn turn;
        TranscriptTail openTail;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            turn = current;
            openTail = tail;
        } finally {
            lock.unlock();
        }
        if (turn != null && !turn.isDone()) {
            signals.add(new SessionSignal.Closing());
            turn.awaitEnd(CLOSE_WAIT);
        }
        try {
            if (openTail != null) {
                openTail.close();
            }
        } finally {
            try {
                process.close();
            } finally {
                if (relay != null) {
                    relay.close();
                }
            }
        }
        LOG.log(System.Logger.Level.DEBUG, "session {0} (pid {1}) closed", sessionId, process.pid());
    }

    @Override
    public String toString() {
        return "CliSession[" + sessionId + ", pid " + process.pid() + (isAlive() ? ", alive]" : ", not alive]");
    }
}
