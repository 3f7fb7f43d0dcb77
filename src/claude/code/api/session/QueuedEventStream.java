package claude.code.api.session;

import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.ResultMessage;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The consumer's side of one turn: the events the turn's driver puts in a queue, ending with the result.
 * One consumer thread; {@link #close()} may come from any thread.
 */
final class QueuedEventStream implements EventStream {
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Runnable stopTurn;
    private Event next;
    private boolean resultDelivered;
    private volatile boolean closed;

    /** @param stopTurn interrupts the turn and waits (bounded) for it to end; called on an early close */
    QueuedEventStream(Runnable stopTurn) {
        this.stopTurn = stopTurn;
    }

    /** Driver side: the next event; the last one is the result. */
    void push(Event event) {
        events.add(event);
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (closed || resultDelivered) {
            return false;
        }
        try {
            next = events.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the turn's next event", e);
        }
        return true;
    }

    @Override
    public boolean awaitNext(Duration timeout) {
        if (next != null || closed || resultDelivered) {
            return true;
        }
        try {
            next = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the turn's next event", e);
        }
        return next != null;
    }

    @Override
    public Event next() {
        if (!hasNext()) {
            throw new NoSuchElementException(closed ? "the event stream is closed" : "the turn has ended");
        }
        Event event = next;
        next = null;
        if (event instanceof ResultMessage) {
            resultDelivered = true;
        }
        return event;
    }

    /** Before the result: interrupts the turn and waits for it to end (bounded). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!resultDelivered) {
            stopTurn.run();
        }
    }
}
