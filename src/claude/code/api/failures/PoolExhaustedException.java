package claude.code.api.failures;

import java.time.Duration;

/**
 * A request needed a new session, every one of the backend's {@code maxSessions} was running a
 * turn, and none finished within {@code acquireTimeout}. Retry later (HTTP 503 in the gateway).
 */
public final class PoolExhaustedException extends BackendException {
    private static final long serialVersionUID = 1L;

    private final int maxSessions;
    private final Duration waited;

    public PoolExhaustedException(int maxSessions, Duration waited) {
        super("all " + maxSessions + " claude sessions are busy and none became free within " + waited
                + "; retry later or raise maxSessions", null);
        this.maxSessions = maxSessions;
        this.waited = waited;
    }

    public int maxSessions() {
        return maxSessions;
    }

    public Duration waited() {
        return waited;
    }
}
