package claude.code.api.pty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The libc binding on whichever JDK runs the tests (21 with --enable-preview, or 22+): the two
 * places where the same source once meant different things on 21 and 22.
 */
class LibCTest {

    /** Out-parameter arrays: pipe2 writes two ints, both must land and be read back. */
    @Test
    void pipe2ReturnsTwoDescriptorsThatCarryAByte() throws IOException {
        int[] fds = LibC.pipe2(Platform.O_CLOEXEC | Platform.O_NONBLOCK);
        try {
            assertEquals(2, fds.length);
            assertTrue(fds[0] > 2 && fds[1] > 2, "two fresh descriptors: " + fds[0] + ", " + fds[1]);
            assertNotEquals(fds[0], fds[1]);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(1);
                out.set(ValueLayout.JAVA_BYTE, 0, (byte) 42);
                assertEquals(1, LibC.write(fds[1], out, 1));
                MemorySegment in = arena.allocate(4);
                assertEquals(1, LibC.read(fds[0], in, 4));
                assertEquals(42, in.get(ValueLayout.JAVA_BYTE, 0));
            }
        } finally {
            LibC.close(fds[0]);
            LibC.close(fds[1]);
        }
    }

    /** errno comes out of the call-state capture: a failing call names it. */
    @Test
    void aFailingCallReportsItsErrnoByNumberAndText() {
        IOException e = assertThrows(IOException.class, () -> LibC.close(-1));
        assertEquals("close(-1): Bad file descriptor (errno 9)", e.getMessage());
    }

    @Test
    void theReturnedErrnoOfANonBlockingReadIsEagain() throws IOException {
        int[] fds = LibC.pipe2(Platform.O_CLOEXEC | Platform.O_NONBLOCK);
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(-Platform.EAGAIN, LibC.read(fds[0], arena.allocate(8), 8), "nothing written yet");
        } finally {
            LibC.close(fds[0]);
            LibC.close(fds[1]);
        }
    }

    @Test
    void killOfAProcessThatDoesNotExistIsFalseNotAnError() throws IOException {
        assertFalse(LibC.kill(Integer.MAX_VALUE, 0), "ESRCH");
    }

    @Test
    void strerrorReadsTheCString() {
        assertEquals("No such file or directory", LibC.strerror(2));
    }
}
