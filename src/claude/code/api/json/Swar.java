package claude.code.api.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * SWAR ("SIMD within a register"): the masks that let the parser's and the writer's string scans
 * look at eight bytes at a time in one {@code long}. Holds a little-endian
 * {@code long} view of a byte array, and byte lanes to compare a word against. For a word
 * {@code w} and lanes {@code L}, {@code x = w ^ L} has a zero byte exactly where {@code w} holds
 * that byte, and {@code ((x - ONES) & ~x & HIGHS) != 0} says whether any byte is zero; with
 * {@code SPACES}, {@code ((w - SPACES) & ~w & HIGHS) != 0} flags a byte below 0x20 (or a non-ASCII
 * byte, which the scans treat as "look closer" anyway).
 */
final class Swar {
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final long ONES = 0x0101010101010101L;
    static final long HIGHS = 0x8080808080808080L;
    static final long QUOTES = 0x2222222222222222L;
    static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    static final long SPACES = 0x2020202020202020L;

    private Swar() {}
}
