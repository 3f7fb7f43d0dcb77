package claude.code.api.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.pty.PtyProcess;
import claude.code.api.pty.PtySpec;
import claude.code.api.testing.Procfs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A thousand spawn/close cycles through the public PTY API leave no zombie, no descriptor, no thread and no heap behind. */
@Timeout(900)
class SpawnCloseCyclesTest {
    /** Heap growth allowed over the whole run: far below what a leaked buffer per cycle would add. */
    static final long HEAP_SLACK = 8L << 20;

    @Test
    void aThousandSpawnCloseCyclesLeaveNoZombieNoDescriptorNoThreadAndAStableHeap() throws Exception {
        cycles(20); // warm up: classes, the JDK's own helper threads
        awaitNoPollerThread();
        Map<String, Long> fdsBefore = Procfs.sessionDescriptors();
        long heapBefore = SoakCounts.usedHeapAfterGc();

        List<Long> pids = cycles(SoakCounts.SPAWN_CLOSE_CYCLES);

        assertEquals(List.of(), Procfs.zombieChildren(), "no zombie");
        for (long pid : pids) {
            assertTrue(Procfs.notOurChild(pid), "pid " + pid + " was reaped");
        }
        awaitNoPollerThread();
        assertEquals(fdsBefore, Procfs.sessionDescriptors(), "PTYs, pidfds and pipes of this JVM, before and after");
        long growth = SoakCounts.usedHeapAfterGc() - heapBefore;
        assertTrue(growth < HEAP_SLACK, "the heap grew by " + growth + " bytes over " + pids.size() + " cycles");
    }

    /** Alternates a child that is done before close() with one that close() must stop. */
    static List<Long> cycles(int n) throws Exception {
        List<Long> pids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PtySpec spec = i % 2 == 0 ? PtySpec.of("/bin/true") : PtySpec.of("/bin/sleep", "100");
            try (PtyProcess p = PtyProcess.start(spec)) {
                pids.add(p.pid());
                if (i % 2 == 0) {
                    assertEquals(0, p.waitFor(Duration.ofSeconds(30)).orElseThrow());
                }
            }
        }
        return pids;
    }

    /** The PTY layer's platform thread ends once the last PTY is closed. */
    static void awaitNoPollerThread() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("pty-poller")) {
                t.join(Duration.ofSeconds(10));
                assertTrue(!t.isAlive(), "the PTY poller ends with the last PTY");
            }
        }
    }
}
