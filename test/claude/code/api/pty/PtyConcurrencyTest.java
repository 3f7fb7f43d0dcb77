package claude.code.api.pty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.testing.Procfs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many PTYs at once, each driven from its own virtual thread, all served by one poller thread.
 * 100 virtual threads (a driver and an output reader per PTY) block at the same time on as many
 * carriers as there are CPUs (2 here): that only works because no PTY call blocks in native code on
 * the caller's thread, which would pin its carrier.
 */
@Timeout(60)
class PtyConcurrencyTest {
    static final int PTYS = 50;

    @Test
    void fiftyPtysDrivenAtOnceFromVirtualThreads() throws Exception {
        long fdsBefore = Procfs.terminalFdCount();
        CountDownLatch allRunning = new CountDownLatch(PTYS);
        AtomicInteger maxPollerThreads = new AtomicInteger();
        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < PTYS; i++) {
                int id = i;
                results.add(virtualThreads.submit(() -> {
                    try (PtyProcess p = PtyProcess.start(PtySpec.of("/bin/cat").withSize(80 + id, 24))) {
                        Capture out = Capture.of(p);
                        String ping = "ping-" + id + "\n";
                        p.write(ping.getBytes(StandardCharsets.US_ASCII));
                        // once echoed by the terminal, once written back by cat
                        out.await(t -> t.equals(ping + ping), "the echo and cat's copy");
                        allRunning.countDown();
                        assertTrue(allRunning.await(30, TimeUnit.SECONDS), "all PTYs alive together");
                        maxPollerThreads.accumulateAndGet(pollerThreads(), Math::max);
                        p.resize(100, 30 + id % 10);
                        p.write(new byte[] {4}); // ^D at the start of a line: end of input for cat
                        int code = p.waitFor(Capture.GUARD).orElseThrow();
                        out.awaitEnd();
                        return "pty " + id + " exit " + code;
                    }
                }));
            }
            for (int i = 0; i < PTYS; i++) assertEquals("pty " + i + " exit 0", results.get(i).get(45, TimeUnit.SECONDS));
        }
        assertEquals(1, maxPollerThreads.get(), "one platform thread served every pty");
        assertEquals(fdsBefore, Procfs.terminalFdCount());
        assertEquals(List.of(), Procfs.zombieChildren());
        PtyResourceTest.awaitNoPollerThread();
    }

    private static int pollerThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("pty-poller") && t.isAlive()).count();
    }
}
