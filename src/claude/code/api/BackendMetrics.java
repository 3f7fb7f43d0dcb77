package claude.code.api;

import java.time.Duration;

/**
 * A snapshot of a backend's counters (since it was created) and occupancy. Snapshots of several
 * backends add up ({@link #plus}), e.g. for a gateway that runs one backend per option set.
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
 * @param sessionsAwaitingClientTools idle sessions holding the client's tool calls open, waiting for their results,
 *     now (counted in {@code idleSessions}: they take pool slots)
 * @param clientToolCalls tool calls handed to the client (tool_use blocks of answers that ended at its tools)
 * @param clientToolTimeouts client tool calls whose results did not come within the client tool timeout (each
 *     closed its session)
 */
public record BackendMetrics(long poolHits, long poolMisses, long spawns, long spawnFailures, long evictions,
        long expirations, long deadSessionsDropped, long poolExhausted, long turns, long failedTurns,
        long interruptedTurns, Duration spawnTime, Duration spawnTimeMax, Duration turnTime, Duration turnTimeMax,
        int liveSessions, int idleSessions, int activeSessions, int startingSessions, int waitingRequests,
        int spareSessions, int sessionsAwaitingClientTools, long clientToolCalls, long clientToolTimeouts) {

    /** Nothing counted, nothing live. */
    public static final BackendMetrics ZERO = new BackendMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO,
            Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The sum of both: counters, times and gauges added, maxima the larger. */
    public BackendMetrics plus(BackendMetrics o) {
        return new BackendMetrics(poolHits + o.poolHits, poolMisses + o.poolMisses, spawns + o.spawns,
                spawnFailures + o.spawnFailures, evictions + o.evictions, expirations + o.expirations,
                deadSessionsDropped + o.deadSessionsDropped, poolExhausted + o.poolExhausted, turns + o.turns,
                failedTurns + o.failedTurns, interruptedTurns + o.interruptedTurns, spawnTime.plus(o.spawnTime),
                max(spawnTimeMax, o.spawnTimeMax), turnTime.plus(o.turnTime), max(turnTimeMax, o.turnTimeMax),
                liveSessions + o.liveSessions, idleSessions + o.idleSessions, activeSessions + o.activeSessions,
                startingSessions + o.startingSessions, waitingRequests + o.waitingRequests, spareSessions + o.spareSessions,
                sessionsAwaitingClientTools + o.sessionsAwaitingClientTools, clientToolCalls + o.clientToolCalls,
                clientToolTimeouts + o.clientToolTimeouts);
    }

    /** The counters and times alone, every gauge (live, idle, ... sessions) zero: what outlasts a closed backend. */
    public BackendMetrics counters() {
        return new BackendMetrics(poolHits, poolMisses, spawns, spawnFailures, evictions, expirations,
                deadSessionsDropped, poolExhausted, turns, failedTurns, interruptedTurns, spawnTime, spawnTimeMax,
                turnTime, turnTimeMax, 0, 0, 0, 0, 0, 0, 0, clientToolCalls, clientToolTimeouts);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The mean session start time, zero before the first. */
    public Duration meanSpawnTime() {
        return spawns == 0 ? Duration.ZERO : spawnTime.dividedBy(spawns);
    }

    /** The mean duration of completed turns, zero before the first. */
    public Duration meanTurnTime() {
        return turns == 0 ? Duration.ZERO : turnTime.dividedBy(turns);
    }
}
