package claude.code.api.gateway;

import claude.code.api.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether the gateway takes new turns, and the turns it has open: {@link State#ACCEPTING} until
 * it is asked to stop, then {@link State#DRAINING} while the open turns finish (for at most a
 * bound), then {@link State#CLOSED}.
 *
 * <p>This is what lets a load balancer take a gateway out of rotation without cutting a turn
 * off: while draining, {@code /health} answers 503 {@code {"status":"draining"}} so health checks
 * stop sending it new conversations, and a new turn that still reaches it is refused with a 503
 * before anything ran, which a balancer may safely retry on another gateway
 * ({@code deploy/haproxy.cfg}, {@code docs/SCALE-OUT.md}). A turn already running is never
 * refused: it finishes, or is cut when the bound is over.
 */
final class Lifecycle {
    /** The gateway's state; it only moves forward. */
    enum State {
        /** Takes new turns. */
        ACCEPTING,
        /** Refuses new turns; the open ones finish. */
        DRAINING,
        /** Stopped. */
        CLOSED
    }

    private static final System.Logger LOG = System.getLogger(Lifecycle.class.getName());
    private static final JsonObject HEALTHY = JsonObject.builder().put("status", "ok").build();
    static final String SHUTTING_DOWN = "this gateway is shutting down and takes no new turns; send the request again "
            + "(behind a load balancer it reaches another gateway)";

    // a lock, not synchronized: the waiting threads may be virtual ones, which a monitor wait pins on JDK 21
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition allFinished = lock.newCondition();
    private State state = State.ACCEPTING;
    private int open;

    /** The work of one turn: a request that runs the CLI. */
    @FunctionalInterface
    interface Turn {
        void run() throws HttpError, IOException;
    }

    /**
     * Runs a turn if the gateway is accepting, counting it as open until it returns or throws.
     *
     * @throws HttpError 503 {@code overloaded_error} (with {@code retry-after}), before {@code turn}
     *     runs, once draining or closed; else whatever {@code turn} throws
     */
    void runTurn(Turn turn) throws HttpError, IOException {
        admit();
        try {
            turn.run();
        } finally {
            finished();
        }
    }

    private void admit() throws HttpError {
        lock.lock();
        try {
            if (state != State.ACCEPTING) {
                throw new HttpError(503, "overloaded_error", SHUTTING_DOWN, 1, null);
            }
            open++;
        } finally {
            lock.unlock();
        }
    }

    private void finished() {
        lock.lock();
        try {
            if (--open == 0) {
                allFinished.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    State state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** Turns admitted and not finished yet. */
    int openTurns() {
        lock.lock();
        try {
            return open;
        } finally {
            lock.unlock();
        }
    }

    /** The status of {@code GET /health}: 200 while accepting, 503 from the start of a drain. */
    int healthStatus() {
        return state() == State.ACCEPTING ? 200 : 503;
    }

    /** The body of {@code GET /health}: {@code {"status":"ok"}}, or {@code {"status":"draining","open_turns":N}}. */
    JsonObject health() {
        lock.lock();
        try {
            return switch (state) {
                case ACCEPTING -> HEALTHY;
                case DRAINING, CLOSED -> JsonObject.builder().put("status", state == State.DRAINING ? "draining" : "closed")
                        .put("open_turns", open).build();
            };
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops admitting turns and waits until the open ones have finished, for at most {@code bound}
     * (zero: not at all). Called again, it waits again.
     *
     * @return whether every open turn finished in time
     */
    boolean drain(Duration bound) {
        lock.lock();
        try {
            if (state == State.ACCEPTING) {
                state = State.DRAINING;
            }
            if (open > 0 && bound.isPositive()) {
                int waitingFor = open;
                LOG.log(System.Logger.Level.INFO, () -> "draining: new turns are refused; waiting up to "
                        + bound.toSeconds() + " s for " + waitingFor + " open turn(s)");
            }
            long left = bound.isNegative() ? 0 : bound.toNanos();
            boolean interrupted = false;
            while (open > 0 && left > 0) {
                try {
                    left = allFinished.awaitNanos(left);
                } catch (InterruptedException e) {
                    interrupted = true; // stop waiting: the caller is being stopped itself
                    break;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (open > 0) {
                int cut = open;
                LOG.log(bound.isPositive() ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG, () -> cut
                        + " turn(s) still open after the drain bound (" + bound.toMillis() + " ms); they are interrupted");
                return false;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Marks the gateway closed: nothing is admitted any more. */
    void close() {
        lock.lock();
        try {
            state = State.CLOSED;
        } finally {
            lock.unlock();
        }
    }
}
