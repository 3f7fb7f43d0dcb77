package claude.code.api.faults;

/**
 * How many cycles the repetition tests run: bounded in {@code make test}, the full counts
 * under {@code make soak} (which sets the system properties).
 */
final class SoakCounts {
    private SoakCounts() {}

    /** PTY spawn/close cycles: the 1,000 in both runs (it takes seconds). */
    static final int SPAWN_CLOSE_CYCLES = Integer.getInteger("soak.cycles", 1000);

    /** Turns on the real CLI: 40 in {@code make test}, 200 under {@code make soak}. */
    static final int REAL_TURNS = Integer.getInteger("soak.turns", 40);

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
