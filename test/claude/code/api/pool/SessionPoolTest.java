package claude.code.api.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.failures.PoolExhaustedException;
import claude.code.api.options.PoolLimits;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SessionPoolTest {
    static final Duration TTL = Duration.ofMinutes(10);

    /** A session stand-in: alive until closed or killed. */
    static final class Res {
        final String id;
        volatile boolean exited;
        final AtomicInteger closes = new AtomicInteger();

        Res(String id) {
            this.id = id;
        }

        boolean closed() {
            return closes.get() > 0;
        }
    }

    static final SessionPool.Lifecycle<Res> LIFECYCLE = new SessionPool.Lifecycle<>() {
        @Override
        public String id(Res r) {
            return r.id;
        }

        @Override
        public boolean isAlive(Res r) {
            return !r.exited && !r.closed();
        }

        @Override
        public void close(Res r) {
            r.closes.incrementAndGet();
        }
    };

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final AtomicInteger spawned = new AtomicInteger();
    final List<SessionPool<Res>> pools = new ArrayList<>();

    SessionPool<Res> pool(int max, Duration acquireTimeout) {
        SessionPool<Res> p = new SessionPool<>(new PoolLimits(max, TTL, acquireTimeout, 0), Duration.ZERO, LIFECYCLE, now::get);
        pools.add(p);
        return p;
    }

    SessionPool.Starter<Res> starter() {
        return () -> new Res("s" + spawned.incrementAndGet());
    }

    @AfterEach
    void closePools() {
        pools.forEach(SessionPool::close);
    }

    static void awaitLatch(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IOException("latch not released (hang guard)");
            }
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException();
        }
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached (hang guard)");
            }
            Thread.sleep(1);
        }
    }

    @Test
    void aMissSpawnsAndAReleasedSessionIsFoundUnderItsNewKey() throws Exception {
        SessionPool<Res> pool = pool(4, Duration.ZERO);
        SessionPool.Lease<Res> first = pool.acquire("h1", starter());
        assertFalse(first.reused());
        first.release(List.of("h2"));

        SessionPool.Lease<Res> second = pool.acquire("h2", starter());
        assertTrue(second.reused());
        assertSame(first.session(), second.session());
        PoolStats stats = pool.stats();
        assertEquals(1, stats.hits());
        assertEquals(1, stats.misses());
        assertEquals(1, stats.spawns());
    }

    @Test
    void aNullKeyAlwaysSpawns() throws Exception {
        SessionPool<Res> pool = pool(4, Duration.ZERO);
        SessionPool.Lease<Res> a = pool.acquire(null, starter());
        a.release(List.of("h"));
        SessionPool.Lease<Res> b = pool.acquire(null, starter());
        assertNotSame(a.session(), b.session());
    }

    @Test
    void takingASessionRemovesEveryKeyItWasRegisteredUnder() throws Exception {
        SessionPool<Res> pool = pool(4, Duration.ZERO);
        SessionPool.Lease<Res> a = pool.acquire(null, starter());
        a.release(List.of("view1", "view2"));
        assertEquals(Set.of("view1", "view2"), pool.keysOf(a.sessionId()));

        SessionPool.Lease<Res> hit = pool.acquire("view1", starter());
        assertSame(a.session(), hit.session());
        SessionPool.Lease<Res> other = pool.acquire("view2", starter());
        assertFalse(other.reused());
        assertNotSame(a.session(), other.session());
    }

    @Test
    void anActiveSessionIsNeverHandedToASecondRequest() throws Exception {
        SessionPool<Res> pool = pool(4, Duration.ZERO);
        SessionPool.Lease<Res> a = pool.acquire(null, starter());
        a.release(List.of("h"));
        SessionPool.Lease<Res> first = pool.acquire("h", starter());
        SessionPool.Lease<Res> second = pool.acquire("h", starter());
        assertTrue(first.reused());
        assertFalse(second.reused());
        assertNotSame(first.session(), second.session());
    }

    @Test
    void concurrentRequestsWithTheSameKeyGetDistinctSessions() throws Exception {
        for (int round = 0; round < 200; round++) {
            SessionPool<Res> pool = pool(4, Duration.ZERO);
            SessionPool.Lease<Res> seed = pool.acquire(null, starter());
            seed.release(List.of("h"));
            CountDownLatch go = new CountDownLatch(1);
            AtomicReference<SessionPool.Lease<Res>> x = new AtomicReference<>();
            AtomicReference<SessionPool.Lease<Res>> y = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread tx = Thread.ofVirtual().start(() -> acquireAfter(go, pool, x, failure));
            Thread ty = Thread.ofVirtual().start(() -> acquireAfter(go, pool, y, failure));
            go.countDown();
            tx.join();
            ty.join();
            assertEquals(null, failure.get());
            assertNotSame(x.get().session(), y.get().session());
            assertTrue(x.get().reused() ^ y.get().reused(), "exactly one reuses, one spawns");
            assertEquals(1, pool.stats().hits());
            pool.close();
        }
    }

    private void acquireAfter(CountDownLatch go, SessionPool<Res> pool, AtomicReference<SessionPool.Lease<Res>> out,
            AtomicReference<Throwable> failure) {
        try {
            go.await();
            out.set(pool.acquire("h", starter()));
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    @Test
    void twoIdleSessionsUnderOneKeyServeTwoRequestsMostRecentFirst() throws Exception {
        SessionPool<Res> pool = pool(4, Duration.ZERO);
        SessionPool.Lease<Res> a = pool.acquire(null, starter());
        SessionPool.Lease<Res> b = pool.acquire(null, starter());
        a.release(List.of("same"));
        b.release(List.of("same"));
        assertSame(b.session(), pool.acquire("same", starter()).session());
        assertSame(a.session(), pool.acquire("same", starter()).session());
        assertEquals(2, pool.stats().hits());
    }

    @Test
    void aFullPoolEvictsTheLeastRecentlyUsedIdleSession() throws Exception {
        SessionPool<Res> pool = pool(2, Duration.ZERO);
        SessionPool.Lease<Res> a = pool.acquire(null, starter());
        SessionPool.Lease<Res> b = pool.acquire(null, starter());
        a.release(List.of("ka"));
        b.release(List.of("kb"));
        // a used again: now b is the least recently used
        SessionPool.Lease<Res> a2 = pool.acquire("ka", starter());
        a2.release(List.of("ka2"));

        SessionPool.Lease<Res> c = pool.acquire("new", starter());
        assertFalse(c.reused());
        assertTrue(b.session().closed(), "LRU idle session evicted");
        assertFalse(a.session().closed());
        assertEquals(1, pool.stats().evictions());
        assertEquals(2, pool.liveCount());
        assertFalse(pool.acquire("kb", starter()).reused(), "the evicted session's keys are gone");
    }

    @Test
    void anIdleSessionPastItsTtlIsClosedBySweep() throws Exception {
        SessionPool<Res> pool = pool(4, Duration.ZERO);
        SessionPool.Lease<Res> a = pool.acquire(null, starter());
        a.release(List.of("h"));
        now.addAndGet(TTL.toNanos() - 1);
        assertEquals(0, pool.sweep());
        assertFalse(a.session().closed());
        now.addAndGet(1);
        assertEquals(1, pool.sweep());
        assertTrue(a.session().closed());
        assertEquals(1, pool.stats().expirations());
        assertEquals(0, pool.liveCount());
    }

    @Test
    void anExpiredSessionIsNotFoundByTheNextRequest() throws Exception {
        SessionPool<Res> pool = pool(4, Duration.ZERO);
        SessionPool.Lease<Res> a = pool.acquire(null, starter());
        a.release(List.of("h"));
        now.addAndGet(TTL.toNanos());
        SessionPool.Lease<Res> b = pool.acquire("h", starter());
        assertFalse(b.reused());
        assertTrue(a.session().closed());
        assertEquals(1, pool.stats().expirations());
    }

    @Test
    void aDeadIdleSessionIsDroppedOnLookupAndTheRequestSpawns() throws Exception {
        SessionPool<Res> pool = pool(4, Duration.ZERO);
        SessionPool.Lease<Res> a = pool.acquire(null, starter());
        a.release(List.of("h"));
        a.session().exited = true;

        SessionPool.Lease<Res> b = pool.acquire("h", starter());
        assertFalse(b.reused());
        assertNotSame(a.session(), b.session());
        assertTrue(a.session().closed(), "the dead session is reaped");
        PoolStats stats = pool.stats();
        assertEquals(1, stats.deadDropped());
        assertEquals(0, stats.hits());
        assertEquals(1, pool.liveCount());
    }

    @Test
    void aLookupSkipsADeadSessionAndTakesALiveOneUnderTheSameKey() throws Exception {
        SessionPool<Res> pool = pool(4, Duration.ZERO);
        SessionPool.Lease<Res> live = pool.acquire(null, starter());
        SessionPool.Lease<Res> dead = pool.acquire(null, starter());
        live.release(List.of("h"));
        dead.release(List.of("h"));
        dead.session().exited = true;
        SessionPool.Lease<Res> got = pool.acquire("h", starter());
        assertTrue(got.reused());
        assertSame(live.session(), got.session());
    }

    @Test
    void sweepDropsIdleSessionsWhoseProcessExited() throws Exception {
        SessionPool<Res> pool = pool(4, Duration.ZERO);
        SessionPool.Lease<Res> a = pool.acquire(null, starter());
        a.release(List.of("h"));
        a.session().exited = true;
        assertEquals(1, pool.sweep());
        assertTrue(a.session().closed());
        assertEquals(0, pool.liveCount());
    }

    @Test
    void whenEverySessionIsBusyARequestFailsAfterItsWaitWithAClearError() throws Exception {
        SessionPool<Res> pool = pool(1, Duration.ZERO);
        pool.acquire(null, starter());
        PoolExhaustedException e = assertThrows(PoolExhaustedException.class, () -> pool.acquire(null, starter()));
        assertEquals("all 1 claude sessions are busy and none became free within PT0S; retry later or raise maxSessions",
                e.getMessage());
        assertEquals(1, pool.stats().timeouts());
        assertEquals(0, pool.stats().waiting());
    }

    @Test
    void aWaitingRequestTimesOut() throws Exception {
        SessionPool<Res> pool = pool(1, Duration.ofMillis(20));
        pool.acquire(null, starter());
        assertThrows(PoolExhaustedException.class, () -> pool.acquire(null, starter()));
        assertEquals(0, pool.stats().waiting());
    }

    @Test
    void aWaitingRequestGetsTheSlotOfADiscardedSession() throws Exception {
        SessionPool<Res> pool = pool(1, Duration.ofMinutes(1));
        SessionPool.Lease<Res> busy = pool.acquire(null, starter());
        AtomicReference<SessionPool.Lease<Res>> got = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                got.set(pool.acquire(null, starter()));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        await(() -> pool.stats().waiting() == 1);
        busy.discard();
        waiter.join();
        assertFalse(got.get().reused());
        assertTrue(busy.session().closed());
        assertEquals(1, pool.liveCount());
    }

    @Test
    void aWaitingRequestEvictsASessionReleasedToThePool() throws Exception {
        SessionPool<Res> pool = pool(1, Duration.ofMinutes(1));
        SessionPool.Lease<Res> busy = pool.acquire(null, starter());
        AtomicReference<SessionPool.Lease<Res>> got = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                got.set(pool.acquire("other", starter()));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        await(() -> pool.stats().waiting() == 1);
        busy.release(List.of("h"));
        waiter.join();
        assertTrue(busy.session().closed(), "the waiter's own thread closed the session it evicted");
        assertEquals(1, pool.stats().evictions());
        assertNotSame(busy.session(), got.get().session());
    }

    @Test
    void waitingRequestsAreServedInArrivalOrder() throws Exception {
        SessionPool<Res> pool = pool(1, Duration.ofMinutes(1));
        SessionPool.Lease<Res> busy = pool.acquire(null, starter());
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        List<SessionPool.Lease<Res>> leases = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 3; i++) {
            String name = "w" + i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    SessionPool.Lease<Res> l = pool.acquire(null, () -> new Res(name));
                    order.add(name);
                    leases.add(l);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
            int waiting = i + 1;
            await(() -> pool.stats().waiting() == waiting);
        }
        busy.discard();
        for (int i = 0; i < 3; i++) {
            int served = i + 1;
            await(() -> order.size() == served);
            leases.get(i).discard();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of("w0", "w1", "w2"), order);
    }

    @Test
    void aFreedSlotGoesToTheWaitingRequestNotToANewOne() throws Exception {
        SessionPool<Res> pool = pool(1, Duration.ofMinutes(1));
        SessionPool.Lease<Res> busy = pool.acquire(null, starter());
        CountDownLatch waiterSpawning = new CountDownLatch(1);
        CountDownLatch waiterMayFinish = new CountDownLatch(1);
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                pool.acquire(null, () -> {
                    waiterSpawning.countDown();
                    awaitLatch(waiterMayFinish);
                    return new Res("waiter");
                });
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        await(() -> pool.stats().waiting() == 1);
        busy.discard(); // the slot is handed to the waiter at once
        waiterSpawning.await();
        AtomicReference<Throwable> lateFailure = new AtomicReference<>();
        Thread late = Thread.ofVirtual().start(() -> {
            try {
                pool.acquire(null, starter());
            } catch (Throwable t) {
                lateFailure.set(t);
            }
        });
        await(() -> pool.stats().waiting() == 1); // the newcomer queues: no slot was left free
        assertEquals(1, pool.liveCount());
        waiterMayFinish.countDown();
        waiter.join();
        assertEquals(1, pool.stats().waiting(), "the waiter's session is active; the newcomer still waits");
        pool.close();
        late.join();
        assertTrue(lateFailure.get() instanceof IllegalStateException, String.valueOf(lateFailure.get()));
    }

    @Test
    void aFailedSpawnFreesItsSlot() throws Exception {
        SessionPool<Res> pool = pool(1, Duration.ZERO);
        IOException boom = new IOException("claude did not start");
        assertSame(boom, assertThrows(IOException.class, () -> pool.acquire(null, () -> {
            throw boom;
        })));
        assertEquals(0, pool.liveCount());
        assertEquals(1, pool.stats().spawnFailures());
        assertFalse(pool.acquire(null, starter()).reused());
    }

    @Test
    void aDiscardedSessionIsClosedAndNeverPooled() throws Exception {
        SessionPool<Res> pool = pool(2, Duration.ZERO);
        SessionPool.Lease<Res> a = pool.acquire(null, starter());
        a.discard();
        a.release(List.of("h")); // settled already: no effect
        assertTrue(a.session().closed());
        assertEquals(0, pool.liveCount());
        assertFalse(pool.acquire("h", starter()).reused());
    }

    @Test
    void spawnTimeIsMeasured() throws Exception {
        SessionPool<Res> pool = pool(2, Duration.ZERO);
        pool.acquire(null, () -> {
            now.addAndGet(Duration.ofMillis(300).toNanos());
            return new Res("slow");
        });
        pool.acquire(null, () -> {
            now.addAndGet(Duration.ofMillis(100).toNanos());
            return new Res("fast");
        });
        PoolStats stats = pool.stats();
        assertEquals(Duration.ofMillis(400), stats.spawnTime());
        assertEquals(Duration.ofMillis(300), stats.spawnTimeMax());
    }

    @Test
    void membersListIdleAndActiveSessions() throws Exception {
        SessionPool<Res> pool = pool(4, Duration.ZERO);
        SessionPool.Lease<Res> a = pool.acquire(null, starter());
        SessionPool.Lease<Res> b = pool.acquire(null, starter());
        a.release(List.of("h"));
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        List<SessionPool.Member<Res>> members = pool.members();
        assertEquals(2, members.size());
        SessionPool.Member<Res> idle = members.stream().filter(m -> m.id().equals(a.sessionId())).findFirst().orElseThrow();
        SessionPool.Member<Res> active = members.stream().filter(m -> m.id().equals(b.sessionId())).findFirst().orElseThrow();
        assertFalse(idle.active());
        assertEquals(Duration.ofSeconds(5), idle.idleFor());
        assertEquals(1, idle.turns());
        assertTrue(active.active());
        assertEquals(Duration.ofSeconds(5), idle.age(), "started before the clock moved");
        assertEquals(Duration.ofSeconds(5), active.age());
    }

    @Test
    void closeEndsIdleAndActiveSessionsAndRefusesNewRequests() throws Exception {
        SessionPool<Res> pool = pool(4, Duration.ZERO);
        SessionPool.Lease<Res> idle = pool.acquire(null, starter());
        idle.release(List.of("h"));
        SessionPool.Lease<Res> active = pool.acquire(null, starter());
        pool.close();
        assertTrue(idle.session().closed());
        assertTrue(active.session().closed());
        assertThrows(IllegalStateException.class, () -> pool.acquire("h", starter()));
        active.release(List.of("h2")); // the turn ended after close: closed, not pooled
        assertEquals(0, pool.liveCount());
        pool.close(); // idempotent
    }

    @Test
    void closeWakesWaitingRequests() throws Exception {
        SessionPool<Res> pool = pool(1, Duration.ofMinutes(1));
        pool.acquire(null, starter());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                pool.acquire(null, starter());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        await(() -> pool.stats().waiting() == 1);
        pool.close();
        waiter.join();
        assertTrue(failure.get() instanceof IllegalStateException, String.valueOf(failure.get()));
    }

    @Test
    void closeWaitsForASpawnInFlightAndClosesItsSession() throws Exception {
        SessionPool<Res> pool = pool(2, Duration.ZERO);
        CountDownLatch spawning = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        Res late = new Res("late");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread requester = Thread.ofVirtual().start(() -> {
            try {
                pool.acquire(null, () -> {
                    spawning.countDown();
                    awaitLatch(proceed);
                    return late;
                });
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        spawning.await();
        Thread closer = Thread.ofPlatform().start(pool::close);
        await(() -> closer.getState() == Thread.State.WAITING);
        assertTrue(closer.isAlive(), "close() waits for the spawn");
        proceed.countDown();
        closer.join();
        requester.join();
        assertTrue(late.closed());
        assertTrue(failure.get() instanceof IllegalStateException, String.valueOf(failure.get()));
    }

    @Test
    void anInterruptedWaiterLeavesTheQueue() throws Exception {
        SessionPool<Res> pool = pool(1, Duration.ofMinutes(1));
        pool.acquire(null, starter());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                pool.acquire(null, starter());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        await(() -> pool.stats().waiting() == 1);
        waiter.interrupt();
        waiter.join();
        assertTrue(failure.get() instanceof InterruptedException, String.valueOf(failure.get()));
        assertEquals(0, pool.stats().waiting());
        assertEquals(1, pool.liveCount());
    }

    @Test
    void theSweeperThreadClosesExpiredSessions() throws Exception {
        SessionPool<Res> pool = new SessionPool<>(new PoolLimits(2, TTL, Duration.ZERO, 0), Duration.ofMillis(5), LIFECYCLE,
                now::get);
        pools.add(pool);
        SessionPool.Lease<Res> a = pool.acquire(null, starter());
        a.release(List.of("h"));
        now.addAndGet(TTL.toNanos());
        await(() -> a.session().closed());
        assertEquals(0, pool.liveCount());
    }

    @Test
    void configIsValidated() {
        assertEquals("maxSessions: must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> new PoolLimits(0, TTL, Duration.ZERO, 0)).getMessage());
        assertEquals("idleTtl: must be positive, got PT0S", assertThrows(IllegalArgumentException.class,
                () -> new PoolLimits(1, Duration.ZERO, Duration.ZERO, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PoolLimits(1, TTL, Duration.ofSeconds(-1), 0));
    }
}
