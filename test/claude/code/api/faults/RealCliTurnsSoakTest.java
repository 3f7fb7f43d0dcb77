package claude.code.api.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.ClaudeCodeBackend;
import claude.code.api.events.Message;
import claude.code.api.events.ResultMessage;
import claude.code.api.testing.Procfs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many turns on the real CLI, four conversations at once, each on its own pooled session: every
 * turn succeeds, and afterwards no zombie, no descriptor of the kinds sessions open, no process
 * and no heap growth remain. {@code make test} runs the 200 turns ({@link SoakCounts#REAL_TURNS}),
 * {@code make soak} 1,000.
 */
@Timeout(1200)
class RealCliTurnsSoakTest {
    static final int CONVERSATIONS = 4;
    static final long HEAP_SLACK = 16L << 20;

    @Test
    void manyTurnsOnFourPooledSessionsLeakNoProcessDescriptorOrHeap() throws Exception {
        try (RealStack stack = new RealStack()) {
            run(stack, CONVERSATIONS); // warm up: classes, the watch service, the JDK's helper threads
            stack.api.forgetRequests(); // the mock's record of requests lives in this JVM too
            Map<String, Long> fdsBefore = Procfs.sessionDescriptors();
            long heapBefore = SoakCounts.usedHeapAfterGc();

            List<ResultMessage> results = run(stack, SoakCounts.REAL_TURNS);

            assertEquals(SoakCounts.REAL_TURNS, results.size());
            assertTrue(stack.api.forgetRequests() >= SoakCounts.REAL_TURNS, "every turn reached the model API");
            assertEquals(List.of(), Procfs.zombieChildren(), "no zombie");
            assertEquals(List.of(), stack.home.strayProcesses(), "every CLI was closed with its backend");
            assertTrue(Procfs.await(java.time.Duration.ofSeconds(10), () -> fdsBefore.equals(Procfs.sessionDescriptors())),
                    "PTYs, pidfds, pipes, inotify and transcripts before " + fdsBefore + ", after " + Procfs.sessionDescriptors());
            long growth = SoakCounts.usedHeapAfterGc() - heapBefore;
            assertTrue(growth < HEAP_SLACK, "the heap grew by " + growth + " bytes over " + results.size() + " turns");
        }
    }

    /** {@code turns} turns over {@link #CONVERSATIONS} conversations at once, on one backend closed at the end. */
    static List<ResultMessage> run(RealStack stack, int turns) throws InterruptedException {
        List<ResultMessage> results = new CopyOnWriteArrayList<>();
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(stack.backend().maxSessions(CONVERSATIONS).build())) {
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < CONVERSATIONS; c++) {
                int conversationNo = c;
                int share = turns / CONVERSATIONS + (c < turns % CONVERSATIONS ? 1 : 0);
                threads.add(Thread.ofVirtual().start(() -> {
                    List<Message> conversation = new ArrayList<>();
                    for (int t = 0; t < share; t++) {
                        conversation.add(Message.user("conversation " + conversationNo + " turn " + t));
                        ResultMessage r = backend.complete(conversation).result();
                        results.add(r);
                        if (r.isError()) {
                            return;
                        }
                        conversation.add(Message.assistant(r.finalText()));
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            for (ResultMessage r : results) {
                assertFalse(r.isError(), r.toString());
            }
            assertEquals(Math.min(turns, CONVERSATIONS), backend.metrics().spawns(), "one session per conversation");
        }
        return results;
    }
}
