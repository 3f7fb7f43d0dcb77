package claude.code.api.mcp;

import claude.code.api.options.ClientTool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one backend session shares with its MCP endpoint: the tools to list, the calls the CLI made, and the
 * moment the CLI first listed the tools (a prompt typed earlier goes out with {@code tools: []}, so the session
 * presses Enter only some time after it).
 *
 * @see McpEndpoint
 */
public final class McpSession implements AutoCloseable {
    /** The newest MCP revision, the one the pinned CLI asks for. */
    static final String PROTOCOL_VERSION = "2025-11-25";

    private final List<ClientTool> tools;
    private final Duration callTimeout;
    private final Duration progressInterval;
    private final LinkedBlockingQueue<PendingToolCall> calls = new LinkedBlockingQueue<>();
    private final Map<String, PendingToolCall> open = new ConcurrentHashMap<>();
    private final CountDownLatch toolsListed = new CountDownLatch(1);
    private final AtomicLong toolsListedNanos = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param callTimeout how long a call waits for the client's result before the CLI gets an error result
     * @param progressInterval how often notifications/progress keep a waiting call alive in the CLI
     */
    public McpSession(List<ClientTool> tools, Duration callTimeout, Duration progressInterval) {
        this.tools = List.copyOf(tools);
        this.callTimeout = Objects.requireNonNull(callTimeout);
        this.progressInterval = Objects.requireNonNull(progressInterval);
        if (progressInterval.isZero() || progressInterval.isNegative()) {
            throw new IllegalArgumentException("progressInterval must be positive: " + progressInterval);
        }
    }

    public List<ClientTool> tools() {
        return tools;
    }

    Duration callTimeout() {
        return callTimeout;
    }

    Duration progressInterval() {
        return progressInterval;
    }

    /** The next call the CLI made, or empty after the timeout. */
    public Optional<PendingToolCall> nextCall(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(calls.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** Waits until the CLI received the first tools/list answer; false when the timeout passed first. */
    public boolean awaitToolsListed(Duration timeout) throws InterruptedException {
        return toolsListed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@link System#nanoTime()} when the first tools/list answer was sent; empty before. */
    public Optional<Long> toolsListedAt() {
        return toolsListed.getCount() == 0 ? Optional.of(toolsListedNanos.get()) : Optional.empty();
    }

    void markToolsListed() {
        if (toolsListed.getCount() != 0 && toolsListedNanos.compareAndSet(0, System.nanoTime())) {
            toolsListed.countDown();
        }
    }

    Optional<ClientTool> tool(String name) {
        return tools.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** @param requestKey the JSON-RPC id in canonical form, which notifications/cancelled names */
    void offer(String requestKey, PendingToolCall call) {
        open.put(requestKey, call);
        call.outcome.whenComplete((o, e) -> open.remove(requestKey, call));
        if (closed) {
            call.fail("session closed");
            return;
        }
        calls.add(call);
    }

    void cancel(String requestKey, String reason) {
        PendingToolCall call = open.get(requestKey);
        if (call != null) {
            call.cancel(reason);
        }
    }

    /** Fails every open call, so no endpoint thread outlives the session. */
    @Override
    public void close() {
        closed = true;
        for (PendingToolCall call : open.values()) {
            call.fail("session closed");
        }
        calls.clear();
    }
}
