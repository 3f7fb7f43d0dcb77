package claude.code.api.session;

import claude.code.api.events.ResultMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Relayed events of a call that follows a tool use, held until the transcript has the tool's result:
 * the relay is ~150 ms ahead of the transcript, and the stream keeps the turn's order (the result
 * before the next call's answer). Released at the result ({@link #release}), or after {@code turnDurationTimeout}
 * ({@link #releaseIfOverdue}); either replays them, in order, through the turn's own handling of a signal. Used by
 * the {@link Turn}'s driver thread only.
 */
final class HeldRelaySignals {
    private static final System.Logger LOG = System.getLogger(HeldRelaySignals.class.getName());
    private static final long NONE = Long.MAX_VALUE;

    private final String sessionId;
    private final TurnTracker tracker;
    /** How long a tool result may take to reach the transcript: {@code turnDurationTimeout}. */
    private final Duration wait;
    /** The turn's handling of one signal: the turn's result when it ends it, or null. */
    private final Function<SessionSignal, ResultMessage> handle;
    private final List<SessionSignal> held = new ArrayList<>();
    private long deadline = NONE;
    /** Set while held signals are handled after their wait ran out: they are not held again. */
    private boolean forceRelease;

    HeldRelaySignals(String sessionId, TurnTracker tracker, Duration wait, Function<SessionSignal, ResultMessage> handle) {
        this.sessionId = sessionId;
        this.tracker = tracker;
        this.wait = wait;
        this.handle = handle;
    }

    /** Holds a relayed signal while a tool use waits for its result in the transcript; true if held. */
    boolean hold(SessionSignal signal, long now) {
        if (forceRelease || held.isEmpty() && !tracker.awaitsToolResults()) {
            return false;
        }
        if (held.isEmpty()) {
            deadline = now + wait.toNanos();
        }
        held.add(signal);
        return true;
    }

    /** Replays the held signals in order (their tool results are in, or waited for long enough). */
    ResultMessage release() {
        List<SessionSignal> replay = new ArrayList<>(held);
        held.clear();
        deadline = NONE;
        for (int i = 0; i < replay.size(); i++) {
            ResultMessage end = handle.apply(replay.get(i));
            if (end != null) {
                return end;
            }
            if (!held.isEmpty()) { // another tool round began: keep the rest behind it, in order
                held.addAll(replay.subList(i + 1, replay.size()));
                return null;
            }
        }
        return null;
    }

    /** Once the wait for the tool's result has run out: replays every held signal, none held again. */
    ResultMessage releaseIfOverdue(long now) {
        if (deadline == NONE || now - deadline < 0) {
            return null;
        }
        LOG.log(System.Logger.Level.DEBUG, "session {0}: no tool result in the transcript within {1}; releasing the"
                + " relayed events", sessionId, wait);
        forceRelease = true; // so none is held again, and release() replays them all
        try {
            return release();
        } finally {
            forceRelease = false;
        }
    }

    /** When the wait for the tool's result runs out; {@link Long#MAX_VALUE} while nothing is held. */
    long deadline() {
        return deadline;
    }
}
