package claude.code.api.session;

import java.util.concurrent.atomic.AtomicLong;

/** What a backend's sessions did with the client's tools, summed over every session (closed ones too); lock-free. */
public final class ClientToolStats {
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();

    /** Tool calls handed to the client (each tool_use block of an answer that ended at the client's tools). */
    public long calls() {
        return calls.get();
    }

    /** Calls whose result did not come within the client tool timeout (each closed its session). */
    public long timeouts() {
        return timeouts.get();
    }

    void handedOut(int n) {
        calls.addAndGet(n);
    }

    void timedOut() {
        timeouts.incrementAndGet();
    }
}
