package claude.code.api.session;

import claude.code.api.events.ApiError;
import claude.code.api.events.AssistantMessage;
import claude.code.api.events.ContentBlock;
import claude.code.api.events.Event;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.StreamEvent;
import claude.code.api.events.SystemMessage;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.RedactedThinkingBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.TurnError;
import claude.code.api.events.Usage;
import claude.code.api.events.UserMessage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one turn's transcript records mean, record by record: no I/O, no clock, so it can be fed
 * recorded transcripts in tests. The driver ({@link Turn}) adds time.
 *
 * <p>A turn starts at the echo of its prompt (a user record with string content): everything
 * before it belongs to earlier turns or to start-up and is ignored. It ends in one of three shapes
 * ({@code docs/CLI-BEHAVIOUR.md#end-of-turn}):
 * <ul>
 *   <li><b>completed</b>: a model message with a final stop reason and no tool use left without
 *       its result, confirmed by {@code system}/{@code turn_duration} (written in the same batch);
 *   <li><b>API error</b>: an assistant record flagged {@code isApiErrorMessage}; no {@code turn_duration};
 *   <li><b>interrupted</b>: a user note {@code [Request interrupted by user…]}; no {@code turn_duration}.
 * </ul>
 * A thinking record carries the final stop reason too, although its text record follows, so a
 * completion is only a {@linkplain Step#completes() candidate} until {@code turn_duration} comes.
 *
 * <p>With the model-API relay, a main-loop call's whole message comes from the relay first
 * ({@link #offerRelayed}); the transcript's records of the same message id are then skipped, and the
 * transcript stays the fall-back for every message the relay did not deliver (an interrupted
 * response, a non-streamed retry). An upstream error the relay saw ({@link #relayError}) is the
 * turn's error when the turn fails: it is what the API said, where the transcript has the CLI's text.
 *
 * <p>A turn that goes on after the client's tool results ({@link #continuing}) has no echo: it starts at once,
 * and it never emits the transcript's records of the client's calls (the message that made them, held in the
 * transcript until the results came back, and the user record of the results): the client has both already.
 */
final class TurnTracker {
    static final String INTERRUPT_NOTE = "[Request interrupted by user";
    static final String TURN_DURATION = "turn_duration";
    private static final Set<String> FINAL_STOP_REASONS = Set.of("end_turn", "stop_sequence");

    /** What the driver does with one record. */
    enum Step {
        /** Before the echo: not part of this turn. */
        IGNORE,
        /** Part of the turn; more to come. */
        EMIT,
        /** Part of the turn, and the turn may be complete (wait for {@code turn_duration}). */
        EMIT_MAY_COMPLETE,
        /** Part of the turn, and its last record. */
        EMIT_AND_END;

        boolean emits() {
            return this != IGNORE;
        }

        boolean completes() {
            return this == EMIT_MAY_COMPLETE;
        }
    }

    private final String sessionId;
    private boolean started;
    private boolean ended;
    private final Set<String> pendingToolUses = new LinkedHashSet<>();
    /** Usage per model message: every block record of a message repeats the message's usage. */
    private final Map<String, Usage> usageByMessage = new LinkedHashMap<>();
    private int anonymousMessages;
    private String lastMessageId;
    private final StringBuilder lastText = new StringBuilder();
    private String lastStopReason;
    private boolean lastEndsWithThinking;
    private ApiError apiError;
    private boolean interrupted;
    private boolean completed;
    private final Set<String> relayedIds = new LinkedHashSet<>();
    private boolean lastRelayed;
    private ApiError relayError;
    /** The tool_use ids the client answered: their result records are the client's own, never emitted. */
    private final Set<String> clientAnswered = new LinkedHashSet<>();

    TurnTracker(String sessionId) {
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
    }

    /**
     * The tracker of the turn that goes on after the client answered {@code answered} of {@code previous}'s last
     * message: started already, and skipping the records of that message and of the client's results.
     */
    static TurnTracker continuing(TurnTracker previous, Set<String> answered) {
        TurnTracker t = new TurnTracker(previous.sessionId);
        t.started = true;
        t.relayedIds.addAll(previous.relayedIds);
        if (previous.lastMessageId != null) {
            t.relayedIds.add(previous.lastMessageId);
        }
        t.clientAnswered.addAll(answered);
        return t;
    }

    /** The prompt's echo has been seen. */
    boolean started() {
        return started;
    }

    /** The turn has ended (API error, interrupt note or {@code turn_duration}). */
    boolean ended() {
        return ended;
    }

    Step offer(Event event) {
        if (ended) {
            return Step.IGNORE;
        }
        if (!started) {
            if (event instanceof UserMessage u && u.prompt()) {
                started = true;
                return Step.EMIT;
            }
            return Step.IGNORE;
        }
        return switch (event) {
            case AssistantMessage a when a.messageId() != null && relayedIds.contains(a.messageId()) -> Step.IGNORE;
            case AssistantMessage a -> assistant(a);
            case UserMessage u -> user(u);
            case SystemMessage s -> {
                if (TURN_DURATION.equals(s.subtype())) {
                    completed = true;
                    yield end();
                }
                yield Step.EMIT;
            }
            case ResultMessage r -> Step.IGNORE; // never in a transcript
            case StreamEvent p -> Step.IGNORE; // from the relay, never in a transcript; the turn's end is the records'
        };
    }

    /**
     * A main-loop call's whole message, from the relay: part of the turn even before the echo (the
     * call itself shows the prompt was taken), and its transcript records are skipped from now on.
     */
    Step offerRelayed(AssistantMessage a) {
        if (ended) {
            return Step.IGNORE;
        }
        relayError = null; // a call got through: an earlier call's error was retried away
        Step step = assistant(a);
        if (a.messageId() != null) {
            relayedIds.add(a.messageId());
        }
        lastRelayed = true;
        return step;
    }

    /** A main-loop call failed upstream; if the turn fails, this is why. */
    void relayError(ApiError error) {
        relayError = error;
    }

    /** The upstream error the relay saw last in this turn, or {@code null}. */
    ApiError relayError() {
        return relayError;
    }

    /** A tool use of the turn waits for its result. */
    boolean awaitsToolResults() {
        return !pendingToolUses.isEmpty();
    }

    /** The last model message of the turn so far came from the relay. */
    boolean lastMessageRelayed() {
        return lastRelayed;
    }

    private Step assistant(AssistantMessage a) {
        lastRelayed = false;
        if (a.isApiError()) {
            apiError = a.apiError();
            return end();
        }
        String id = a.messageId() != null ? a.messageId() : "(no id " + ++anonymousMessages + ")";
        if (!id.equals(lastMessageId)) {
            lastMessageId = id;
            lastText.setLength(0);
        }
        usageByMessage.put(id, a.usage());
        lastText.append(a.text());
        lastStopReason = a.stopReason();
        for (ContentBlock block : a.content()) {
            if (block instanceof ToolUseBlock use) {
                pendingToolUses.add(use.id());
            }
        }
        ContentBlock last = a.content().isEmpty() ? null : a.content().getLast();
        lastEndsWithThinking = last instanceof ThinkingBlock || last instanceof RedactedThinkingBlock;
        return mayComplete() ? Step.EMIT_MAY_COMPLETE : Step.EMIT;
    }

    private Step user(UserMessage u) {
        if (!clientAnswered.isEmpty() && u.hasToolResult() && u.content().stream()
                .allMatch(b -> b instanceof ToolResultBlock r && clientAnswered.contains(r.toolUseId()))) {
            return Step.IGNORE; // the client's own results, as the CLI recorded them
        }
        for (ContentBlock block : u.content()) {
            if (block instanceof ToolResultBlock result) {
                pendingToolUses.remove(result.toolUseId());
            }
        }
        if (!u.prompt() && !u.meta() && u.text().startsWith(INTERRUPT_NOTE)) {
            interrupted = true;
            return end();
        }
        return Step.EMIT;
    }

    private Step end() {
        ended = true;
        return Step.EMIT_AND_END;
    }

    /** The last model message has a final stop reason and every tool use has its result. */
    boolean mayComplete() {
        return lastStopReason != null && !lastStopReason.equals("tool_use") && pendingToolUses.isEmpty();
    }

    /**
     * The last model message came from the relay, whole, and ends the turn unless a {@code Stop} hook makes the CLI go
     * on: a stop reason after which the CLI makes no call of its own ({@code end_turn}, {@code stop_sequence};
     * {@code max_tokens} and {@code pause_turn} may be continued) and no tool use waits for its result.
     */
    boolean endsForSure() {
        return lastRelayed && mayComplete() && FINAL_STOP_REASONS.contains(lastStopReason) && apiError == null;
    }

    /**
     * A completion candidate that is surely the last record even without {@code turn_duration}: its
     * last block is not thinking (a thinking record is always followed by the message's text).
     */
    boolean completesWithoutTurnDuration() {
        return mayComplete() && !lastEndsWithThinking;
    }

    /** Model messages so far (API round trips that produced a message). */
    int apiCalls() {
        return usageByMessage.size();
    }

    /**
     * The turn's result. {@code failure} non-null makes it an error whatever the records say
     * (timeouts, the process exiting, a blocked screen); otherwise an API error record makes it one.
     */
    ResultMessage result(Duration duration, TurnError failure, boolean interruptedAnyway) {
        Usage usage = usageByMessage.values().stream().reduce(Usage.ZERO, Usage::plus);
        boolean isInterrupted = interrupted || interruptedAnyway;
        TurnError error = failure != null ? failure
                : apiError != null ? new TurnError.ApiFailed(relayError != null ? relayError : apiError) : null;
        String stopReason = isInterrupted ? null : lastStopReason;
        return new ResultMessage(sessionId, duration, apiCalls(), usage, lastText.toString(), stopReason, error,
                isInterrupted);
    }

    /** The turn completed (confirmed or not by {@code turn_duration}): not an error, not interrupted. */
    boolean completedNormally() {
        return completed || (!interrupted && apiError == null && mayComplete());
    }

    boolean interrupted() {
        return interrupted;
    }

    ApiError apiError() {
        return apiError;
    }
}
