package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    /** Runs a turn on a virtual thread that holds until {@code release} opens; returns when it has been admitted. */
    static CompletableFuture<Void> holdTurn(Lifecycle lifecycle, CountDownLatch release) throws InterruptedException {
        CountDownLatch admitted = new CountDownLatch(1);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                lifecycle.runTurn(() -> {
                    admitted.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                done.complete(null);
            } catch (HttpError | IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        assertTrue(admitted.await(10, TimeUnit.SECONDS), "the turn was admitted");
        return done;
    }

    @Test
    void anAcceptingGatewayIsHealthyAndCountsItsOpenTurns() throws Exception {
        Lifecycle lifecycle = new Lifecycle();
        assertEquals(200, lifecycle.healthStatus());
        assertEquals("{\"status\":\"ok\"}", Json.write(lifecycle.health()));
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> turn = holdTurn(lifecycle, release);
        assertEquals(1, lifecycle.openTurns());
        release.countDown();
        turn.get(10, TimeUnit.SECONDS);
        assertEquals(0, lifecycle.openTurns());
    }

    @Test
    void aTurnThatFailsIsCountedAsFinished() {
        Lifecycle lifecycle = new Lifecycle();
        assertThrows(IOException.class, () -> lifecycle.runTurn(() -> {
            throw new IOException("the client went away");
        }));
        assertThrows(IllegalStateException.class, () -> lifecycle.runTurn(() -> {
            throw new IllegalStateException("a bug");
        }));
        assertEquals(0, lifecycle.openTurns());
    }

    @Test
    void drainingRefusesNewTurnsWith503BeforeTheyRunAndSaysSoOnHealth() throws Exception {
        Lifecycle lifecycle = new Lifecycle();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> open = holdTurn(lifecycle, release);
        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> lifecycle.drain(Duration.ofSeconds(20)));
        GatewayErrorsTest.waitFor(() -> lifecycle.state() == Lifecycle.State.DRAINING);

        AtomicBoolean ran = new AtomicBoolean();
        HttpError refused = assertThrows(HttpError.class, () -> lifecycle.runTurn(() -> ran.set(true)));
        assertFalse(ran.get(), "a refused turn never starts: retrying it elsewhere is safe");
        assertEquals(503, refused.status);
        assertEquals("overloaded_error", refused.type);
        assertEquals(1, refused.retryAfter);
        assertEquals(503, lifecycle.healthStatus());
        assertEquals("{\"status\":\"draining\",\"open_turns\":1}", Json.write(lifecycle.health()));
        assertFalse(drained.isDone(), "the drain waits for the open turn");

        release.countDown();
        open.get(10, TimeUnit.SECONDS);
        assertTrue(drained.get(10, TimeUnit.SECONDS), "every open turn finished within the bound");
        assertEquals("{\"status\":\"draining\",\"open_turns\":0}", Json.write(lifecycle.health()));
    }

    @Test
    void theDrainGivesUpAtItsBoundAndSaysSo() throws Exception {
        Lifecycle lifecycle = new Lifecycle();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> open = holdTurn(lifecycle, release);
        assertFalse(lifecycle.drain(Duration.ofMillis(200)), "the turn is still open after the bound");
        assertEquals(1, lifecycle.openTurns());
        release.countDown();
        open.get(10, TimeUnit.SECONDS);
    }

    @Test
    void withoutOpenTurnsOrWithAZeroBoundTheDrainDoesNotWait() throws Exception {
        Lifecycle idle = new Lifecycle();
        assertTrue(idle.drain(Duration.ofDays(1)), "nothing open: done at once");
        Lifecycle busy = new Lifecycle();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> open = holdTurn(busy, release);
        assertFalse(busy.drain(Duration.ZERO));
        release.countDown();
        open.get(10, TimeUnit.SECONDS);
    }

    @Test
    void theStateOnlyMovesForward() {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.close();
        assertEquals(Lifecycle.State.CLOSED, lifecycle.state());
        assertTrue(lifecycle.drain(Duration.ofSeconds(1)));
        assertEquals(Lifecycle.State.CLOSED, lifecycle.state(), "a drain after close does not reopen anything");
        assertEquals(503, lifecycle.healthStatus());
        assertThrows(HttpError.class, () -> lifecycle.runTurn(() -> {}));
    }
}
