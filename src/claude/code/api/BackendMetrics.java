package claude.code.api;

import java.time.Duration;

/**
 * A snapshot of a backend's counters (since it was created) and occupancy.
 *
 * @param poolHits requests served by a live session that already held their history
 * @param poolMisses requests that needed a new session
 * @param spawns sessions started
 * @param spawnFailures session starts that failed
 * @param evictions idle sessions closed to make room for a new one (least recently used first)
 * @param expirations idle sessions closed after the idle TTL
 * @param deadSessionsDropped idle sessions found exited and dropped
 * @param poolExhausted requests refused with {@link PoolExhaustedException}
 * @param turns turns that completed and left their session in the pool
 * @param failedTurns turns that ended in an error (their session was closed)
 * @param interruptedTurns turns the consumer closed before their end (their session was closed)
 * @param spawnTime total time spent starting sessions
 * @param spawnTimeMax the longest session start
 * @param turnTime total duration of the completed turns (as their results report it)
 * @param turnTimeMax the longest of those
 * @param liveSessions idle + active sessions now
 * @param idleSessions sessions waiting in the pool now
 * @param activeSessions sessions running a turn now
 * @param startingSessions sessions being started now
 * @param waitingRequests requests waiting for capacity now
 * @param spareSessions fresh sessions started ahead of need and waiting now
 *     ({@link claude.code.api.options.PoolLimits#prestartSessions()}); not counted in {@code liveSessions}
 */
public record BackendMetrics(long poolHits, long poolMisses, long spawns, long spawnFailures, long evictions,
        long expirations, long deadSessionsDropped, long poolExhausted, long turns, long failedTurns,
        long interruptedTurns, Duration spawnTime, Duration spawnTimeMax, Duration turnTime, Duration turnTimeMax,
        int liveSessions, int idleSessions, int activeSessions, int startingSessions, int waitingRequests,
        int spareSessions) {

    /** The mean session start time, zero before the first. */
    public Duration meanSpawnTime() {
        return spawns == 0 ? Duration.ZERO : spawnTime.dividedBy(spawns);
    }

    /** The mean duration of completed turns, zero before the first. */
    public Duration meanTurnTime() {
        return turns == 0 ? Duration.ZERO : turnTime.dividedBy(turns);
    }
}
