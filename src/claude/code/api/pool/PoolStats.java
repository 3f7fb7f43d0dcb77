package claude.code.api.pool;

import java.time.Duration;

/**
 * Counters since the pool was created, and its current occupancy.
 *
 * @param hits acquires served by an idle session
 * @param misses acquires that had to spawn
 * @param spawns sessions spawned successfully
 * @param spawnFailures spawns that threw
 * @param evictions idle sessions closed to make room (LRU)
 * @param expirations idle sessions closed after the idle TTL
 * @param deadDropped idle sessions found dead (process exited) and dropped
 * @param timeouts acquires that gave up waiting for capacity
 * @param spawnTime total time spent in successful spawns
 * @param spawnTimeMax the longest successful spawn
 * @param idle sessions in the pool now
 * @param active sessions running a turn now
 * @param spawning sessions being spawned now
 * @param waiting acquires waiting for capacity now
 */
public record PoolStats(long hits, long misses, long spawns, long spawnFailures, long evictions, long expirations,
        long deadDropped, long timeouts, Duration spawnTime, Duration spawnTimeMax, int idle, int active, int spawning,
        int waiting) {}
