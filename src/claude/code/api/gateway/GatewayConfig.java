package claude.code.api.gateway;

import claude.code.api.BackendOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link GatewayServer} serves and how.
 *
 * @param host the address to bind: {@code 127.0.0.1} by default; any other than a loopback
 *     address needs a {@code token}
 * @param port the port; 0 picks a free one ({@link GatewayServer#address()} tells which)
 * @param token the bearer token clients must send ({@code Authorization: Bearer <token>} or
 *     {@code x-api-key: <token>}); {@code null} for none (loopback only)
 * @param backend the options of every CLI session; a request's {@code model} and {@code system}
 *     change {@link claude.code.api.options.LaunchOptions#model()} and the system prompt for its option set
 * @param maxOptionSets how many option sets (distinct request {@code model} + {@code system}
 *     combinations) keep a backend at once; the least recently used idle one is closed for a new one
 * @param maxBodyBytes the largest request body accepted (413 above)
 * @param maxJsonDepth the deepest nesting of arrays and objects accepted in a request body (400 above)
 * @param pingInterval how long a streaming response may go without output before a keep-alive
 *     ({@code ping} event, or an SSE comment for OpenAI) is sent; each one also detects a client
 *     that went away
 * @param toolActivity whether the CLI's tool calls and results are shown to clients, unless a
 *     request says otherwise (header {@code x-claude-code-tool-activity})
 * @param systemPromptMode what a request's {@code system} does to the CLI's own system prompt
 * @param drainTimeout how long {@link GatewayServer#close()} lets open turns finish first, while
 *     {@code /health} answers 503 {@code draining} and new turns are refused with a 503 (a load
 *     balancer moves them to another gateway); zero (the default) closes at once, cutting them
 * @param responsesKept how many Responses API responses are kept in memory for
 *     {@code previous_response_id} and {@code GET /v1/responses/{id}}, the oldest dropped first
 * @param responsesKeptFor how long such a response is kept
 * @param fetchMediaUrls whether the gateway fetches the http(s) url sources of images and documents and hands them on
 *     as base64 ({@code MediaFetch}); off (the default) a url source is a 400, since no network is assumed. On, any
 *     client can make the gateway fetch any URL it can reach, loopback and private addresses included
 */
public record GatewayConfig(String host, int port, String token, BackendOptions backend, int maxOptionSets,
        long maxBodyBytes, int maxJsonDepth, Duration pingInterval, ToolActivity toolActivity,
        SystemPromptMode systemPromptMode, Duration drainTimeout, int responsesKept, Duration responsesKeptFor,
        boolean fetchMediaUrls) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_OPTION_SETS = 4;
    public static final int DEFAULT_RESPONSES_KEPT = 1000;
    public static final Duration DEFAULT_RESPONSES_KEPT_FOR = Duration.ofHours(1);
    public static final long DEFAULT_MAX_BODY_BYTES = 32L * 1024 * 1024;
    /** The most a body may be: the body is read into one array. */
    public static final long MAX_BODY_BYTES_LIMIT = 1L << 30;
    public static final int DEFAULT_MAX_JSON_DEPTH = 200;
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(10);
    /** The longest drain: a day. */
    public static final Duration MAX_DRAIN_TIMEOUT = Duration.ofDays(1);

    /** How the CLI's own tool use reaches clients (it is never a {@code tool_use} block: the client did not define those tools). */
    public enum ToolActivity {
        /** Left out: clients see the model's text and thinking only. */
        NONE,
        /** Each tool call and tool result becomes a text block, in order (format in {@code claude.code.api.events.TurnRendering}). */
        TEXT
    }

    /** What a request's {@code system} does. */
    public enum SystemPromptMode {
        /** Appended to the CLI's system prompt ({@code --append-system-prompt}): the CLI keeps its tools' instructions. */
        APPEND,
        /** Replaces the CLI's system prompt ({@code --system-prompt}). */
        REPLACE
    }

    /** @throws IllegalArgumentException naming the setting at fault */
    public GatewayConfig {
        Objects.requireNonNull(host, "GatewayConfig.host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: must be 0..65535, got " + port);
        }
        if (token != null && (token.isBlank() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new IllegalArgumentException("token: must be printable ASCII without spaces");
        }
        Objects.requireNonNull(backend, "GatewayConfig.backend");
        if (maxOptionSets < 1) {
            throw new IllegalArgumentException("maxOptionSets: must be at least 1, got " + maxOptionSets);
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > MAX_BODY_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxBodyBytes: must be 1 KiB..1 GiB, got " + maxBodyBytes);
        }
        if (maxJsonDepth < 8) {
            throw new IllegalArgumentException("maxJsonDepth: must be at least 8, got " + maxJsonDepth);
        }
        Objects.requireNonNull(pingInterval, "GatewayConfig.pingInterval");
        if (pingInterval.toMillis() < 10) {
            throw new IllegalArgumentException("pingInterval: must be at least 10 ms, got " + pingInterval);
        }
        Objects.requireNonNull(toolActivity, "GatewayConfig.toolActivity");
        Objects.requireNonNull(systemPromptMode, "GatewayConfig.systemPromptMode");
        Objects.requireNonNull(drainTimeout, "GatewayConfig.drainTimeout");
        if (drainTimeout.isNegative() || drainTimeout.compareTo(MAX_DRAIN_TIMEOUT) > 0) {
            throw new IllegalArgumentException("drainTimeout: must be 0..1 day, got " + drainTimeout);
        }
        if (responsesKept < 1) {
            throw new IllegalArgumentException("responsesKept: must be at least 1, got " + responsesKept);
        }
        Objects.requireNonNull(responsesKeptFor, "GatewayConfig.responsesKeptFor");
        if (responsesKeptFor.isNegative() || responsesKeptFor.isZero()) {
            throw new IllegalArgumentException("responsesKeptFor: must be positive, got " + responsesKeptFor);
        }
        if (token == null && !isLoopback(host)) {
            throw new IllegalArgumentException("host: " + host + " is not a loopback address; serving on it needs a "
                    + "token (--token or CLAUDE_CODE_API_TOKEN) so that only your clients can run the CLI");
        }
    }

    /** Defaults: 127.0.0.1:8080, no token, no drain, no media URLs fetched, the other limits as their {@code DEFAULT_} constants. */
    public static Builder builder(BackendOptions backend) {
        return new Builder(backend);
    }

    /** {@code host} names or is a loopback address ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}). */
    public static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Without the token. */
    @Override
    public String toString() {
        return "GatewayConfig[host=" + host + ", port=" + port + ", token=" + (token == null ? "none" : "(set)")
                + ", backend=" + backend + ", maxOptionSets=" + maxOptionSets + ", maxBodyBytes=" + maxBodyBytes
                + ", maxJsonDepth=" + maxJsonDepth + ", pingInterval=" + pingInterval + ", toolActivity=" + toolActivity
                + ", systemPromptMode=" + systemPromptMode + ", drainTimeout=" + drainTimeout
                + ", responsesKept=" + responsesKept + ", responsesKeptFor=" + responsesKeptFor
                + ", fetchMediaUrls=" + fetchMediaUrls + "]";
    }

    public static final class Builder {
        private final BackendOptions backend;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String token;
        private int maxOptionSets = DEFAULT_MAX_OPTION_SETS;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int maxJsonDepth = DEFAULT_MAX_JSON_DEPTH;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private ToolActivity toolActivity = ToolActivity.NONE;
        private SystemPromptMode systemPromptMode = SystemPromptMode.APPEND;
        private Duration drainTimeout = Duration.ZERO;
        private int responsesKept = DEFAULT_RESPONSES_KEPT;
        private Duration responsesKeptFor = DEFAULT_RESPONSES_KEPT_FOR;
        private boolean fetchMediaUrls;

        private Builder(BackendOptions backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder token(String v) { token = v; return this; }
        public Builder maxOptionSets(int v) { maxOptionSets = v; return this; }
        public Builder maxBodyBytes(long v) { maxBodyBytes = v; return this; }
        public Builder maxJsonDepth(int v) { maxJsonDepth = v; return this; }
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }
        public Builder toolActivity(ToolActivity v) { toolActivity = v; return this; }
        public Builder systemPromptMode(SystemPromptMode v) { systemPromptMode = v; return this; }
        public Builder drainTimeout(Duration v) { drainTimeout = v; return this; }
        public Builder responsesKept(int v) { responsesKept = v; return this; }
        public Builder responsesKeptFor(Duration v) { responsesKeptFor = v; return this; }
        public Builder fetchMediaUrls(boolean v) { fetchMediaUrls = v; return this; }

        /** @throws IllegalArgumentException naming the setting at fault */
        public GatewayConfig build() {
            return new GatewayConfig(host, port, token, backend, maxOptionSets, maxBodyBytes, maxJsonDepth, pingInterval,
                    toolActivity, systemPromptMode, drainTimeout, responsesKept, responsesKeptFor, fetchMediaUrls);
        }
    }
}
