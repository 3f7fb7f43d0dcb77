package claude.code.api.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A bounded wait on a latch for test doubles whose methods cannot throw InterruptedException. */
public final class Latches {
    private Latches() {}

    /**
     * @return whether the latch opened within {@code timeout}
     * @throws IllegalStateException when interrupted (the flag is set again), as an event stream's wait does
     */
    public static boolean await(CountDownLatch latch, Duration timeout) {
        try {
            return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
