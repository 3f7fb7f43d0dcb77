package claude.code.api.events;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The events of one turn, in order, the last one a {@link ResultMessage}. {@link #hasNext()}
 * blocks until the next event (cheap on a virtual thread); {@link #awaitNext(Duration)} waits
 * with a bound. Closing before the end interrupts the turn; always close it (try-with-resources).
 */
public interface EventStream extends Iterator<Event>, AutoCloseable {

    /**
     * Waits at most {@code timeout} for the next event or the end of the stream, so that a reader
     * can do something else while none comes (a streaming server writes its keep-alive) without a
     * thread of its own. Consumes nothing.
     *
     * <pre>{@code
     * while (true) {
     *     if (!turn.awaitNext(Duration.ofSeconds(10))) { keepAlive(); continue; }
     *     if (!turn.hasNext()) break;    // answers at once now
     *     write(turn.next());
     * }
     * }</pre>
     *
     * @return true when {@link #hasNext()} will answer without blocking (an event is there, or the
     *     stream has ended or been closed); false when neither happened within {@code timeout}
     * @throws IllegalStateException when the waiting thread is interrupted (its interrupt flag is set
     *     again), as {@link #hasNext()}
     */
    boolean awaitNext(Duration timeout);

    @Override
    void close();

    /** A sequential stream over the remaining events; closing it closes this. */
    default Stream<Event> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::close);
    }

    /** Reads to the end and returns the result. */
    default ResultMessage result() {
        Event last = null;
        while (hasNext()) {
            last = next();
        }
        if (last instanceof ResultMessage result) {
            return result;
        }
        throw new IllegalStateException("the turn ended without a result");
    }

    /** A finished turn from a list of events (for tests and replays). */
    static EventStream of(List<? extends Event> events) {
        Iterator<? extends Event> it = List.copyOf(events).iterator();
        return new EventStream() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public boolean awaitNext(Duration timeout) {
                return true;
            }

            @Override
            public Event next() {
                if (!it.hasNext()) {
                    throw new NoSuchElementException();
                }
                return it.next();
            }

            @Override
            public void close() {}
        };
    }
}
