package claude.code.api.pty;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The C strings and arrays the PTY hands to libc mean the same on JDK 21 (preview FFM) and 22+. */
class NativeMemoryTest {

    @Test
    void aCStringIsTheUtf8BytesAndOneNul() {
        try (Arena arena = Arena.ofConfined()) {
            String text = "dir/ü€😀";
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            MemorySegment c = NativeMemory.cString(arena, text);
            assertEquals(utf8.length + 1, c.byteSize());
            for (int i = 0; i < utf8.length; i++) assertEquals(utf8[i], c.get(JAVA_BYTE, i), "byte " + i);
            assertEquals(0, c.get(JAVA_BYTE, utf8.length));
            assertEquals(text, NativeMemory.readCString(c));
        }
    }

    @Test
    void anEmptyCStringIsOneNul() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment c = NativeMemory.cString(arena, "");
            assertEquals(1, c.byteSize());
            assertEquals("", NativeMemory.readCString(c));
        }
    }

    @Test
    void aNulInsideTheTextIsRefusedRatherThanCutShort() {
        try (Arena arena = Arena.ofConfined()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NativeMemory.cString(arena, "ab\0cd"));
            assertTrue(e.getMessage().contains("NUL character (at index 2)"), e.getMessage());
        }
    }

    @Test
    void readingStopsAtTheFirstNulOfALargerBuffer() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(16);
            MemorySegment.copy(new byte[] {'p', 't', 's', 0, 'x', 'y'}, 0, buf, JAVA_BYTE, 0, 6);
            assertEquals("pts", NativeMemory.readCString(buf));
        }
    }

    @Test
    void aBufferWithoutNulIsAnErrorNotAReadPastItsEnd() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4);
            buf.fill((byte) 'a');
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeMemory.readCString(buf));
            assertTrue(e.getMessage().contains("no NUL terminator within the 4 bytes"), e.getMessage());
        }
    }

    /** {@code allocate(JAVA_INT, 2)} is one int holding 2 on JDK 21; the array must have room for both. */
    @Test
    void anIntArrayHasRoomForEveryElement() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ints = NativeMemory.intArray(arena, 2);
            assertEquals(8, ints.byteSize());
            assertEquals(0, NativeMemory.intAt(ints, 0));
            assertEquals(0, NativeMemory.intAt(ints, 1));
            ints.set(JAVA_INT, 4, 7);
            assertEquals(7, NativeMemory.intAt(ints, 1));
        }
    }

    @Test
    void aCStringArrayHoldsEachStringThenNull() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment argv = NativeMemory.cStringArray(arena, List.of("/bin/sh", "-c", "échø"));
            assertEquals(4 * ADDRESS.byteSize(), argv.byteSize());
            List<String> read = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                MemorySegment p = argv.get(ADDRESS, i * ADDRESS.byteSize());
                read.add(NativeMemory.readCString(reinterpretForTest(p, 64)));
            }
            assertEquals(List.of("/bin/sh", "-c", "échø"), read);
            assertEquals(MemorySegment.NULL, argv.get(ADDRESS, 3 * ADDRESS.byteSize()));
        }
    }

    @SuppressWarnings("restricted")
    private static MemorySegment reinterpretForTest(MemorySegment pointer, long size) {
        return pointer.reinterpret(size);
    }
}
