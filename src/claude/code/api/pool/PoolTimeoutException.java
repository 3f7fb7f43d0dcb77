package claude.code.api.pool;

import java.time.Duration;

/** Every slot stayed busy for the whole wait: the pool is at capacity with no idle session to evict. */
public final class PoolTimeoutException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int maxSessions;
    private final Duration waited;

    public PoolTimeoutException(int maxSessions, Duration waited) {
        super("all " + maxSessions + " sessions are busy; no slot freed within " + waited);
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
