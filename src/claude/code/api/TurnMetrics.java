package claude.code.api;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The backend's turn counters (the pool keeps its own); lock-free. */
final class TurnMetrics {
    final AtomicLong turns = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong interrupted = new AtomicLong();
    final AtomicLong exhausted = new AtomicLong();
    final AtomicLong nanos = new AtomicLong();
    final AtomicLong maxNanos = new AtomicLong();

    void completed(Duration d) {
        long n = d.toNanos();
        turns.incrementAndGet();
        nanos.addAndGet(n);
        maxNanos.accumulateAndGet(n, Math::max);
    }
}
