package claude.code.api.session;

import claude.code.api.cli.PromptEncoder;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;

/**
 * Getting one prompt into the CLI: the pastes are typed on a thread of their own (a 60 KB prompt
 * takes seconds), then Enter, and Enter again every {@link SessionSettings#enterRetryInterval()}
 * until the prompt is accepted (docs/PROMPT-ENCODING.md): an Enter that reaches the TUI while it
 * still takes in the pastes is lost, and an extra Enter on the empty prompt of a busy CLI submits
 * nothing. The {@link Turn} that owns it says when the prompt was accepted (its echo in the
 * transcript, or the status file turning {@code busy} after the first Enter) and gives up when
 * {@link #timedOut} says so. Used by the turn's driver thread only.
 *
 * <p>A turn that continues after the client's tool results ({@link #none}) types nothing: the CLI's turn is
 * already running, it only waited for the held tool calls, so the submission is accepted from the start.
 */
final class PromptSubmission {
    private static final System.Logger LOG = System.getLogger(PromptSubmission.class.getName());
    private static final long NONE = Long.MAX_VALUE;

    private final String sessionId;
    private final Turn.Terminal terminal;
    private final PromptEncoder.Encoded prompt;
    private final Duration submitTimeout;
    private final Duration enterRetryInterval;

    private boolean typed;
    private long firstEnterMillis;
    private int enters;
    private long nextEnter = NONE;
    private long submitDeadline = NONE;
    private boolean accepted;

    PromptSubmission(String sessionId, Turn.Terminal terminal, PromptEncoder.Encoded prompt, SessionSettings settings) {
        this.sessionId = sessionId;
        this.terminal = terminal;
        this.prompt = prompt;
        this.submitTimeout = settings == null ? Duration.ZERO : settings.submitTimeout();
        this.enterRetryInterval = settings == null ? Duration.ZERO : settings.enterRetryInterval();
    }

    /** Nothing to type: the turn goes on where the CLI already is (after the client's tool results). */
    static PromptSubmission none(String sessionId, Turn.Terminal terminal) {
        PromptSubmission s = new PromptSubmission(sessionId, terminal, null, (SessionSettings) null);
        s.typed = true;
        s.accepted = true;
        s.firstEnterMillis = System.currentTimeMillis();
        return s;
    }

    /** Types the pastes on a virtual thread; {@code signals} then gets {@code Typed} or {@code TypingFailed}. */
    void startTyping(BlockingQueue<SessionSignal> signals) {
        if (prompt == null) {
            return; // nothing to type (none())
        }
        LOG.log(System.Logger.Level.DEBUG, "session {0}: typing a prompt of {1} chars ({2} bytes of keys)", sessionId,
                prompt.text().length(), prompt.byteCount());
        Thread.ofVirtual().name("claude-typist " + sessionId).start(() -> {
            try {
                terminal.typePrompt(prompt);
                signals.add(new SessionSignal.Typed());
            } catch (IOException e) {
                signals.add(new SessionSignal.TypingFailed(e));
            }
        });
    }

    /** The pastes are all in the terminal: the first Enter, and the submit timeout starts. */
    void typed(long now) {
        typed = true;
        firstEnterMillis = System.currentTimeMillis();
        submitDeadline = now + submitTimeout.toNanos();
        pressEnter(now);
    }

    /** The CLI has taken the prompt: no more Enter. */
    void accepted(String how, long turnStartNanos) {
        accepted = true;
        nextEnter = NONE;
        submitDeadline = NONE;
        LOG.log(System.Logger.Level.DEBUG, "session {0}: prompt accepted after {1} ms and {2} Enter presses, seen by {3}",
                sessionId, (System.nanoTime() - turnStartNanos) / 1_000_000, enters, how);
    }

    /** Presses Enter again when its interval has passed without the prompt being accepted. */
    void retryEnter(long now) {
        if (waiting() && now - nextEnter >= 0) {
            pressEnter(now);
        }
    }

    /** Typed, not accepted, and the submit timeout has passed. */
    boolean timedOut(long now) {
        return waiting() && now - submitDeadline >= 0;
    }

    /** Why {@link #timedOut}, for the turn's error. */
    String timeoutReason() {
        return "the CLI did not accept the prompt within " + submitTimeout + " (" + enters + " Enter presses)";
    }

    /** The next time something is due (an Enter, the timeout); {@link Long#MAX_VALUE} for none. */
    long nextDeadline() {
        return Math.min(nextEnter, submitDeadline);
    }

    boolean typed() {
        return typed;
    }

    boolean accepted() {
        return accepted;
    }

    /** When the first Enter was pressed (wall clock: the status file's timestamps are). */
    long firstEnterMillis() {
        return firstEnterMillis;
    }

    private boolean waiting() {
        return typed && !accepted;
    }

    private void pressEnter(long now) {
        try {
            terminal.pressEnter();
            enters++;
            LOG.log(System.Logger.Level.DEBUG, "session {0}: Enter {1} pressed", sessionId, enters);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "session {0}: Enter failed: {1}", sessionId, e.getMessage());
        }
        nextEnter = now + enterRetryInterval.toNanos();
    }
}
