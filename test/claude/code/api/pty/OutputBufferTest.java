package claude.code.api.pty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The hand-over ring: it grows under a burst, shrinks when drained, and never loses or reorders a byte. */
class OutputBufferTest {
    final AtomicInteger wakes = new AtomicInteger();
    final OutputBuffer buffer = new OutputBuffer(wakes::incrementAndGet);
    int next;

    byte[] chunk(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (next++ * 31 + 7);
        }
        return b;
    }

    void append(byte[] b) {
        buffer.append(MemorySegment.ofArray(b), b.length);
    }

    byte[] read(int n) throws Exception {
        byte[] out = new byte[n];
        int got = 0;
        while (got < n) {
            got += buffer.read(out, got, n - got);
        }
        return out;
    }

    @Test
    void aBurstBiggerThanTheInitialRingArrivesWholeAndInOrder() throws Exception {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int i = 0; i < 10; i++) {
            byte[] c = chunk(5000);
            append(c);
            sent.write(c);
        }
        assertEquals(50_000, buffer.available());
        assertEquals(OutputBuffer.CAPACITY - 50_000, buffer.space());
        assertArrayEquals(sent.toByteArray(), read(50_000));
    }

    @Test
    void growingAWrappedRingKeepsTheOrder() throws Exception {
        byte[] a = chunk(3000);
        append(a);
        assertArrayEquals(a, read(3000)); // drained: back to the small ring
        byte[] b = chunk(3000);
        append(b);
        assertArrayEquals(Arrays.copyOf(b, 2000), read(2000));
        byte[] c = chunk(3000); // wraps around the 4 KB ring
        append(c);
        byte[] d = chunk(9000); // grows while wrapped
        append(d);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(b, 2000, 1000);
        expected.write(c);
        expected.write(d);
        assertArrayEquals(expected.toByteArray(), read(13_000));
        assertEquals(0, buffer.available());
    }

    @Test
    void aFullBufferHasNoSpaceAndRefusesMore() throws Exception {
        append(chunk(OutputBuffer.CAPACITY));
        assertEquals(0, buffer.space());
        assertThrows(IllegalStateException.class, () -> append(chunk(1)));
        read(10);
        assertEquals(1, wakes.get(), "a read after a full buffer wakes the poller");
        assertEquals(10, buffer.space());
    }

    @Test
    void afterDiscardNothingIsKeptAndReadsEnd() throws Exception {
        append(chunk(100));
        buffer.discard();
        append(chunk(100));
        assertEquals(-1, buffer.read(new byte[10], 0, 10));
        assertEquals(OutputBuffer.CAPACITY, buffer.space());
    }
}
