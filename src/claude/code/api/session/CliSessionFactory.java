package claude.code.api.session;

import claude.code.api.cli.ClaudeProcess;
import claude.code.api.cli.CliOptions;
import claude.code.api.failures.SessionStartException;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.mcp.McpLaunch;
import claude.code.api.mcp.McpSession;
import claude.code.api.options.ClientTool;
import claude.code.api.options.ClientToolSet;
import claude.code.api.options.LaunchOptions;
import claude.code.api.sidechannel.SessionChannel;
import claude.code.api.sidechannel.SideChannel;
import claude.code.api.transcript.TranscriptPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The real {@link SessionFactory}: every session is a {@code claude} process started from one
 * {@link CliOptions} template (its session flags replaced per launch) over one base environment.
 *
 * <pre>{@code
 * SessionFactory sessions = new CliSessionFactory(CliOptions.of(LaunchOptions.builder(workdir).build()), System.getenv(),
 *         SessionSettings.DEFAULTS);
 * try (ClaudeSession s = sessions.open(new SessionLaunch(id, false, transcript, 0));
 *      EventStream turn = s.send("hello")) {
 *     turn.forEachRemaining(System.out::println);
 * }
 * }</pre>
 */
public final class CliSessionFactory implements SessionFactory {
    /** How long after the tools/list answer the first Enter may come ({@code docs/CLI-BEHAVIOUR.md#mcp-tools}: 100 ms had them 6 of 6). */
    static final Duration AFTER_TOOLS_LISTED = Duration.ofMillis(100);
    /** Progress on a held client tool call: the CLI aborts a call after 300 s without any. */
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(30);
    /** How much longer than the client tool timeout the CLI itself holds a call (its MCP server entry's timeout). */
    static final Duration CLI_CALL_TIMEOUT_MARGIN = Duration.ofSeconds(30);

    private final CliOptions template;
    private final Map<String, String> baseEnvironment;
    private final SessionSettings settings;
    private final RelayLink relay; // null: no side channel

    /**
     * @param template every flag but the session's own ({@code sessionId}/{@code resumeSessionId} are replaced)
     * @param baseEnvironment what the child's environment starts from (see {@link CliOptions#environment(Map)})
     */
    public CliSessionFactory(CliOptions template, Map<String, String> baseEnvironment, SessionSettings settings) {
        this(template, baseEnvironment, settings, null);
    }

    /**
     * @param relay the side channel every session registers with: its CLI's model API goes through the
     *     relay ({@code ANTHROPIC_BASE_URL}) and its {@code Stop}/{@code StopFailure} hooks come back to it;
     *     {@code null} for none
     */
    public CliSessionFactory(CliOptions template, Map<String, String> baseEnvironment, SessionSettings settings,
            RelayLink relay) {
        this.template = Objects.requireNonNull(template, "template");
        this.baseEnvironment = Map.copyOf(Objects.requireNonNull(baseEnvironment, "baseEnvironment"));
        this.settings = Objects.requireNonNull(settings, "settings");
        this.relay = relay;
    }

    public SessionSettings settings() {
        return settings;
    }

    /**
     * Where the CLI will write the transcript of {@code sessionId}: computed from the child's own
     * environment and cwd, as the CLI computes it.
     */
    public Path transcriptOf(String sessionId) throws IOException {
        return paths(template.withSessionId(sessionId)).transcript(sessionId);
    }

    /**
     * Starts {@code claude --session-id <id>} (or {@code --resume <id>}) and returns once it shows
     * its prompt. The new session follows {@code launch.transcript()} from {@code launch.startOffset()}.
     *
     * @throws IllegalArgumentException if the session id is not a UUID, or {@code launch.transcript()}
     *     is not where the CLI will write (the session would wait for records that never come)
     * @throws claude.code.api.failures.SessionStartException if the CLI does not come up (screen quoted)
     */
    @Override
    public ClaudeSession open(SessionLaunch launch) throws IOException {
        Objects.requireNonNull(launch, "launch");
        String id = TranscriptPaths.requireSessionId(launch.sessionId());
        CliOptions options = launch.resume() ? template.withResumeSessionId(id) : template.withSessionId(id);
        TranscriptPaths paths = paths(options);
        Path expected = paths.transcript(id);
        if (!sameFile(expected, launch.transcript())) {
            throw new IllegalArgumentException("launch.transcript " + launch.transcript() + " is not where the CLI "
                    + "will write session " + id + ": " + expected);
        }
        if (launch.startOffset() < 0) {
            throw new IllegalArgumentException("launch.startOffset must be >= 0, got " + launch.startOffset());
        }
        if (relay == null && !launch.everyMainCall().isEmpty()) {
            throw new IllegalArgumentException("launch.everyMainCall: amending the CLI's requests needs the model-API relay");
        }
        BlockingQueue<SessionSignal> signals = new LinkedBlockingQueue<>();
        SessionRelay sessionRelay = relay == null ? null : attach(id, signals);
        if (sessionRelay != null) {
            sessionRelay.amendEveryMainCall(launch.everyMainCall());
        }
        ClaudeProcess process;
        try {
            if (sessionRelay != null) {
                options = relayed(options, sessionRelay);
            }
            process = ClaudeProcess.start(options, baseEnvironment, settings.process());
        } catch (IOException | RuntimeException | Error e) {
            if (sessionRelay != null) {
                sessionRelay.close();
            }
            throw e;
        }
        CliSession session;
        try {
            session = new CliSession(id, process, launch.transcript(), launch.startOffset(),
                    paths.sessionStatusFile(process.pid()), settings, signals, sessionRelay,
                    relay == null ? new ClientToolStats() : relay.toolStats());
        } catch (RuntimeException | Error e) {
            process.close();
            if (sessionRelay != null) {
                sessionRelay.close();
            }
            throw e;
        }
        Optional<McpSession> tools = sessionRelay == null ? Optional.empty() : sessionRelay.clientTools();
        if (tools.isPresent()) {
            try {
                awaitToolsListed(tools.get(), process);
            } catch (RuntimeException | Error e) {
                session.close();
                throw e;
            }
        }
        return session;
    }

    /**
     * The prompt marker shows before the CLI has connected to the MCP server, and a prompt sent then goes out
     * without the tools; an Enter at least {@link #AFTER_TOOLS_LISTED} after the server answered
     * {@code tools/list} has them ({@code docs/CLI-BEHAVIOUR.md#mcp-tools}, the start-up race). So the session is
     * handed out only then, bounded by the start-up timeout: a session without the client's tools would answer
     * with something else.
     */
    private void awaitToolsListed(McpSession tools, ClaudeProcess process) {
        Duration bound = settings.timeouts().startupTimeout();
        try {
            if (!tools.awaitToolsListed(bound)) {
                throw new SessionStartException("the CLI did not list the client's tools from its MCP server within "
                        + bound, process.screen(), process.exitCode().isPresent() ? process.exitCode().getAsInt() : null,
                        null);
            }
            long waitNanos = tools.toolsListedAt().orElseThrow() + AFTER_TOOLS_LISTED.toNanos() - System.nanoTime();
            if (waitNanos > 0) {
                Thread.sleep(Duration.ofNanos(waitNanos));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while the CLI connected to the client tools' MCP server");
        }
    }

    /** Registers the session with the side channel: the relay route with its own tap, and the hooks route. */
    private SessionRelay attach(String id, BlockingQueue<SessionSignal> signals) {
        SessionChannel channel = relay.channel().register();
        SessionRelay sessionRelay = new SessionRelay(id, signals, relay.partialEvents(), relay.relay().upstream().toString(),
                channel);
        channel.mount(SideChannel.RELAY, relay.relay().route(sessionRelay));
        channel.mount(SessionRelay.HOOKS_ROUTE, sessionRelay.hooks());
        if (!relay.tools().isEmpty()) {
            // Listed read-only: the CLI then calls every tool of one message at once (docs/CLI-BEHAVIOUR.md#mcp-tools),
            // and the client, who runs them, gets them all in one answer; one after the other, the second call would
            // wait for the first one's result, which the client sends only with all of them.
            List<ClientTool> concurrent = relay.tools().tools().stream()
                    .map(t -> new ClientTool(t.name(), t.description(), t.inputSchema(), true)).toList();
            sessionRelay.offerClientTools(new McpSession(concurrent, relay.toolCallTimeout(), PROGRESS_INTERVAL));
        }
        return sessionRelay;
    }

    /**
     * The session's options behind the relay: {@code ANTHROPIC_BASE_URL} is the session's channel
     * (and nothing about credentials: the CLI sends its own, {@code docs/CLI-BEHAVIOUR.md#model-api}), the
     * hooks are merged into the user's settings in a private file (argv is readable by every local user,
     * the URLs hold the session's secret), and the CLI's retries are off unless asked for.
     */
    private CliOptions relayed(CliOptions options, SessionRelay sessionRelay) throws IOException {
        LaunchOptions launch = options.launch();
        JsonObject user = SessionHooks.read(launch.settings(), launch.cwd());
        String merged = Json.write(SessionHooks.merge(user, sessionRelay::hookUrl));
        sessionRelay.onlyOurStopHook(!OtherStopHooks.mayExist(user, launch.extraArgs(), launch.cwd(),
                paths(options).configDir(), OtherStopHooks.MANAGED));
        Path file = privateFile("claude-settings-", merged, sessionRelay);
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("ANTHROPIC_BASE_URL", sessionRelay.baseUrl());
        if (relay.cliRetriesOff() && !launch.extraEnv().containsKey(ClaudeProcess.MAX_RETRIES_VARIABLE)) {
            env.put(ClaudeProcess.MAX_RETRIES_VARIABLE, "0");
        }
        CliOptions relayed = options;
        Optional<McpSession> tools = sessionRelay.clientTools();
        if (tools.isPresent()) {
            // the CLI's own limit on the call a little beyond ours: our error result reaches it first, and the session ends
            McpLaunch mcp = new McpLaunch(ClientToolSet.MCP_SERVER, sessionRelay.mcpUrl(),
                    relay.toolCallTimeout().plus(CLI_CALL_TIMEOUT_MARGIN));
            Path config = privateFile("claude-mcp-", mcp.mcpConfig(), sessionRelay);
            List<Path> configs = new ArrayList<>(options.mcpConfigs());
            configs.add(config);
            McpLaunch.environment().forEach(env::putIfAbsent);
            relayed = options.withMcpConfigs(configs).withSessionArgs(mcp.flags(tools.get().tools()));
        }
        return relayed.withSession(env, file.toString());
    }

    /** A 0600 JSON file holding {@code json}, removed when the session's relay closes. */
    private static Path privateFile(String prefix, String json, SessionRelay sessionRelay) throws IOException {
        Path file = Files.createTempFile(prefix, ".json",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        sessionRelay.deleteOnClose(file);
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    private TranscriptPaths paths(CliOptions options) throws IOException {
        return TranscriptPaths.forChild(ClaudeProcess.childEnvironment(options, baseEnvironment),
                options.cwd());
    }

    private static boolean sameFile(Path a, Path b) throws IOException {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        Path da = a.toAbsolutePath().getParent();
        Path db = b.toAbsolutePath().getParent();
        return a.getFileName().equals(b.getFileName()) && Files.isDirectory(da) && Files.isDirectory(db)
                && Files.isSameFile(da, db);
    }
}
