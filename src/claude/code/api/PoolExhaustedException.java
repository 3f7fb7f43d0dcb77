package claude.code.api;

import java.time.Duration;

/**
 * A request needed a new session, every one of the backend's {@code maxSessions} was running a
 * turn, and none finished within {@code acquireTimeout}. Retry later (HTTP 429 or 503).
 */
public final class PoolExhaustedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int maxSessions;
    private final Duration waited;

    public PoolExhaustedException(int maxSessions, Duration waited, Throwable cause) {
        super("all " + maxSessions + " claude sessions are busy and none became free within " + waited
                + "; retry later or raise maxSessions", cause);
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
