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
 */
public record SessionInfo(String sessionId, long pid, boolean active, Duration idleFor, int turns) {}
