package claude.code.api.session;

import java.io.IOException;
import java.time.Duration;

/**
 * Interrupting a turn with ESC: when the caller stops the turn (once the CLI has taken the prompt), when it overruns,
 * or when a dialog blocks it. One ESC per turn: a second one soon after could open the CLI's rewind menu at an idle
 * prompt. After it the interrupt should show in the transcript within {@code interruptTimeout}
 * ({@link #deadline}); what the turn then reports is the {@link Turn}'s. Used by the turn's driver thread only.
 */
final class TurnInterrupt {
    private static final System.Logger LOG = System.getLogger(TurnInterrupt.class.getName());
    private static final long NONE = Long.MAX_VALUE;

    private final String sessionId;
    private final Turn.Terminal terminal;
    private final Duration timeout;
    private boolean stopRequested;
    private boolean escSent;
    private long deadline = NONE;

    TurnInterrupt(String sessionId, Turn.Terminal terminal, Duration timeout) {
        this.sessionId = sessionId;
        this.terminal = terminal;
        this.timeout = timeout;
    }

    /**
     * The caller closed the turn's stream early: ESC now if the CLI has taken the prompt, otherwise once it does
     * ({@link #promptAccepted}).
     */
    void stopRequested(long now, boolean promptAccepted) {
        stopRequested = true;
        if (promptAccepted) {
            sendEscape(now);
        }
    }

    /** The CLI has taken the prompt: the ESC a stop request waited for. */
    void promptAccepted(long now) {
        if (stopRequested) {
            sendEscape(now);
        }
    }

    /** Presses ESC, once per turn; the interrupt should show within the timeout from now. */
    void sendEscape(long now) {
        if (escSent) {
            return;
        }
        escSent = true;
        deadline = now + timeout.toNanos();
        try {
            terminal.interrupt();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "session {0}: ESC failed: {1}", sessionId, e.getMessage());
        }
    }

    boolean escSent() {
        return escSent;
    }

    /** When the interrupt should have shown in the transcript; {@link Long#MAX_VALUE} before the ESC. */
    long deadline() {
        return deadline;
    }
}
