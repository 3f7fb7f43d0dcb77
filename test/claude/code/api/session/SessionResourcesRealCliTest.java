package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sessions leave nothing behind: no process, no descriptor, no platform thread, no watch service. */
@Timeout(240)
class SessionResourcesRealCliTest {

    @Test
    void sessionsOpenedAndClosedOneAfterAnotherLeakNoDescriptorThreadOrProcess() throws Exception {
        try (LiveCli cli = new LiveCli()) {
            // Warm up: the first session loads classes and starts the JDK's own helper threads.
            cycle(cli);
            Map<String, Long> fdsBefore = descriptorKinds();
            for (int i = 0; i < 4; i++) {
                cycle(cli);
            }
            assertEquals(fdsBefore, descriptorKinds(), "descriptors of the kinds sessions use, before and after");
            assertEquals(0, descriptorKinds().getOrDefault("ptmx", 0L), "no PTY left open");
            assertEquals(0, descriptorKinds().getOrDefault("jsonl", 0L), "no transcript left open");
            awaitNoPollerThread();
            assertEquals(List.of(), cli.home.strayProcesses());
        }
    }

    /** One session with a tool turn and a plain turn, then closed. */
    private static void cycle(LiveCli cli) throws Exception {
        try (ClaudeSession session = cli.open()) {
            assertFalse(session.send("please USE_TOOL").result().isError());
            assertFalse(session.send("thanks").result().isError());
            assertTrue(session.isAlive());
        }
    }

    /**
     * Open descriptors by the kind of thing sessions open: PTY masters, pidfds, pipes (the poller's
     * wake pipe), inotify (the shared watch service), transcripts. Sockets are left out: the mock's
     * connections close on the peer's schedule.
     */
    private static Map<String, Long> descriptorKinds() throws IOException {
        List<String> targets = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString());
                } catch (NoSuchFileException e) {
                    // closed meanwhile
                }
            }
        }
        Function<String, String> kind = t -> t.equals("/dev/ptmx") || t.startsWith("/dev/pts/") ? "ptmx"
                : t.contains("pidfd") ? "pidfd"
                : t.startsWith("pipe:") ? "pipe"
                : t.contains("inotify") ? "inotify"
                : t.endsWith(".jsonl") ? "jsonl"
                : t.endsWith(".json") ? "json"
                : "other";
        Map<String, Long> counts = targets.stream().map(kind)
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        counts.remove("other");
        return counts;
    }

    /** The PTY poller's platform thread ends once the last PTY is closed. */
    private static void awaitNoPollerThread() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("pty-poller")) {
                t.join(java.time.Duration.ofSeconds(10));
                assertFalse(t.isAlive(), "the PTY poller ends with the last PTY");
            }
        }
    }
}
