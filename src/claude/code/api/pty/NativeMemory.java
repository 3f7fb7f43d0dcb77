package claude.code.api.pty;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * C strings and arrays in native memory, written with only what JDK 21's preview FFM API and the
 * final API of 22+ share: {@code allocate(byteSize, byteAlignment)} and {@code get}/{@code set}/
 * {@code copy} by byte offset.
 *
 * <p>Why not the API's own conveniences: {@code Arena.allocateFrom(String)} and
 * {@code MemorySegment.getString} are new in 22 (21 has {@code allocateUtf8String} and
 * {@code getUtf8String}), and {@code allocate(JAVA_INT, 2)} compiles on both but means "an int
 * array of 2" on 22 and "one int holding 2" on 21. Going through byte sizes and offsets keeps one
 * source that means the same on both.
 */
final class NativeMemory {
    private NativeMemory() {}

    /**
     * A NUL-terminated UTF-8 copy of {@code s}. A NUL inside {@code s} would silently cut the
     * string short on the C side, so it is refused.
     */
    static MemorySegment cString(Arena arena, String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a C string cannot hold a NUL character (at index " + s.indexOf('\0') + ")");
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        MemorySegment segment = arena.allocate(bytes.length + 1L, 1);
        MemorySegment.copy(bytes, 0, segment, JAVA_BYTE, 0, bytes.length);
        segment.set(JAVA_BYTE, bytes.length, (byte) 0);
        return segment;
    }

    /** The UTF-8 text before the first NUL in {@code segment}; an error if there is none within its bounds. */
    static String readCString(MemorySegment segment) {
        long size = segment.byteSize();
        for (long end = 0; end < size; end++) {
            if (segment.get(JAVA_BYTE, end) == 0) {
                byte[] bytes = new byte[Math.toIntExact(end)];
                MemorySegment.copy(segment, JAVA_BYTE, 0, bytes, 0, bytes.length);
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }
        throw new IllegalArgumentException("no NUL terminator within the " + size + " bytes of the C string");
    }

    /** Room for {@code count} C ints, zeroed; element {@code i} is at byte offset {@code 4 * i}. */
    static MemorySegment intArray(Arena arena, int count) {
        return arena.allocate(JAVA_INT.byteSize() * count, JAVA_INT.byteAlignment());
    }

    static int intAt(MemorySegment array, int index) {
        return array.get(JAVA_INT, JAVA_INT.byteSize() * index);
    }

    /** A NULL-terminated {@code char *[]} of the strings, each a {@link #cString}. */
    static MemorySegment cStringArray(Arena arena, List<String> strings) {
        long slot = ADDRESS.byteSize();
        MemorySegment array = arena.allocate(slot * (strings.size() + 1L), ADDRESS.byteAlignment());
        for (int i = 0; i < strings.size(); i++) {
            array.set(ADDRESS, slot * i, cString(arena, strings.get(i)));
        }
        array.set(ADDRESS, slot * strings.size(), MemorySegment.NULL);
        return array;
    }
}
