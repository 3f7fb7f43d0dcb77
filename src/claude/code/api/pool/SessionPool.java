package claude.code.api.pool;

import claude.code.api.failures.PoolExhaustedException;
import claude.code.api.options.PoolLimits;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Live sessions keyed by fingerprints, bounded, with LRU eviction, an idle TTL and a fair wait
 * queue. The policy is in the package documentation.
 *
 * <p>Use: {@link #acquire} a {@link Lease}, run one turn on {@link Lease#session()}, then either
 * {@link Lease#release} it under the keys of its new history or {@link Lease#discard} it.
 *
 * @param <S> the session type; the pool reaches it only through a {@link Lifecycle}
 */
public final class SessionPool<S> implements AutoCloseable {

    /** How the pool handles a session. Never called with the pool lock held. */
    public interface Lifecycle<S> {
        /** A stable id, for snapshots and logs. */
        String id(S session);

        /** Whether the session can still take a turn (its process is running). */
        boolean isAlive(S session);

        /** Ends the session; idempotent. */
        void close(S session);
    }

    /** Starts a session; called without the pool lock, once a slot is reserved for it. */
    @FunctionalInterface
    public interface Starter<S> {
        S start() throws IOException;
    }

    /** One live session as seen by {@link #members()}. */
    public record Member<S>(String id, S session, boolean active, Duration idleFor, int turns, Duration age) {}

    private static final System.Logger LOG = System.getLogger(SessionPool.class.getName());

    private final PoolLimits limits;
    private final Duration sweepInterval;
    private final Lifecycle<S> lifecycle;
    private final LongSupplier ticker;

    // The one lock: guards everything below. Never held across a call into a session.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition spawnsDone = lock.newCondition();
    private final Map<String, ArrayDeque<Entry<S>>> byKey = new HashMap<>();
    private final LinkedHashSet<Entry<S>> idle = new LinkedHashSet<>(); // least recently released first
    private final LinkedHashSet<Entry<S>> active = new LinkedHashSet<>();
    private final ArrayDeque<Waiter<S>> waiters = new ArrayDeque<>();
    private int spawning;
    private boolean closed;
    private long hits;
    private long misses;
    private long spawns;
    private long spawnFailures;
    private long evictions;
    private long expirations;
    private long deadDropped;
    private long timeouts;
    private long spawnNanos;
    private long spawnNanosMax;

    private final Thread sweeper;

    /**
     * @param limits the backend's pool limits, taken whole ({@code prestartSessions} is not the pool's: spares live outside it)
     * @param sweepInterval how often a background thread closes expired and dead idle sessions;
     *     {@link Duration#ZERO} starts no thread (sweeps then happen only on acquire and release)
     * @param ticker monotonic nanoseconds for the idle TTL and spawn times ({@code System::nanoTime};
     *     tests pass a hand-driven one). Waiting for capacity always uses the real clock.
     */
    public SessionPool(PoolLimits limits, Duration sweepInterval, Lifecycle<S> lifecycle, LongSupplier ticker) {
        this.limits = Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(sweepInterval, "sweepInterval");
        if (sweepInterval.isNegative()) {
            throw new IllegalArgumentException("sweepInterval must not be negative, got " + sweepInterval);
        }
        this.sweepInterval = sweepInterval;
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.sweeper = sweepInterval.isZero() ? null
                : Thread.ofVirtual().name("session-pool-sweeper").start(this::sweepPeriodically);
    }

    public PoolLimits limits() {
        return limits;
    }

    /**
     * A session for a conversation whose history has fingerprint {@code key}: an idle one
     * registered under it (a hit), else a new one from {@code starter} (a miss). The session is
     * the caller's alone until the lease is settled.
     *
     * @param key the history's fingerprint; {@code null} always spawns
     * @throws PoolExhaustedException when a spawn was needed and no slot freed in time
     * @throws IOException from the starter
     * @throws IllegalStateException when the pool is closed
     */
    public Lease<S> acquire(String key, Starter<S> starter) throws IOException, InterruptedException {
        Objects.requireNonNull(starter, "starter");
        closeExpired();
        if (key != null) {
            Lease<S> hit = takeLiveIdle(key);
            if (hit != null) {
                return hit;
            }
        }
        reserveSlot();
        return spawnInReservedSlot(starter);
    }

    /**
     * The idle session registered under {@code key}, taken as {@link #acquire} takes a hit; {@code null} when
     * there is none. Nothing is spawned and no miss counted: for a request only that session can serve (one that
     * answers the client's tool calls it holds open).
     *
     * @throws IllegalStateException when the pool is closed
     */
    public Lease<S> acquireExisting(String key) {
        Objects.requireNonNull(key, "key");
        closeExpired();
        return takeLiveIdle(key);
    }

    private Lease<S> takeLiveIdle(String key) {
        while (true) {
            Entry<S> candidate;
            lock.lock();
            try {
                ensureOpen();
                candidate = takeIdle(key);
                if (candidate != null) {
                    active.add(candidate);
                }
            } finally {
                lock.unlock();
            }
            if (candidate == null) {
                return null;
            }
            if (lifecycle.isAlive(candidate.session)) {
                lock.lock();
                try {
                    hits++;
                } finally {
                    lock.unlock();
                }
                LOG.log(System.Logger.Level.DEBUG, "pool hit: session {0}", candidate.id);
                return new Lease<>(this, candidate, true);
            }
            LOG.log(System.Logger.Level.INFO, "pool: dropping dead session {0}", candidate.id);
            lock.lock();
            try {
                deadDropped++;
                if (active.remove(candidate)) {
                    grantWaiters();
                }
            } finally {
                lock.unlock();
            }
            closeQuietly(candidate.session);
            // another session may be registered under the same key: look again
        }
    }

    /**
     * Counts a miss and reserves a slot (spawning + 1), evicting or waiting as the policy says.
     * A session evicted for this request is closed here, on the requester's thread.
     */
    private void reserveSlot() throws InterruptedException {
        List<S> victims = new ArrayList<>();
        InterruptedException interrupted = null;
        lock.lock();
        try {
            ensureOpen();
            misses++;
            if (!waiters.isEmpty() || !tryReserve(victims)) {
                Waiter<S> me = new Waiter<>(lock.newCondition());
                waiters.addLast(me);
                long nanos = limits.acquireTimeout().toNanos();
                try {
                    while (!me.granted) {
                        ensureOpen();
                        if (nanos <= 0) {
                            timeouts++;
                            throw new PoolExhaustedException(limits.maxSessions(), limits.acquireTimeout());
                        }
                        nanos = me.ready.awaitNanos(nanos);
                    }
                } catch (InterruptedException e) {
                    if (!me.granted) {
                        throw e;
                    }
                    interrupted = e; // granted meanwhile: give the slot back below
                } finally {
                    if (!me.granted) {
                        waiters.remove(me);
                    }
                }
                victims = me.victims;
            }
        } finally {
            lock.unlock();
        }
        closeAll(victims);
        if (interrupted != null) {
            returnSlot();
            throw interrupted;
        }
        lock.lock();
        try {
            if (closed) {
                spawning--;
                signalIfNoSpawns();
                throw closedException();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Gives back a reserved slot that will not be used. */
    private void returnSlot() {
        lock.lock();
        try {
            spawning--;
            signalIfNoSpawns();
            grantWaiters();
        } finally {
            lock.unlock();
        }
    }

    private Lease<S> spawnInReservedSlot(Starter<S> starter) throws IOException {
        long start = ticker.getAsLong();
        S session;
        String id;
        try {
            session = Objects.requireNonNull(starter.start(), "the starter returned null");
            id = Objects.requireNonNull(lifecycle.id(session), "a session id is null");
        } catch (IOException | RuntimeException | Error e) {
            lock.lock();
            try {
                spawnFailures++;
            } finally {
                lock.unlock();
            }
            returnSlot();
            throw e;
        }
        long took = ticker.getAsLong() - start;
        Entry<S> entry = new Entry<>(session, id, start + took);
        lock.lock();
        try {
            if (!closed) {
                spawning--;
                signalIfNoSpawns();
                active.add(entry);
                spawns++;
                spawnNanos += took;
                spawnNanosMax = Math.max(spawnNanosMax, took);
                LOG.log(System.Logger.Level.DEBUG, "pool miss: spawned session {0}", id);
                return new Lease<>(this, entry, false);
            }
        } finally {
            lock.unlock();
        }
        // closed while spawning: close() is waiting for this slot, so close the session first
        closeQuietly(session);
        lock.lock();
        try {
            spawning--;
            signalIfNoSpawns();
        } finally {
            lock.unlock();
        }
        throw closedException();
    }

    private void release(Entry<S> entry, Collection<String> keys) {
        boolean closeIt;
        lock.lock();
        try {
            boolean wasActive = active.remove(entry);
            closeIt = !wasActive || closed;
            if (!closeIt) {
                entry.keys = List.copyOf(new LinkedHashSet<>(keys));
                entry.lastUsed = ticker.getAsLong();
                entry.turns++;
                idle.add(entry);
                for (String key : entry.keys) {
                    byKey.computeIfAbsent(key, k -> new ArrayDeque<>()).addFirst(entry);
                }
                // a waiting request gets a slot now; it closes the session it evicts itself,
                // so the caller (about to hand a result to its client) is not held up
                grantWaiters();
            }
        } finally {
            lock.unlock();
        }
        if (closeIt) {
            closeQuietly(entry.session);
        }
    }

    private void discard(Entry<S> entry) {
        lock.lock();
        try {
            if (active.remove(entry)) {
                grantWaiters();
            }
        } finally {
            lock.unlock();
        }
        closeQuietly(entry.session);
    }

    private void closeExpired() {
        List<S> expired = new ArrayList<>();
        lock.lock();
        try {
            ensureOpen();
            expire(expired);
        } finally {
            lock.unlock();
        }
        closeAll(expired);
    }

    /**
     * Closes idle sessions past the TTL and idle sessions whose process has exited.
     *
     * @return how many were closed
     */
    public int sweep() {
        List<S> toClose = new ArrayList<>();
        List<Entry<S>> snapshot;
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            expire(toClose);
            snapshot = new ArrayList<>(idle);
        } finally {
            lock.unlock();
        }
        int closedCount = toClose.size();
        closeAll(toClose);
        List<Entry<S>> dead = new ArrayList<>();
        for (Entry<S> e : snapshot) {
            if (!lifecycle.isAlive(e.session)) {
                dead.add(e);
            }
        }
        if (dead.isEmpty()) {
            return closedCount;
        }
        toClose = new ArrayList<>();
        lock.lock();
        try {
            for (Entry<S> e : dead) {
                if (idle.contains(e)) { // not taken meanwhile
                    removeIdle(e);
                    deadDropped++;
                    toClose.add(e.session);
                }
            }
            closedCount += toClose.size();
            grantWaiters();
        } finally {
            lock.unlock();
        }
        closeAll(toClose);
        return closedCount;
    }

    /** Idle and active sessions now (not those being spawned). */
    public List<Member<S>> members() {
        lock.lock();
        try {
            long now = ticker.getAsLong();
            List<Member<S>> out = new ArrayList<>(idle.size() + active.size());
            for (Entry<S> e : idle) {
                out.add(new Member<>(e.id, e.session, false, Duration.ofNanos(Math.max(0, now - e.lastUsed)), e.turns,
                        Duration.ofNanos(Math.max(0, now - e.started))));
            }
            for (Entry<S> e : active) {
                out.add(new Member<>(e.id, e.session, true, Duration.ZERO, e.turns, Duration.ofNanos(Math.max(0, now - e.started))));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Idle + active + being spawned. */
    public int liveCount() {
        lock.lock();
        try {
            return live();
        } finally {
            lock.unlock();
        }
    }

    public PoolStats stats() {
        lock.lock();
        try {
            return new PoolStats(hits, misses, spawns, spawnFailures, evictions, expirations, deadDropped, timeouts,
                    Duration.ofNanos(spawnNanos), Duration.ofNanos(spawnNanosMax), idle.size(), active.size(), spawning,
                    waiters.size());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends every session, idle and active, after in-flight spawns have finished (their sessions
     * are closed too). Waiting acquires fail with {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        List<S> all = new ArrayList<>();
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                for (Entry<S> e : idle) {
                    all.add(e.session);
                }
                for (Entry<S> e : active) {
                    all.add(e.session);
                }
                idle.clear();
                active.clear();
                byKey.clear();
                for (Waiter<S> w : waiters) {
                    w.ready.signal();
                }
            }
            while (spawning > 0) {
                spawnsDone.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
        if (sweeper != null) {
            sweeper.interrupt();
            try {
                sweeper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeInParallel(all);
    }

    // --- internals, all called with the lock held -------------------------------------------

    private int live() {
        return idle.size() + active.size() + spawning;
    }

    private void ensureOpen() {
        if (closed) {
            throw closedException();
        }
    }

    private static IllegalStateException closedException() {
        return new IllegalStateException("the session pool is closed");
    }

    /** A free slot, or one made by evicting the least recently used idle session. */
    private boolean tryReserve(List<S> toClose) {
        if (live() < limits.maxSessions()) {
            spawning++;
            return true;
        }
        Iterator<Entry<S>> lru = idle.iterator();
        if (lru.hasNext()) {
            Entry<S> victim = lru.next();
            removeIdle(victim);
            evictions++;
            toClose.add(victim.session);
            LOG.log(System.Logger.Level.DEBUG, "pool: evicting idle session {0} (LRU)", victim.id);
            spawning++;
            return true;
        }
        return false;
    }

    /**
     * Hands free capacity to waiting acquires, first come first served; a session evicted for a
     * waiter is closed by that waiter.
     */
    private void grantWaiters() {
        while (!waiters.isEmpty()) {
            Waiter<S> head = waiters.peekFirst();
            if (!tryReserve(head.victims)) {
                return;
            }
            waiters.pollFirst();
            head.granted = true;
            head.ready.signal();
        }
    }

    private void signalIfNoSpawns() {
        if (spawning == 0) {
            spawnsDone.signalAll();
        }
    }

    private Entry<S> takeIdle(String key) {
        ArrayDeque<Entry<S>> candidates = byKey.get(key);
        if (candidates == null) {
            return null;
        }
        Entry<S> e = candidates.peekFirst();
        removeIdle(e);
        return e;
    }

    /** Takes the entry out of the idle set and out of every key it was registered under. */
    private void removeIdle(Entry<S> e) {
        idle.remove(e);
        for (String key : e.keys) {
            ArrayDeque<Entry<S>> q = byKey.get(key);
            if (q != null) {
                q.remove(e);
                if (q.isEmpty()) {
                    byKey.remove(key);
                }
            }
        }
        e.keys = List.of();
    }

    private void expire(List<S> toClose) {
        if (idle.isEmpty()) {
            return;
        }
        long now = ticker.getAsLong();
        long ttl = limits.idleTtl().toNanos();
        int before = toClose.size();
        // idle is in release order, so lastUsed only grows along it
        while (!idle.isEmpty()) {
            Entry<S> oldest = idle.iterator().next();
            if (now - oldest.lastUsed < ttl) {
                break;
            }
            removeIdle(oldest);
            expirations++;
            toClose.add(oldest.session);
            LOG.log(System.Logger.Level.DEBUG, "pool: closing session {0}, idle past its TTL", oldest.id);
        }
        if (toClose.size() > before) {
            grantWaiters();
        }
    }

    // --- without the lock ----------------------------------------------------------------------

    private void closeAll(List<S> sessions) {
        for (S s : sessions) {
            closeQuietly(s);
        }
    }

    private void closeInParallel(List<S> sessions) {
        List<Thread> closers = new ArrayList<>(sessions.size());
        for (S s : sessions) {
            closers.add(Thread.ofVirtual().name("session-pool-close").start(() -> closeQuietly(s)));
        }
        boolean interrupted = false;
        for (Thread t : closers) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly(S session) {
        try {
            lifecycle.close(session);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "pool: closing a session failed", e);
        }
    }

    private void sweepPeriodically() {
        long interval = sweepInterval.toMillis();
        while (true) {
            try {
                Thread.sleep(Math.max(1, interval));
            } catch (InterruptedException e) {
                return;
            }
            try {
                sweep();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "pool: sweep failed", e);
            }
            lock.lock();
            try {
                if (closed) {
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private static final class Entry<S> {
        final S session;
        final String id;
        /** When it became ready (ticker nanoseconds). */
        final long started;
        List<String> keys = List.of();
        long lastUsed;
        int turns;

        Entry(S session, String id, long started) {
            this.session = session;
            this.id = id;
            this.started = started;
        }
    }

    private static final class Waiter<S> {
        final Condition ready;
        final List<S> victims = new ArrayList<>(1);
        boolean granted;

        Waiter(Condition ready) {
            this.ready = ready;
        }
    }

    /**
     * Exclusive use of one session for one turn. Settle it exactly once: {@link #release} after
     * a good turn, {@link #discard} after a bad one; {@link #close()} discards an unsettled lease.
     */
    public static final class Lease<S> implements AutoCloseable {
        private final SessionPool<S> pool;
        private final Entry<S> entry;
        private final boolean reused;
        private final AtomicBoolean settled = new AtomicBoolean();

        private Lease(SessionPool<S> pool, Entry<S> entry, boolean reused) {
            this.pool = pool;
            this.entry = entry;
            this.reused = reused;
        }

        public S session() {
            return entry.session;
        }

        public String sessionId() {
            return entry.id;
        }

        /** The session came from the pool (a hit) rather than a spawn. */
        public boolean reused() {
            return reused;
        }

        /** Puts the session back in the pool under {@code keys}. No-op once settled. */
        public void release(Collection<String> keys) {
            Objects.requireNonNull(keys, "keys");
            if (settled.compareAndSet(false, true)) {
                pool.release(entry, keys);
            }
        }

        /** Closes the session and frees its slot. No-op once settled. */
        public void discard() {
            if (settled.compareAndSet(false, true)) {
                pool.discard(entry);
            }
        }

        public boolean isSettled() {
            return settled.get();
        }

        @Override
        public void close() {
            discard();
        }
    }

    /** For tests: the keys an idle session is registered under (empty when not idle). */
    Set<String> keysOf(String sessionId) {
        lock.lock();
        try {
            for (Entry<S> e : idle) {
                if (e.id.equals(sessionId)) {
                    return Set.copyOf(e.keys);
                }
            }
            return Set.of();
        } finally {
            lock.unlock();
        }
    }
}
