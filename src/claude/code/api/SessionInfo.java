package claude.code.api;

import java.time.Duration;

/**
 * A live CLI session of a backend, as of a {@link ClaudeCodeBackend#liveSessions()} snapshot.
 *
 * @param sessionId the CLI's session id (also its transcript's name)
 * @param pid the CLI's process id
 * @param active running a turn now; otherwise idle in the pool
 * @param idleFor how long it has been idle; zero when active
 * @param turns turns it completed
 * @param age how long ago it was started (became ready)
 * @param awaitedToolCalls the client's tool calls it holds open, waiting for their results (its last turn ended at
 *     them); zero otherwise
 */
public record SessionInfo(String sessionId, long pid, boolean active, Duration idleFor, int turns, Duration age,
        int awaitedToolCalls) {
    /** A session that holds no client tool calls open. */
    public SessionInfo(String sessionId, long pid, boolean active, Duration idleFor, int turns, Duration age) {
        this(sessionId, pid, active, idleFor, turns, age, 0);
    }
}
