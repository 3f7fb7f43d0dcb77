package claude.code.api.launcher;

import claude.code.api.BackendOptions;
import claude.code.api.gateway.GatewayConfig;
import claude.code.api.gateway.GatewayServer;
import claude.code.api.launcher.Flags.UsageException;
import claude.code.api.launcher.Preflight.SetupException;
import claude.code.api.options.PoolLimits;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code serve}: the HTTP gateway, until SIGINT/SIGTERM. */
final class Serve {
    /**
     * Limits of the JDK's HTTP server (system properties read once, when it is first used),
     * unless set on the command line:
     * <ul>
     *   <li>{@code maxReqTime} 60 s: a request's line, headers and body must arrive within a
     *       minute, so a client sending them a byte at a time (slow loris) holds no connection longer;
     *   <li>{@code maxRspTime} stays unlimited: a streamed answer lasts as long as the turn, and
     *       a turn with tools can take many minutes;
     *   <li>{@code idleInterval} 30 s and {@code maxIdleConnections} 200: idle keep-alive
     *       connections are closed after 30 s, and at most 200 are kept;
     *   <li>{@code maxReqHeaders} 100 and {@code maxReqHeaderSize} 64 KiB: no client needs more;
     *   <li>{@code nodelay}: each streamed event leaves at once instead of waiting for the next.
     * </ul>
     */
    static final Map<String, String> HTTP_SERVER_PROPERTIES = Map.of(
            "sun.net.httpserver.maxReqTime", "60",
            "sun.net.httpserver.idleInterval", "30",
            "sun.net.httpserver.maxIdleConnections", "200",
            "sun.net.httpserver.maxReqHeaders", "100",
            "sun.net.httpserver.maxReqHeaderSize", "65536",
            "sun.net.httpserver.nodelay", "true");

    /**
     * How long a stop (SIGTERM, SIGINT) lets open turns finish. Thirty seconds is Kubernetes'
     * default grace period; a supervisor must wait longer than this before its SIGKILL
     * ({@code docs/SCALE-OUT.md}).
     */
    static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private Serve() {}

    /** {@code --fetch-media-urls on|off} ({@code CLAUDE_CODE_API_FETCH_MEDIA_URLS}): off unless set so. */
    static boolean fetchMediaUrls(Flags flags) throws UsageException {
        return "on".equals(flags.choice("fetch-media-urls", List.of("on", "off")));
    }

    static int run(Flags flags, Map<String, String> env, PrintStream out, PrintStream err) throws UsageException, SetupException {
        if (!flags.positional().isEmpty()) {
            throw new UsageException("serve takes no arguments, only options (found \"" + flags.positional().getFirst() + "\")");
        }
        HTTP_SERVER_PROPERTIES.forEach((k, v) -> {
            if (System.getProperty(k) == null) {
                System.setProperty(k, v);
            }
        });
        // every flag is checked before anything is looked for or started
        String host = flags.get("host", GatewayConfig.DEFAULT_HOST);
        int port = flags.integer("port", GatewayConfig.DEFAULT_PORT, 0, 65535);
        int maxOptionSets = flags.integer("max-option-sets", GatewayConfig.DEFAULT_MAX_OPTION_SETS, 1, 64);
        long maxBodyBytes = flags.bytes("max-body-size", GatewayConfig.DEFAULT_MAX_BODY_BYTES);
        String toolActivity = flags.choice("tool-activity", List.of("none", "text"));
        String systemMode = flags.choice("system-prompt-mode", List.of("append", "replace"));
        boolean fetchMediaUrls = fetchMediaUrls(flags);
        int poolSize = flags.integer("pool-size", PoolLimits.defaultMaxSessions(), 1, 1024);
        int prestart = flags.integer("prestart", 0, 0, 1024);
        Duration idleTtl = Main.seconds(flags, "idle-ttl", Duration.ofMinutes(15));
        Duration acquireTimeout = Main.seconds(flags, "acquire-timeout", Duration.ofSeconds(30));
        Duration drainTimeout = Duration.ofSeconds(flags.integer("drain-timeout", (int) DEFAULT_DRAIN_TIMEOUT.toSeconds(), 0,
                (int) GatewayConfig.MAX_DRAIN_TIMEOUT.toSeconds()));
        if (idleTtl.isZero()) {
            throw new UsageException("--idle-ttl: must be at least 1 second");
        }
        if (flags.get("token") == null && !GatewayConfig.isLoopback(host)) {
            throw new UsageException("--host " + host + " is not a loopback address; serving on it needs a token "
                    + "(--token or CLAUDE_CODE_API_TOKEN) so that only your clients can run the CLI");
        }
        BackendOptions.Builder b = Main.backendOptions(flags, env);
        b.maxSessions(poolSize).idleTtl(idleTtl).acquireTimeout(acquireTimeout).prestartSessions(prestart);
        BackendOptions options;
        GatewayConfig config;
        try {
            options = b.build();
            GatewayConfig.Builder c = GatewayConfig.builder(options).host(host).port(port).token(flags.get("token"))
                    .maxOptionSets(maxOptionSets).maxBodyBytes(maxBodyBytes).drainTimeout(drainTimeout)
                    .fetchMediaUrls(fetchMediaUrls);
            if (toolActivity != null) {
                c.toolActivity(GatewayConfig.ToolActivity.valueOf(toolActivity.toUpperCase(Locale.ROOT)));
            }
            if (systemMode != null) {
                c.systemPromptMode(GatewayConfig.SystemPromptMode.valueOf(systemMode.toUpperCase(Locale.ROOT)));
            }
            config = c.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Main.preflight(options, env);

        GatewayServer server;
        try {
            server = GatewayServer.start(config);
        } catch (IOException e) {
            err.println("claude-code-api: " + e.getMessage() + (e.getCause() instanceof BindException
                    ? "\n  Is another server on that port? Choose another with --port N (0 picks a free one)." : ""));
            return Main.EXIT_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("claude-code-api: stopping (closing the CLI sessions)");
            server.close();
            stopped.countDown();
        }, "claude-code-api-shutdown"));
        out.println("claude-code-api " + Main.version() + " listening on " + server.baseUrl());
        out.println("  claude: " + options.launch().executable() + "   cwd: " + options.launch().cwd() + "   pool size: "
                + options.pool().maxSessions() + "   permission mode: " + options.launch().permissionMode()
                + (config.token() == null ? "" : "   token: required")
                + (config.fetchMediaUrls() ? "   media URLs: fetched (--fetch-media-urls on)" : ""));
        out.println("  Anthropic: " + server.baseUrl() + "/v1/messages   OpenAI: " + server.baseUrl()
                + "/v1/chat/completions   admin: " + server.baseUrl() + "/admin");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
