package claude.code.api.faults;

/**
 * How many cycles the repetition tests run: the counts in {@code make test} (about a
 * minute together on 2 CPUs), ten and five times as many under {@code make soak}, which sets the
 * system properties.
 */
final class SoakCounts {
    private SoakCounts() {}

    /** PTY spawn/close cycles: 1,000 (about 10 s); {@code make soak}: 10,000. */
    static final int SPAWN_CLOSE_CYCLES = Integer.getInteger("soak.cycles", 1000);

    /** Turns on the real CLI, four conversations at once: 200 (about 50 s); {@code make soak}: 1,000. */
    static final int REAL_TURNS = Integer.getInteger("soak.turns", 200);

    /** Used heap after a full collection, in bytes. */
    static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // the smallest of a few: finalizable leftovers of the previous round go
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
