package claude.code.api.pool;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of a {@link SessionPool}.
 *
 * @param maxSessions live sessions at most (idle + active + being spawned), at least 1
 * @param idleTtl an idle session unused this long is closed; positive
 * @param acquireTimeout how long a request may wait for capacity; zero fails at once when full
 * @param sweepInterval how often a background thread closes expired and dead idle sessions;
 *     {@link Duration#ZERO} starts no thread (sweeps then happen only on acquire and release)
 */
public record PoolConfig(int maxSessions, Duration idleTtl, Duration acquireTimeout, Duration sweepInterval) {
    public PoolConfig {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1, got " + maxSessions);
        }
        Objects.requireNonNull(idleTtl, "idleTtl");
        Objects.requireNonNull(acquireTimeout, "acquireTimeout");
        Objects.requireNonNull(sweepInterval, "sweepInterval");
        if (idleTtl.isNegative() || idleTtl.isZero()) {
            throw new IllegalArgumentException("idleTtl must be positive, got " + idleTtl);
        }
        if (acquireTimeout.isNegative()) {
            throw new IllegalArgumentException("acquireTimeout must not be negative, got " + acquireTimeout);
        }
        if (sweepInterval.isNegative()) {
            throw new IllegalArgumentException("sweepInterval must not be negative, got " + sweepInterval);
        }
    }
}
