package claude.code.api.pty;

import static claude.code.api.pty.PtyTerminalTest.sh;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.testing.Procfs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Everything started is stopped: no zombie, no descriptor, no thread; nothing of the JVM leaks into children. */
@Timeout(60)
class PtyResourceTest {

    @Test
    void fiveHundredSpawnCloseCyclesLeaveNoZombieNoDescriptorAndNoThread() throws Exception {
        long fdsBefore = Procfs.terminalFdCount();
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            // Alternate a child that is done before close() with one that close() must stop.
            PtySpec spec = i % 2 == 0 ? PtySpec.of("/bin/true") : PtySpec.of("/bin/sleep", "100");
            try (PtyProcess p = PtyProcess.start(spec)) {
                pids.add(p.pid());
                if (i % 2 == 0) assertEquals(0, p.waitFor(Capture.GUARD).orElseThrow());
            }
        }
        assertEquals(fdsBefore, Procfs.terminalFdCount(), "terminal descriptors and pidfds in this JVM");
        assertEquals(List.of(), Procfs.zombieChildren());
        for (long pid : pids) assertTrue(Procfs.notOurChild(pid), "pid " + pid + " was reaped");
        assertArrayEquals(new int[] {-1, -1}, PtyPoller.shared().wakePipe(), "the poller closed its wake pipe");
        awaitNoPollerThread();
    }

    @Test
    void theChildSeesNoneOfTheJvmsDescriptors() throws Exception {
        assertChildHasOnlyTheTerminal(true);
    }

    @Test
    void theChildSeesNoneOfTheJvmsDescriptorsWithoutClosefrom() throws Exception {
        assertChildHasOnlyTheTerminal(false); // the /proc/self/fd fallback for glibc before 2.34
    }

    private static void assertChildHasOnlyTheTerminal(boolean useClosefrom) throws Exception {
        // A descriptor opened without O_CLOEXEC, as the JDK and native libraries do: exec alone would pass it on.
        int[] inheritable = LibC.pipe2(0);
        try {
            assertEquals(0, Procfs.fdFlags(inheritable[0]) & Platform.O_CLOEXEC);
            PtySpec spec = PtySpec.of("/usr/bin/ls", "-l", "--time-style=+", "/proc/self/fd/");
            try (PtyProcess p = PtyProcess.start(spec, useClosefrom, true)) {
                String out = Capture.of(p).awaitEnd();
                Map<Integer, String> fds = new TreeMap<>();
                out.lines().filter(l -> l.contains(" -> ")).forEach(l -> {
                    String[] nameTarget = l.substring(l.lastIndexOf(' ', l.indexOf(" -> ") - 1) + 1).split(" -> ");
                    fds.put(Integer.parseInt(nameTarget[0]), nameTarget[1]);
                });
                String pts = fds.get(0);
                assertTrue(pts != null && pts.matches("/dev/pts/\\d+"), out);
                assertEquals(pts, fds.get(1));
                assertEquals(pts, fds.get(2));
                // ls's own handle on the directory it lists is the only other one.
                fds.keySet().removeAll(List.of(0, 1, 2));
                assertEquals(1, fds.size(), out);
                assertTrue(fds.values().iterator().next().matches("/proc/\\d+/fd"), out);
            }
        } finally {
            LibC.close(inheritable[0]);
            LibC.close(inheritable[1]);
        }
    }

    @Test
    void theExitIsSeenAndReapedWithoutPidfd() throws Exception {
        // Kernels before 5.3 have no pidfd: the poller then checks waitid(WNOHANG|WNOWAIT) on a timer.
        PtyProcess exited;
        try (PtyProcess p = PtyProcess.start(sh("exit 4"), true, false)) {
            assertEquals(4, p.waitFor(Capture.GUARD).orElseThrow());
            exited = p;
        }
        PtyProcess running = PtyProcess.start(PtySpec.of("/bin/sleep", "100"), true, false);
        running.close();
        assertEquals(128 + 1, running.waitFor());
        assertTrue(Procfs.notOurChild(exited.pid()));
        assertTrue(Procfs.notOurChild(running.pid()));
    }

    @Test
    void theMasterAndTheWakePipeAreCloseOnExecAndTheMasterIsNonBlocking() throws Exception {
        try (PtyProcess p = PtyProcess.start(PtySpec.of("/bin/sleep", "100"))) {
            int master = Procfs.fdFlags(p.masterFd());
            assertNotEquals(0, master & Platform.O_CLOEXEC, "master O_CLOEXEC");
            assertNotEquals(0, master & Platform.O_NONBLOCK, "master O_NONBLOCK");
            for (int fd : PtyPoller.shared().wakePipe()) {
                assertNotEquals(0, Procfs.fdFlags(fd) & Platform.O_CLOEXEC, "wake pipe fd " + fd + " O_CLOEXEC");
            }
        }
    }

    static void awaitNoPollerThread() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("pty-poller")) {
                assertTrue(t.join(Duration.ofSeconds(5)), "the poller thread ends when no pty is left");
            }
        }
    }
}
