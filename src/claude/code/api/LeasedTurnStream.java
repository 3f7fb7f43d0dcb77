package claude.code.api;

import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.Message;
import claude.code.api.events.ResultMessage;
import claude.code.api.history.Fingerprint;
import claude.code.api.history.TurnSynthesis;
import claude.code.api.pool.SessionPool;
import claude.code.api.session.ClaudeSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One turn on a leased session, as the backend's caller sees it: the session's events passed through
 * and collected, and the lease settled at the end.
 * The session's fate is settled exactly once:
 * <ul>
 *   <li>the {@link ResultMessage} arrives, not an error, not interrupted, the process alive: the
 *       session goes back to the pool under the views of the new history, before the result
 *       is handed out (so a follow-up request finds it); a session that ended the turn at the client's
 *       tool calls ({@link ClaudeSession#awaitedToolUseIds()}) is pooled under the history with that
 *       message ({@link Fingerprint#awaitingKeys}), where only the request with their results finds it;
 *   <li>an error result, a dead process, an exception, or the stream ending without a result:
 *       the session is closed;
 *   <li>the caller closes the stream before the result: the session's stream interrupts the
 *       turn and the session is closed. Its CLI history now holds a partial answer the client
 *       never saw, so it matches no history a client will send; a new session seeded from the
 *       client's history is cheaper than the risk of answering from a diverged context.
 * </ul>
 */
final class LeasedTurnStream implements EventStream {
    private static final System.Logger LOG = System.getLogger(LeasedTurnStream.class.getName());

    private final EventStream turn;
    private final SessionPool.Lease<ClaudeSession> lease;
    private final List<Message> conversation;
    private final TurnMetrics metrics;
    private final List<Event> events = new ArrayList<>();
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile boolean ended;
    /** The caller closes the stream: a reader that sees it end meanwhile counts an interrupt, not a failure. */
    private volatile boolean closing;

    LeasedTurnStream(EventStream turn, SessionPool.Lease<ClaudeSession> lease, List<Message> conversation, TurnMetrics metrics) {
        this.turn = turn;
        this.lease = lease;
        this.conversation = conversation;
        this.metrics = metrics;
    }

    @Override
    public boolean hasNext() {
        if (ended) {
            return false;
        }
        boolean more = read(turn::hasNext);
        if (!more) {
            fail("the turn ended without a result");
        }
        return more;
    }

    @Override
    public boolean awaitNext(Duration timeout) {
        return ended || read(() -> turn.awaitNext(timeout));
    }

    @Override
    public Event next() {
        if (ended) {
            throw new NoSuchElementException("the turn has ended");
        }
        Event event = read(turn::next);
        events.add(event);
        if (event instanceof ResultMessage result) {
            ended = true;
            finish(result);
        }
        return event;
    }

    @Override
    public void close() {
        if (settled.get()) {
            return;
        }
        closing = true;
        try {
            turn.close(); // interrupts the turn
        } finally {
            if (settled.compareAndSet(false, true)) {
                ended = true;
                metrics.interrupted.incrementAndGet();
                LOG.log(System.Logger.Level.INFO, "turn on session {0} closed before its end; closing the session",
                        lease.sessionId());
                lease.discard();
            }
        }
    }

    /** A call into the session's stream; one that throws settles the turn as failed. */
    private <T> T read(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            fail("the turn failed: " + e.getClass().getSimpleName());
            throw e;
        }
    }

    private void finish(ResultMessage result) {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        boolean good = !result.isError() && !result.interrupted();
        try {
            turn.close(); // the turn is over: frees what the stream holds
            if (good && lease.session().isAlive()) {
                boolean awaits = !lease.session().awaitedToolUseIds().isEmpty();
                Set<String> keys = awaits ? Fingerprint.awaitingKeys(conversation, lastAssistantMessage())
                        : Fingerprint.registrationKeys(conversation, TurnSynthesis.synthesize(events));
                lease.release(keys);
                metrics.completed(result.duration());
                LOG.log(System.Logger.Level.DEBUG, "turn on session {0} done; pooled under {1} keys",
                        lease.sessionId(), keys.size());
                return;
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "pooling session " + lease.sessionId() + " failed; closing it", e);
        }
        if (result.interrupted()) {
            metrics.interrupted.incrementAndGet();
        } else {
            metrics.failed.incrementAndGet();
        }
        LOG.log(System.Logger.Level.INFO, "turn on session {0} ended {1}; closing the session", lease.sessionId(),
                result.isError() ? "in an error" : result.interrupted() ? "interrupted" : "with the process gone");
        lease.discard();
    }

    /** The message the turn ended with for the client (its tool_use blocks under the client's names). */
    private Message lastAssistantMessage() {
        for (Event e : events.reversed()) {
            if (e instanceof claude.code.api.events.AssistantMessage a) {
                return new Message(Message.Role.ASSISTANT, a.content());
            }
        }
        throw new IllegalStateException("a turn that ended at the client's tool calls has no assistant message");
    }

    private void fail(String why) {
        ended = true;
        if (settled.compareAndSet(false, true)) {
            (closing ? metrics.interrupted : metrics.failed).incrementAndGet();
            LOG.log(System.Logger.Level.INFO, "turn on session {0}: {1}; closing the session", lease.sessionId(),
                    closing ? "closed before its end" : why);
            try {
                turn.close();
            } finally {
                lease.discard();
            }
        }
    }
}
