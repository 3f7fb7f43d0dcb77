package claude.code.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackendMetricsTest {
    static BackendMetrics metrics(long n, Duration max, int live) {
        return new BackendMetrics(n, n, n, n, n, n, n, n, n, n, n, Duration.ofSeconds(n), max, Duration.ofSeconds(n), max,
                live, live, live, live, live, live, live, n, n);
    }

    @Test
    void snapshotsOfSeveralBackendsAddUpWithTheLargerMaxima() {
        BackendMetrics sum = metrics(1, Duration.ofSeconds(5), 1).plus(metrics(2, Duration.ofSeconds(3), 4));
        assertEquals(new BackendMetrics(3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, Duration.ofSeconds(3), Duration.ofSeconds(5),
                Duration.ofSeconds(3), Duration.ofSeconds(5), 5, 5, 5, 5, 5, 5, 5, 3, 3), sum);
        assertEquals(sum, BackendMetrics.ZERO.plus(sum));
    }

    @Test
    void theCountersOfAClosedBackendKeepNoGauge() {
        assertEquals(metrics(2, Duration.ofSeconds(1), 0), metrics(2, Duration.ofSeconds(1), 7).counters());
    }
}
