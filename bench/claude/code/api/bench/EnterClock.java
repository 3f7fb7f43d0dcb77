package claude.code.api.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * When the library pressed Enter in a turn, on the bench's {@link System#nanoTime()} clock: the library's own DEBUG
 * record of the press ({@code PromptSubmission}, through java.util.logging) carries its instant, which {@link #mark}
 * ties to a nano time taken beside it. This splits a warm turn into the CLI's part (Enter → its request) and the
 * library's (the rest) without a hook in the library for a benchmark. Turns must run one at a time.
 */
final class EnterClock implements AutoCloseable {
    private static final String LOGGER = "claude.code.api.session.PromptSubmission";
    /** The press's record: its pattern, before the parameters are filled in. */
    private static final String PRESSED = "Enter {1} pressed";

    private final Logger logger = Logger.getLogger(LOGGER);
    private final Level levelBefore = logger.getLevel();
    private final boolean parentBefore = logger.getUseParentHandlers();
    private final ConcurrentLinkedQueue<Instant> presses = new ConcurrentLinkedQueue<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getMessage() != null && r.getMessage().endsWith(PRESSED)) {
                presses.add(r.getInstant());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private long markNanos;
    private Instant markInstant;

    EnterClock() {
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
        logger.setLevel(Level.FINE); // System.Logger's DEBUG
        logger.setUseParentHandlers(false); // the bench's console stays as it was
    }

    /** A turn starts now: forgets earlier presses and ties the two clocks together. */
    long mark() {
        presses.clear();
        markInstant = Instant.now();
        markNanos = System.nanoTime();
        return markNanos;
    }

    /** The turn's first Enter since {@link #mark}, in nano time; fails when the library recorded none. */
    long firstEnterNanos() {
        Instant first = presses.peek();
        if (first == null) {
            throw new IllegalStateException("no Enter was recorded by " + LOGGER + " (its DEBUG record '" + PRESSED
                    + "' changed?)");
        }
        return markNanos + Duration.between(markInstant, first).toNanos();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(levelBefore);
        logger.setUseParentHandlers(parentBefore);
    }
}
