/**
 * A bounded pool of live sessions keyed by conversation fingerprints. Generic over the session
 * type so it can be tested without the CLI.
 *
 * <h2>Policy</h2>
 * <ul>
 *   <li><b>Capacity</b> counts live sessions: idle (pooled) + active (running a turn) + being
 *       spawned. It never exceeds {@link claude.code.api.options.PoolLimits#maxSessions()}.
 *   <li><b>Lookup</b> ({@link claude.code.api.pool.SessionPool#acquire}): an idle session registered
 *       under the key is taken out of the pool (all its keys are removed) and becomes active: no
 *       other request can get it. A taken session whose process has exited is closed and dropped,
 *       and the lookup goes on. Hits need no capacity and never queue.
 *   <li><b>Miss</b>: a slot is reserved. When the pool is full the least recently used idle
 *       session is evicted (closed) to make room; when every live session is active the request
 *       waits in a FIFO queue until a slot frees, at most
 *       {@link claude.code.api.options.PoolLimits#acquireTimeout()}, then fails with
 *       {@link claude.code.api.failures.PoolExhaustedException}. A new request never overtakes a waiting
 *       one for capacity.
 *   <li><b>Release</b>: after a good turn the session goes back to the pool under every key the
 *       caller gives (the views of its new history); after a bad one it is discarded (closed).
 *       Several idle sessions may share a key (two requests with the same history both
 *       succeeded); a lookup takes the most recently released.
 *   <li><b>Idle TTL</b>: an idle session unused for {@link claude.code.api.options.PoolLimits#idleTtl()}
 *       is closed, by the sweeper thread or on the next acquire or release.
 * </ul>
 *
 * <h2>Locking</h2>
 * One lock guards the pool's maps and counters. It is never held while calling into a session
 * (spawn, {@code isAlive}, close): those run after the lock is released, on the caller's thread.
 */
package claude.code.api.pool;
