package claude.code.api.pty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.testing.Procfs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the child has not read yet, and writing only into an empty input queue. */
@Timeout(60)
class PtyInputPacingTest {
    private static final Duration GUARD = Duration.ofSeconds(20);

    /** A raw-mode child (no line editing, no echo) that reads nothing until {@code $1} exists. */
    private static final String READ_ON_CUE = "stty raw -echo; printf R;"
            + " while [ ! -e \"$1\" ]; do sleep 0.01; done; dd bs=1 count=5 of=\"$2\" 2>/dev/null; printf D;"
            + " while [ ! -e \"$1.2\" ]; do sleep 0.01; done; dd bs=1 count=7 of=\"$2.2\" 2>/dev/null; printf E";

    @Test
    void unreadInputCountsWhatTheChildHasNotReadAndReachesZeroOnceItHas(@TempDir Path dir) throws Exception {
        Path cue = dir.resolve("cue"), got = dir.resolve("got");
        try (PtyProcess p = PtyProcess.start(PtyTerminalTest.sh(READ_ON_CUE, "sh", cue.toString(), got.toString()))) {
            Capture out = Capture.of(p);
            out.await("R");
            assertEquals(0, p.unreadInput());

            p.write("hello world!".getBytes(StandardCharsets.US_ASCII));
            assertEquals(12, p.unreadInput(), "counted at once, though the kernel hands input over asynchronously");
            assertFalse(p.awaitInputRead(Duration.ofMillis(200)), "the child reads nothing yet");
            assertEquals(12, p.unreadInput());

            Files.createFile(cue);
            out.await("D");
            assertEquals("hello", Files.readString(got));
            assertEquals(7, p.unreadInput(), "5 of 12 bytes read");

            Files.createFile(dir.resolve("cue.2"));
            assertTrue(p.awaitInputRead(GUARD));
            assertEquals(0, p.unreadInput());
            out.await("E");
            assertEquals(" world!", Files.readString(dir.resolve("got.2")));
        }
    }

    @Test
    void pacedWritesReachASlowReaderIntactAndInOrderEachIntoAnEmptyQueue(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("received");
        int pieces = 40, size = 1500;
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        // dd with bs=1 makes one read(2) per byte: a reader far slower than the writer.
        String script = "stty raw -echo; printf R; exec dd bs=1 count=" + pieces * size + " of=\"$1\" 2>/dev/null";
        try (PtyProcess p = PtyProcess.start(PtyTerminalTest.sh(script, "sh", file.toString()))) {
            Capture.of(p).await("R");
            for (int i = 0; i < pieces; i++) {
                byte[] piece = piece(i, size);
                assertEquals(0, p.unreadInput(), "piece " + i + " goes into an empty queue");
                p.write(piece);
                sent.writeBytes(piece);
                assertTrue(p.awaitInputRead(GUARD), "piece " + i + " read");
                // dd writes each byte right after reading it: "all read" means the file has them all but at most one.
                assertTrue(Files.size(file) >= sent.size() - 1, "drained only once read: piece " + i);
            }
            assertEquals(0, p.waitFor());
        }
        assertArrayEquals(sent.toByteArray(), Files.readAllBytes(file));
    }

    @Test
    void queriesLeaveNoDescriptorOpenAndTheChildsExitIsStillSeen() throws Exception {
        long before = Procfs.terminalFdCount();
        try (PtyProcess p = PtyProcess.start(PtyTerminalTest.sh("stty raw -echo; printf R; dd bs=1 count=3 2>/dev/null"))) {
            Capture out = Capture.of(p);
            out.await("R");
            long open = Procfs.terminalFdCount();
            for (int i = 0; i < 200; i++) p.unreadInput();
            p.write("abc".getBytes(StandardCharsets.US_ASCII));
            p.awaitInputRead(GUARD);
            assertEquals(open, Procfs.terminalFdCount(), "no slave descriptor left behind");
            // The output ends (EIO on the master) only when no slave descriptor is open anywhere.
            out.awaitEnd();
            assertEquals(0, p.waitFor());
            assertTrue(p.awaitInputRead(GUARD), "the child read it all before it exited");
        }
        assertEquals(before, Procfs.terminalFdCount());
    }

    @Test
    void theWaitEndsWhenTheChildExitsWithInputUnread() throws Exception {
        try (PtyProcess p = PtyProcess.start(PtyTerminalTest.sh("stty raw -echo; printf R; sleep 30"))) {
            Capture.of(p).await("R");
            p.write("never read".getBytes(StandardCharsets.US_ASCII));
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(300);
                    p.signal(PtyProcess.Signal.TERM);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            long start = System.nanoTime();
            assertFalse(p.awaitInputRead(GUARD));
            assertTrue(System.nanoTime() - start < GUARD.toNanos() / 2, "ended by the exit, not the timeout");
        }
    }

    @Test
    void aClosedProcessRefusesTheQuery() throws Exception {
        PtyProcess p = PtyProcess.start(PtyTerminalTest.sh("sleep 10"));
        p.close();
        IOException e = assertThrows(IOException.class, p::unreadInput);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    private static byte[] piece(int index, int size) {
        byte[] b = new byte[size];
        for (int j = 0; j < size; j++) b[j] = (byte) ('A' + (index * 7 + j) % 58); // letters and a few symbols
        return b;
    }
}
