package claude.code.api.pty;

import static claude.code.api.pty.PtyTerminalTest.sh;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.testing.Procfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes, signals, the close sequence, and output that must not be lost. */
@Timeout(60)
class PtyLifecycleTest {
    static final Duration SHORT_GRACE = Duration.ofMillis(300);

    @Test
    void theExitStatusIsReported() throws Exception {
        try (PtyProcess p = PtyProcess.start(sh("exit 3"))) {
            assertEquals(3, p.waitFor());
            assertFalse(p.isAlive());
            assertEquals(3, p.onExit().get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void deathBySignalIsReportedAs128PlusTheSignal() throws Exception {
        try (PtyProcess p = PtyProcess.start(sh("kill -TERM $$; sleep 5"))) {
            assertEquals(128 + 15, p.waitFor());
        }
        try (PtyProcess p = PtyProcess.start(PtySpec.of("/bin/sleep", "100"))) {
            p.signal(PtyProcess.Signal.KILL);
            assertEquals(128 + 9, p.waitFor());
        }
    }

    @Test
    void waitForWithATimeoutIsEmptyWhileTheChildRuns() throws Exception {
        try (PtyProcess p = PtyProcess.start(PtySpec.of("/bin/sleep", "100"))) {
            assertEquals(OptionalInt.empty(), p.waitFor(Duration.ofMillis(50)));
            assertTrue(p.isAlive());
        }
    }

    @Test
    void aSignalReachesTheWholeProcessGroup() throws Exception {
        try (PtyProcess p = PtyProcess.start(sh("sleep 1000 & echo \"bg=$!\"; wait"))) {
            long background = backgroundPid(Capture.of(p));
            p.signal(PtyProcess.Signal.TERM);
            assertEquals(128 + 15, p.waitFor());
            awaitDead(background);
        }
    }

    @Test
    void closeKillsAChildThatIgnoresSighupAndItsGroup() throws Exception {
        PtyProcess p = PtyProcess.start(sh("trap '' HUP; sleep 1000 & echo \"bg=$!\"; wait"));
        long background = backgroundPid(Capture.of(p));
        p.close(SHORT_GRACE);
        assertEquals(128 + 9, p.waitFor(), "SIGKILL after the grace period");
        assertTrue(Procfs.notOurChild(p.pid()), "reaped");
        awaitDead(background);
    }

    @Test
    void closeHangsUpTheTerminalWhileAReaderIsBlockedOnIt() throws Exception {
        // The child ignores SIGHUP, so only a real hang-up (EOF on its terminal) ends `cat` and lets it
        // exit with 7; were the master still referenced by a blocked read/poll, close() would have to
        // wait out the grace and SIGKILL (137).
        PtyProcess p = PtyProcess.start(sh("trap '' HUP; echo started; cat; exit 7"));
        Capture out = Capture.of(p); // its virtual thread is blocked in output().read()
        out.await("started");
        p.close(Duration.ofSeconds(30));
        assertEquals(7, p.waitFor());
        assertEquals("started\n", out.awaitEnd(), "the blocked reader sees the end of output");
    }

    @Test
    void closeStopsAChildThatHandlesTheHangUp() throws Exception {
        PtyProcess p = PtyProcess.start(PtySpec.of("/bin/sleep", "1000"));
        p.close(Duration.ofSeconds(30));
        assertEquals(128 + 1, p.waitFor(), "SIGHUP, not the SIGKILL that follows a grace period");
    }

    @Test
    void outputWrittenBeforeTheChildExitedIsNotLost(@TempDir Path dir) throws Exception {
        byte[] data = randomBytes(48 * 1024, 7);
        Path file = Files.write(dir.resolve("data"), data);
        try (PtyProcess p = PtyProcess.start(sh("stty -opost; cat \"$0\"", file.toString()))) {
            assertEquals(0, p.waitFor(Capture.GUARD).orElseThrow(), "exits before anyone reads");
            assertArrayEquals(data, Capture.of(p).awaitEndBytes());
        }
    }

    @Test
    void tenMegabytesOfOutputArriveCompleteThroughASlowStart(@TempDir Path dir) throws Exception {
        byte[] data = randomBytes(10 * 1024 * 1024, 11); // every byte value; -opost passes them unchanged
        Path file = Files.write(dir.resolve("data"), data);
        try (PtyProcess p = PtyProcess.start(sh("stty -opost; exec cat \"$0\"", file.toString()))) {
            Thread.sleep(300); // nobody reads: the buffers fill and the child blocks, as on a real terminal
            byte[] got = Capture.of(p).awaitEndBytes();
            assertEquals(data.length, got.length);
            assertArrayEquals(data, got);
            assertEquals(0, p.waitFor(Capture.GUARD).orElseThrow());
        }
    }

    @Test
    void closingTheOutputStreamDiscardsOutputSoTheChildNeverBlocks() throws Exception {
        try (PtyProcess p = PtyProcess.start(sh("head -c 2000000 /dev/zero; exit 5"))) {
            p.output().close();
            assertEquals(OptionalInt.of(5), p.waitFor(Capture.GUARD));
            assertEquals(-1, p.output().read());
        }
    }

    @Test
    void closeIsIdempotentAndConcurrentCallersWaitForIt() throws Exception {
        PtyProcess p = PtyProcess.start(sh("trap '' HUP; echo trapped; while :; do sleep 1; done"));
        Capture.of(p).await("trapped"); // a hang-up before the trap is set would end it with 129
        List<Thread> closers = new ArrayList<>();
        for (int i = 0; i < 4; i++) closers.add(Thread.ofVirtual().start(() -> p.close(SHORT_GRACE)));
        for (Thread t : closers) assertTrue(t.join(Capture.GUARD));
        // Every closer returned only after the child was reaped.
        assertEquals(128 + 9, p.waitFor(Duration.ZERO).orElseThrow());
        assertTrue(Procfs.notOurChild(p.pid()));
        p.close();
    }

    @Test
    void afterCloseWritesResizesAndSignalsAreRefused() throws Exception {
        PtyProcess p = PtyProcess.start(PtySpec.of("/bin/sleep", "100"));
        p.close();
        IOException write = assertThrows(IOException.class, () -> p.write("x".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("write: the pty is closed", write.getMessage());
        assertThrows(IOException.class, () -> p.resize(100, 30));
        assertThrows(IllegalStateException.class, () -> p.signal(PtyProcess.Signal.TERM));
        assertEquals(-1, p.output().read());
    }

    @Test
    void aWriterBlockedOnAFullTerminalIsReleasedByClose() throws Exception {
        // sleep never reads its terminal: the input queue fills and write() waits for room.
        PtyProcess p = PtyProcess.start(sh("stty raw -echo; echo ready; exec sleep 100"));
        Capture.of(p).await("ready");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                p.write(new byte[1 << 20]);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        awaitState(writer, Thread.State.WAITING);
        p.close();
        assertTrue(writer.join(Capture.GUARD));
        assertTrue(failure.get() instanceof IOException, String.valueOf(failure.get()));
        assertEquals("write: the pty is closed", failure.get().getMessage());
    }

    @Test
    void onExitCallbacksRunOnVirtualThreadsNotOnThePoller() throws Exception {
        try (PtyProcess p = PtyProcess.start(sh("echo ready; read line; exit 0"))) {
            Capture.of(p).await("ready");
            // Attached while the child runs, so it runs on the thread that completes the future.
            var ranOn = p.onExit().thenApply(code -> Thread.currentThread());
            p.write("\n".getBytes(StandardCharsets.US_ASCII));
            Thread thread = ranOn.get(20, TimeUnit.SECONDS);
            assertTrue(thread.isVirtual(), thread.toString());
        }
    }

    // --- helpers -----------------------------------------------------------------------------------

    static byte[] randomBytes(int n, long seed) {
        byte[] data = new byte[n];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static long backgroundPid(Capture out) throws InterruptedException {
        Matcher m = Pattern.compile("bg=(\\d+)\n").matcher(out.await(t -> t.matches("(?s).*bg=\\d+\n.*"), "bg=<pid>"));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    private static void awaitState(Thread t, Thread.State state) throws InterruptedException {
        long deadline = System.nanoTime() + Capture.GUARD.toNanos();
        while (t.getState() != state) {
            if (System.nanoTime() > deadline) throw new AssertionError(t + " never reached " + state);
            Thread.sleep(5);
        }
    }

    /** The grandchild is reparented when it dies, so its end is seen through /proc, with a hang guard. */
    private static void awaitDead(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Capture.GUARD.toNanos();
        while (!Procfs.isDead(pid)) {
            if (System.nanoTime() > deadline) throw new AssertionError("process " + pid + " still runs");
            Thread.sleep(10);
        }
    }
}
