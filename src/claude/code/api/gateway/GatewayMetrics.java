package claude.code.api.gateway;

import claude.code.api.BackendMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's counters and the {@code GET /metrics} page (Prometheus text format 0.0.4). Turn
 * latency is measured here, from a request's arrival to the end of its answer, session start
 * included, in fixed buckets.
 */
final class GatewayMetrics {
    /** Upper bounds of the turn latency buckets, in seconds. */
    static final double[] BUCKETS = {0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600};

    private final LongAdder[] buckets = new LongAdder[BUCKETS.length];
    private final DoubleAdder latencySum = new DoubleAdder();
    private final LongAdder latencyCount = new LongAdder();
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> turns = new ConcurrentHashMap<>();

    GatewayMetrics() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** A turn ended: {@code outcome} is {@code ok}, {@code error} or {@code client_gone}. */
    void turn(Duration latency, String outcome) {
        double seconds = latency.toNanos() / 1e9;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                buckets[i].increment();
                break;
            }
        }
        latencySum.add(seconds);
        latencyCount.increment();
        turns.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    /** An HTTP request was answered; {@code route} is one of a fixed set of names, never the raw path. */
    void request(String route, int status) {
        requests.computeIfAbsent(route + "\u0000" + status, k -> new LongAdder()).increment();
    }

    String render(BackendMetrics pool, int optionSets, Collection<String> cliVersions, Lifecycle lifecycle) {
        StringBuilder out = new StringBuilder(4096);
        counter(out, "pool_hits_total", "Requests served by a live CLI session that already held their history.",
                pool.poolHits());
        counter(out, "pool_misses_total", "Requests that needed a new CLI session.", pool.poolMisses());
        counter(out, "pool_evictions_total", "Idle sessions closed to make room for a new one (least recently used).",
                pool.evictions());
        counter(out, "pool_expirations_total", "Idle sessions closed after the idle TTL.", pool.expirations());
        counter(out, "pool_dead_sessions_total", "Idle sessions found exited and dropped.", pool.deadSessionsDropped());
        counter(out, "pool_exhausted_total", "Requests refused because every session was busy (503).",
                pool.poolExhausted());
        counter(out, "session_starts_total", "CLI sessions started.", pool.spawns());
        counter(out, "session_start_failures_total", "CLI session starts that failed.", pool.spawnFailures());
        counter(out, "backend_turns_total", "Turns that completed and left their session in the pool.", pool.turns());
        counter(out, "backend_failed_turns_total", "Turns that ended in an error (their session was closed).",
                pool.failedTurns());
        counter(out, "backend_interrupted_turns_total", "Turns interrupted before their end (their session was closed).",
                pool.interruptedTurns());
        gauge(out, "live_sessions", "Live CLI sessions (idle + running a turn).", pool.liveSessions());
        gauge(out, "idle_sessions", "CLI sessions idle in the pool.", pool.idleSessions());
        gauge(out, "active_sessions", "CLI sessions running a turn.", pool.activeSessions());
        gauge(out, "starting_sessions", "CLI sessions being started.", pool.startingSessions());
        gauge(out, "waiting_requests", "Requests waiting for a free session.", pool.waitingRequests());
        gauge(out, "spare_sessions", "Fresh CLI sessions started ahead of need (--prestart), waiting.", pool.spareSessions());
        gauge(out, "sessions_awaiting_client_tools", "Idle CLI sessions holding the client's tool calls open, waiting for "
                + "their results (they take pool slots).", pool.sessionsAwaitingClientTools());
        counter(out, "client_tool_calls_total", "Tool calls handed to clients (tool_use blocks of answers that ended at "
                + "the client's tools).", pool.clientToolCalls());
        counter(out, "client_tool_timeouts_total", "Client tool calls whose results did not come within the client tool "
                + "timeout (each closed its session).", pool.clientToolTimeouts());
        gauge(out, "option_sets", "Option sets (model + system prompt + client tools) with a backend.", optionSets);
        gauge(out, "draining", "1 while the gateway shuts down: new turns are refused, open ones finish.",
                lifecycle.state() == Lifecycle.State.ACCEPTING ? 0 : 1);
        gauge(out, "open_turns", "Chat requests running a turn now.", lifecycle.openTurns());
        header(out, "cli_info", "The versions of the claude CLI the open backends run (1 per version).", "gauge");
        for (String version : cliVersions) {
            out.append("claude_code_api_cli_info{version=\"").append(version).append("\"} 1\n");
        }

        header(out, "turn_duration_seconds", "Time from a chat request's arrival to the end of its answer.", "histogram");
        long cumulative = 0;
        for (int i = 0; i < BUCKETS.length; i++) {
            cumulative += buckets[i].sum();
            out.append("claude_code_api_turn_duration_seconds_bucket{le=\"").append(number(BUCKETS[i])).append("\"} ")
                    .append(cumulative).append('\n');
        }
        long count = latencyCount.sum();
        out.append("claude_code_api_turn_duration_seconds_bucket{le=\"+Inf\"} ").append(count).append('\n');
        out.append("claude_code_api_turn_duration_seconds_sum ").append(number(latencySum.sum())).append('\n');
        out.append("claude_code_api_turn_duration_seconds_count ").append(count).append('\n');

        header(out, "turns_total", "Chat requests that ran a turn, by outcome (ok, error, client_gone).", "counter");
        new TreeMap<>(turns).forEach((outcome, n) -> out.append("claude_code_api_turns_total{outcome=\"").append(outcome)
                .append("\"} ").append(n.sum()).append('\n'));

        header(out, "http_requests_total", "HTTP requests answered, by route and status.", "counter");
        new TreeMap<>(requests).forEach((key, n) -> {
            int sep = key.indexOf('\u0000');
            out.append("claude_code_api_http_requests_total{route=\"").append(key, 0, sep).append("\",status=\"")
                    .append(key.substring(sep + 1)).append("\"} ").append(n.sum()).append('\n');
        });
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        header(out, name, help, "counter");
        out.append("claude_code_api_").append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        header(out, name, help, "gauge");
        out.append("claude_code_api_").append(name).append(' ').append(value).append('\n');
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP claude_code_api_").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE claude_code_api_").append(name).append(' ').append(type).append('\n');
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6f", v);
    }
}
