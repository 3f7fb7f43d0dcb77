package claude.code.api;

import claude.code.api.pool.SessionPool;
import claude.code.api.session.ClaudeSession;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fresh CLI sessions started ahead of need ({@link claude.code.api.options.PoolLimits#prestartSessions()}): a pool
 * miss that would start a fresh session takes one instead of waiting for a CLI to start (and,
 * measured, to settle: a CLI takes keys only about a second after its prompt first shows). One
 * virtual thread keeps the number topped up, one start at a time so that refills do not compete
 * with running turns for the CPU; after a failed start it backs off (1 s, doubling to 30 s), and
 * requests simply start their own sessions meanwhile.
 */
final class SpareSessions implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SpareSessions.class.getName());
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final int target;
    private final SessionPool.Starter<ClaudeSession> starter;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ClaudeSession> ready = new ArrayDeque<>(); // guarded by lock
    private boolean closed; // guarded by lock
    private final Thread filler;

    SpareSessions(int target, SessionPool.Starter<ClaudeSession> starter) {
        if (target < 1) {
            throw new IllegalArgumentException("target must be at least 1: " + target);
        }
        this.target = target;
        this.starter = starter;
        this.filler = Thread.ofVirtual().name("claude-spare-sessions").start(this::fill);
    }

    /** A started, live spare session, or empty when none is ready; a refill begins in the background. */
    Optional<ClaudeSession> take() {
        List<ClaudeSession> dead = new ArrayList<>();
        ClaudeSession taken = null;
        lock.lock();
        try {
            while (!closed && !ready.isEmpty()) {
                ClaudeSession s = ready.pollFirst();
                if (s.isAlive()) {
                    taken = s;
                    break;
                }
                dead.add(s);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        dead.forEach(SpareSessions::closeQuietly);
        return Optional.ofNullable(taken);
    }

    /** Spares started and waiting. */
    int ready() {
        lock.lock();
        try {
            return ready.size();
        } finally {
            lock.unlock();
        }
    }

    private void fill() {
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            lock.lock();
            try {
                while (!closed && ready.size() >= target) {
                    changed.await();
                }
                if (closed) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            ClaudeSession started;
            try {
                started = starter.start();
                backoff = FIRST_BACKOFF;
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "starting a spare claude session failed (next try in {0} s): {1}",
                        backoff.toSeconds(), e.getMessage());
                if (!sleep(backoff)) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                continue;
            }
            boolean keep;
            lock.lock();
            try {
                keep = !closed;
                if (keep) {
                    ready.addLast(started);
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
            if (!keep) {
                closeQuietly(started);
                return;
            }
        }
    }

    private boolean sleep(Duration d) {
        lock.lock();
        try {
            long left = d.toNanos();
            while (!closed && left > 0) {
                left = changed.awaitNanos(left);
            }
            return !closed;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Stops refilling, waits for a start in progress, and closes every spare. Idempotent. */
    @Override
    public void close() {
        List<ClaudeSession> toClose;
        lock.lock();
        try {
            closed = true;
            toClose = new ArrayList<>(ready);
            ready.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        toClose.forEach(SpareSessions::closeQuietly);
        boolean interrupted = false;
        while (true) {
            try {
                filler.join(); // a start in progress ends within the startup timeout; its session is then closed
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(ClaudeSession s) {
        try {
            s.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "closing a spare claude session failed", e);
        }
    }
}
