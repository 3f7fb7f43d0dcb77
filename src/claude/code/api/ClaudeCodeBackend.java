package claude.code.api;

import claude.code.api.cli.CliCommand;
import claude.code.api.cli.CliOptions;
import claude.code.api.events.ContentBlock;
import claude.code.api.events.ImageBlock;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.mcp.ToolResult;
import claude.code.api.events.Message;
import claude.code.api.events.MessageParseError;
import claude.code.api.failures.BackendClosedException;
import claude.code.api.failures.PoolExhaustedException;
import claude.code.api.failures.SessionStartException;
import claude.code.api.events.EventStream;
import claude.code.api.history.ConcatPrompt;
import claude.code.api.history.Fingerprint;
import claude.code.api.history.SeedTranscript;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.options.HistoryMode;
import claude.code.api.pool.PoolStats;
import claude.code.api.pool.SessionPool;
import claude.code.api.options.RelayOptions;
import claude.code.api.session.ClaudeSession;
import claude.code.api.session.CliSessionFactory;
import claude.code.api.session.ClientToolStats;
import claude.code.api.session.RelayLink;
import claude.code.api.session.RequestAmendment;
import claude.code.api.options.ToolChoice;
import claude.code.api.sidechannel.ModelApiRelay;
import claude.code.api.sidechannel.SideChannel;
import claude.code.api.session.SessionFactory;
import claude.code.api.session.SessionLaunch;
import claude.code.api.session.SessionSettings;
import claude.code.api.transcript.TranscriptPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Set;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Runs conversations on the Claude Code CLI: many at once, each continuing conversation on the
 * CLI process that already holds it.
 *
 * <pre>{@code
 * try (ClaudeCodeBackend backend = new ClaudeCodeBackend(BackendOptions.builder(Path.of("/work")).build());
 *      EventStream turn = backend.complete(List.of(Message.user("What is in this folder?")))) {
 *     turn.forEachRemaining(event -> { ... });   // AssistantMessage, UserMessage, ..., ResultMessage last
 * }
 * }</pre>
 *
 * <h2>Sessions</h2>
 * A request's messages without the last one are looked up by fingerprint among the live
 * sessions. A session that holds them gets only the last message typed in (a pool hit);
 * otherwise a new CLI is started (a miss) and given the earlier messages as the
 * {@link HistoryMode} says. After a completed turn the session returns to the pool under the
 * fingerprints of the new history, as clients echo it back (rules in the
 * {@code claude.code.api.history} package documentation). A failed or interrupted turn closes
 * its session: it is never pooled.
 *
 * <p>The pool holds at most {@link claude.code.api.options.PoolLimits#maxSessions()} live CLIs. A request that needs
 * a new one when the pool is full evicts the least recently used idle session; when every
 * session is running a turn it waits, first come first served, up to
 * {@link claude.code.api.options.PoolLimits#acquireTimeout()}, then fails with {@link PoolExhaustedException}. Idle
 * sessions are closed after {@link claude.code.api.options.PoolLimits#idleTtl()}, and dropped when their process
 * has exited.
 *
 * <p>Client tools ({@link BackendOptions#tools()}): a session whose answer ended at the client's tool calls
 * keeps them open and waits in the pool (taking a slot) under the history with that answer, for at most
 * {@link BackendOptions#clientToolTimeout()}; only the request with their results finds it.
 *
 * <p>Thread-safe. {@link #complete} blocks while a session starts; it is meant for virtual threads.
 */
public final class ClaudeCodeBackend implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ClaudeCodeBackend.class.getName());

    private final BackendOptions options;
    private final SessionFactory factory;
    private final Map<String, String> environment;
    private final SessionSettings sessionSettings;
    private final TranscriptPaths paths;
    private final SessionPool<ClaudeSession> pool;
    private final SpareSessions spares; // null without prestartSessions
    private final TurnMetrics metrics = new TurnMetrics();
    private final ClientToolStats toolStats = new ClientToolStats();
    private final SideChannel sideChannel; // null with the relay off
    private final ModelApiRelay relay; // null with the relay off
    private final BackendMedia media = new BackendMedia(Path.of(System.getProperty("java.io.tmpdir")));
    private final ReentrantLock mcpConfigLock = new ReentrantLock();
    private Path mcpConfig; // guarded by mcpConfigLock
    private boolean mcpConfigDeleted; // guarded by mcpConfigLock
    private volatile boolean closed;
    private final ReentrantLock versionLock = new ReentrantLock();
    private Optional<String> cliVersion; // guarded by versionLock; null until asked once

    /**
     * A backend on the real CLI; transcript lines it cannot read are logged (offset and reason only).
     *
     * @throws UncheckedIOException when the real path of the cwd cannot be resolved
     */
    public ClaudeCodeBackend(BackendOptions options) {
        this(options, SessionSettings.LOG_PARSE_ERRORS);
    }

    /**
     * A backend on the real CLI.
     *
     * @param onParseError receives transcript lines that cannot be parsed (the turn goes on without
     *     them); called on a transcript thread, it must not block
     */
    public ClaudeCodeBackend(BackendOptions options, Consumer<MessageParseError> onParseError) {
        this(options, null, System.getenv(), System::nanoTime, Objects.requireNonNull(onParseError, "onParseError"));
    }

    /** The seam for tests: sessions come from {@code factory}. */
    ClaudeCodeBackend(BackendOptions options, SessionFactory factory) {
        this(options, Objects.requireNonNull(factory, "factory"), System.getenv(), System::nanoTime,
                SessionSettings.LOG_PARSE_ERRORS);
    }

    /**
     * @param environment the environment the CLI's is derived from ({@code System.getenv()})
     * @param ticker monotonic nanoseconds for the pool's TTL and timings
     */
    ClaudeCodeBackend(BackendOptions options, SessionFactory factory, Map<String, String> environment, LongSupplier ticker) {
        this(options, Objects.requireNonNull(factory, "factory"), environment, ticker, SessionSettings.LOG_PARSE_ERRORS);
    }

    /** @param factory {@code null} for real CLI sessions */
    private ClaudeCodeBackend(BackendOptions options, SessionFactory factory, Map<String, String> environment,
            LongSupplier ticker, Consumer<MessageParseError> onParseError) {
        this.options = Objects.requireNonNull(options, "options");
        this.environment = Map.copyOf(environment);
        this.sessionSettings = sessionSettings(options, onParseError);
        this.factory = factory != null ? factory : this::openCliSession;
        try {
            // where the CLI, with the environment it will get, files this project's transcripts
            this.paths = TranscriptPaths.forChild(cliOptions(null).environment(environment), options.launch().cwd());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve the real path of " + options.launch().cwd(), e);
        }
        Duration sweep = options.pool().idleTtl().dividedBy(4);
        sweep = sweep.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : sweep.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : sweep;
        if (factory == null && relayActive(options.relay(), cliOptions(null).environment(environment))) {
            URI upstream = upstream(options.relay(), cliOptions(null).environment(environment));
            try {
                this.sideChannel = SideChannel.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the side channel on 127.0.0.1 for the model-API relay "
                        + "(switch it off with modelApiRelay(false))", e);
            }
            this.relay = new ModelApiRelay(upstream, options.relay().sslContext(), claude.code.api.sidechannel.RelayTap.NONE);
            LOG.log(System.Logger.Level.DEBUG, "model-API relay on 127.0.0.1:{0} to {1}", sideChannel.port(), upstream);
        } else {
            if (factory == null && !options.tools().isEmpty()) {
                throw new IllegalArgumentException("tools: client tools need the model-API relay (the session's side "
                        + "channel serves them to the CLI); it is off here (modelApiRelay(false), or another provider)");
            }
            this.sideChannel = null;
            this.relay = null;
        }
        this.pool = new SessionPool<>(options.pool(), sweep, new SessionLifecycle(), ticker);
        int prestart = options.pool().prestartSessions();
        this.spares = prestart > 0 ? new SpareSessions(prestart, this::startSpare) : null;
    }

    /**
     * A real CLI session. The factory is made per launch because the CLI options are complete only
     * once the MCP config file exists, which happens lazily at the first spawn.
     */
    private ClaudeSession openCliSession(SessionLaunch launch) throws IOException {
        RelayLink link = relay == null ? null : new RelayLink(sideChannel, relay, options.relay().partialEvents(),
                !options.relay().keepCliRetries(), options.tools(), options.clientToolTimeout(), toolStats);
        return new CliSessionFactory(cliOptions(null), environment, sessionSettings, link).open(launch);
    }

    /** Provider switches under which the CLI does not use {@code ANTHROPIC_BASE_URL}. */
    private static final Set<String> OTHER_PROVIDERS = Set.of("CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX",
            "CLAUDE_CODE_USE_FOUNDRY");

    /** The relay is asked for, and the CLI (with {@code childEnvironment}) talks to the Anthropic API. */
    static boolean relayActive(RelayOptions relay, Map<String, String> childEnvironment) {
        if (!relay.enabled()) {
            return false;
        }
        for (String name : OTHER_PROVIDERS) {
            String v = childEnvironment.get(name);
            if (v != null && !Set.of("", "0", "false", "no", "off").contains(v.strip().toLowerCase(java.util.Locale.ROOT))) {
                LOG.log(System.Logger.Level.INFO, "{0} is set: the model-API relay is off", name);
                return false;
            }
        }
        return true;
    }

    /** The relay's upstream: as configured, else the CLI's own {@code ANTHROPIC_BASE_URL}, else the Anthropic API. */
    static URI upstream(RelayOptions relay, Map<String, String> childEnvironment) {
        if (relay.upstream() != null) {
            return relay.upstream();
        }
        String own = childEnvironment.get("ANTHROPIC_BASE_URL");
        if (own != null && !own.isBlank()) {
            try {
                return new RelayOptions(true, URI.create(own.strip()), null, true, false).upstream();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ANTHROPIC_BASE_URL of the CLI's environment, the relay's upstream: "
                        + e.getMessage(), e);
            }
        }
        return RelayOptions.DEFAULT_UPSTREAM;
    }

    static SessionSettings sessionSettings(BackendOptions options, Consumer<MessageParseError> onParseError) {
        return SessionSettings.builder().timeouts(options.timeouts()).history(options.history())
                .onParseError(onParseError).build();
    }

    public BackendOptions options() {
        return options;
    }

    /**
     * Runs one turn: the last message (a user message) is typed into the session that holds the
     * earlier ones, or into a new session given them.
     *
     * @param messages the conversation, Anthropic Messages style: user and assistant messages,
     *     the last one a user message with text; consecutive user messages at the end form the
     *     new turn together (their text blocks joined by a blank line). With {@link BackendOptions#tools()}:
     *     an answer that calls the client's tools ends with them (an {@code AssistantMessage} whose
     *     {@code ToolUseBlock}s carry the client's names, stop reason {@code tool_use}, then a result with stop
     *     reason {@code tool_use}); the next call, its last user message a {@code tool_result} for each of them,
     *     answers the calls the session holds open and returns the continuation
     * @return the turn's events, the last one a {@code ResultMessage}; close it (closing before
     *     the end interrupts the turn)
     * @throws IllegalArgumentException naming the message index and field when the messages are unusable
     * @throws PoolExhaustedException when no session slot freed in time
     * @throws SessionStartException when a new session could not be started (with the reason, the
     *     CLI's exit status and its screen)
     * @throws BackendClosedException after {@link #close()}
     * @throws CancellationException when the thread was interrupted while waiting (its flag is set again)
     */
    public EventStream complete(List<Message> messages) {
        return complete(messages, TurnOptions.DEFAULTS);
    }

    /**
     * As {@link #complete(List)}, with settings of this request alone: {@link TurnOptions#toolChoice()} is set on
     * the model API request that answers it (the turn's first main-loop call, docs/CLI-BEHAVIOUR.md#relay-amendments).
     *
     * @throws IllegalArgumentException also when the tool choice names a tool this backend does not offer, forces a
     *     tool call without client tools, or cannot be set because the model-API relay is off
     */
    public EventStream complete(List<Message> messages, TurnOptions turnOptions) {
        ensureOpen();
        Objects.requireNonNull(turnOptions, "turnOptions");
        Conversation conversation = Conversation.of(messages);
        if (options.history().mode() == HistoryMode.CONCAT_MESSAGE) {
            conversation.requireNoDocumentsInPrior();
        }
        if (relay == null) {
            conversation.requireNoDocumentInNewTurn();
        }
        List<RequestAmendment> firstCall = firstCallAmendments(turnOptions);
        if (!conversation.results().isEmpty()) {
            return answerToolCalls(conversation, firstCall);
        }
        List<Message> prior = conversation.prior();
        String key = prior.isEmpty() ? null : Fingerprint.of(prior);
        SessionPool.Lease<ClaudeSession> lease = lease(key, () -> spawn(prior));
        boolean concat = !lease.reused() && !prior.isEmpty() && options.history().mode() == HistoryMode.CONCAT_MESSAGE;
        String prompt = concat ? ConcatPrompt.build(prior, conversation.prompt()) : conversation.prompt();
        // concat_message: the history's images go with the first prompt, ahead of the new turn's (ConcatPrompt)
        List<ImageBlock> images = concat ? ConcatPrompt.withImages(prior, conversation.images()) : conversation.images();
        List<Path> files;
        try {
            files = media.write(images);
        } catch (IOException | RuntimeException e) {
            lease.discard();
            throw e instanceof IOException io ? new UncheckedIOException("cannot write the images for the CLI", io)
                    : (RuntimeException) e;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "complete: " + messages.size() + " messages, prior "
                + (key == null ? "empty" : key.substring(0, 12)) + (lease.reused() ? ", pool hit" : ", new session")
                + " " + lease.sessionId() + ", prompt " + prompt.length() + " chars");
        EventStream turn;
        try {
            // the documents stay in the requests of later turns, which send this one again (docs/CLI-BEHAVIOUR.md#relay-pdfs)
            lease.session().amendEveryMainCall(conversation.documents());
            turn = lease.session().send(prompt, files, firstCall);
        } catch (RuntimeException e) {
            media.remove(files);
            metrics.failed.incrementAndGet();
            lease.discard();
            throw e;
        }
        return media.removingAfter(new LeasedTurnStream(turn, lease, conversation.messages(), metrics), files);
    }

    /** A session from the pool for {@code key}, or a new one from {@code starter}; the pool's failures as the backend's. */
    private SessionPool.Lease<ClaudeSession> lease(String key, SessionPool.Starter<ClaudeSession> starter) {
        try {
            return pool.acquire(key, starter);
        } catch (PoolExhaustedException e) {
            metrics.exhausted.incrementAndGet();
            throw e;
        } catch (IOException e) { // the process could not be spawned (a CLI that fails to start throws SessionStartException)
            throw new SessionStartException(e.getMessage(), "", null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a claude session");
        } catch (IllegalStateException e) { // the pool's, when it was closed meanwhile: the backend is closed
            ensureOpen();
            throw e;
        }
    }

    /** The amendments of the model API request that answers a request with {@code turn}. */
    private List<RequestAmendment> firstCallAmendments(TurnOptions turn) {
        ToolChoice choice = turn.toolChoice();
        if (choice.isDefault()) {
            return List.of();
        }
        if (choice.forces() && options.tools().isEmpty()) {
            throw new IllegalArgumentException("toolChoice: " + choice.kind().name().toLowerCase(java.util.Locale.ROOT) + " forces a call of the client's tools, "
                    + "but this backend offers none");
        }
        if (relay == null) {
            throw new IllegalArgumentException("toolChoice: " + choice.kind().name().toLowerCase(java.util.Locale.ROOT) + " is set on the model API request by "
                    + "the model-API relay, which is off");
        }
        return RequestAmendment.toolChoice(choice, options.tools()).stream().toList();
    }

    /**
     * The request that answers the client's tool calls: the session that holds them open (pooled under the history
     * with the tool_use message, {@code LeasedTurnStream}) gets the results, in the order of its tool_use ids, and
     * the CLI's turn goes on from there without typing; its continuation is this request's answer. The client's
     * text and images beside the results go after them into the continuation's model request (the relay amends
     * it), as the API gives the model both in one user message. Results no live session holds continue on a new
     * one ({@link #continueOnNewSession}).
     */
    private EventStream answerToolCalls(Conversation conversation, List<RequestAmendment> firstCall) {
        List<ToolResultBlock> results = conversation.results();
        if (options.tools().isEmpty()) { // results answer the client's tool calls: only a tools backend makes them
            throw new IllegalArgumentException("messages: the last user turn holds tool_result blocks for "
                    + results.getFirst().toolUseId() + (results.size() > 1 ? " and others" : "")
                    + ", but this backend offers no client tools whose calls they could answer (the CLI runs its own)");
        }
        int last = conversation.messages().size() - 1;
        List<JsonObject> beside = conversation.messages().get(last).content().stream()
                .filter(b -> !(b instanceof ToolResultBlock) && !(b instanceof TextBlock t && t.text().isEmpty()))
                .map(ContentBlock::toJson).toList();
        if (!beside.isEmpty() && relay == null) {
            throw new IllegalArgumentException("messages[" + last + "].content: text, images or documents beside tool_result "
                    + "blocks reach the model through the model-API relay, which is off; send the tool results alone, "
                    + "and the text in the next user message");
        }
        List<RequestAmendment> continuation = new ArrayList<>(firstCall);
        if (!beside.isEmpty()) {
            continuation.add(new RequestAmendment.AppendAfterToolResults(beside));
        }
        Map<String, ToolResult> byId = new LinkedHashMap<>();
        DocumentMarkers documents = relay == null ? null : new DocumentMarkers();
        for (int i = 0; i < results.size(); i++) {
            ToolResultBlock r = results.get(i);
            byId.put(r.toolUseId(), ClientToolResults.of(r, "messages[" + last + "].content[" + i + "]", documents));
        }
        SessionPool.Lease<ClaudeSession> lease;
        try {
            lease = pool.acquireExisting(Fingerprint.of(conversation.prior()));
        } catch (IllegalStateException e) { // the pool's, when it was closed meanwhile: the backend is closed
            ensureOpen();
            throw e;
        }
        if (lease == null) {
            return continueOnNewSession(conversation, firstCall);
        }
        List<String> awaited = lease.session().awaitedToolUseIds();
        if (!byId.keySet().equals(new HashSet<>(awaited))) { // the fingerprint holds the ids: not expected
            lease.discard();
            return continueOnNewSession(conversation, firstCall);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "complete: " + results.size() + " tool results for session "
                + lease.sessionId() + (beside.isEmpty() ? "" : ", " + beside.size() + " blocks beside them"));
        EventStream turn;
        try {
            if (documents != null) { // a document in a result: its marker is in the MCP result's text
                lease.session().amendEveryMainCall(documents.amendments());
            }
            turn = lease.session().sendToolResults(awaited.stream().map(byId::get).toList(), continuation);
        } catch (RuntimeException e) {
            metrics.failed.incrementAndGet();
            lease.discard();
            throw e;
        }
        return new LeasedTurnStream(turn, lease, conversation.messages(), metrics);
    }

    /**
     * Continues a conversation whose last user turn answers tool calls no live session waits for (it was evicted,
     * timed out, or ran on another gateway): a new session, and the model gets exactly the messages the API would
     * (docs/CLI-BEHAVIOUR.md#relay-amendments). The CLI starts a turn only from a typed prompt, and a seed ending on a
     * user message or an unanswered tool use makes it add messages of its own; so the session is seeded with the
     * history up to its last assistant message without a tool use, a per-session random marker is typed, and the
     * relay puts the rest of the history (tool names as the model saw them) in place of the marker message in every
     * main-loop request of the session.
     */
    private EventStream continueOnNewSession(Conversation conversation, List<RequestAmendment> firstCall) {
        if (relay == null) {
            throw new IllegalArgumentException("messages: the last user turn holds tool results for calls no session "
                    + "waits for; continuing on a new session needs the model-API relay, which is off");
        }
        SeededContinuation continuation = SeededContinuation.of(conversation.messages(), options.tools(),
                options.history().mode() == HistoryMode.NATIVE_JSONL);
        SessionPool.Lease<ClaudeSession> lease = lease(null, () -> spawn(continuation.seed(), continuation.everyMainCall()));
        LOG.log(System.Logger.Level.DEBUG, () -> "complete: tool results for no waiting session; continuing on "
                + lease.sessionId() + " seeded with " + continuation.seed().size() + " messages");
        EventStream turn;
        try {
            turn = lease.session().send(continuation.marker(), List.of(), firstCall);
        } catch (RuntimeException e) {
            metrics.failed.incrementAndGet();
            lease.discard();
            throw e;
        }
        return new LeasedTurnStream(turn, lease, conversation.messages(), metrics);
    }

    /** For tests: the directory this backend writes client images to, once it wrote one. */
    Optional<Path> mediaDirectory() {
        return media.directory();
    }

    /** Live sessions (idle in the pool and running a turn) by session id; a snapshot. */
    public Map<String, SessionInfo> liveSessions() {
        Map<String, SessionInfo> out = new LinkedHashMap<>();
        for (SessionPool.Member<ClaudeSession> m : pool.members()) {
            out.put(m.id(), new SessionInfo(m.id(), m.session().pid(), m.active(), m.idleFor(), m.turns(), m.age(),
                    m.active() ? 0 : m.session().awaitedToolUseIds().size()));
        }
        return out;
    }

    /** How many sessions {@link #liveSessions()} would list. */
    public int liveSessionCount() {
        PoolStats s = pool.stats();
        return s.idle() + s.active();
    }

    /** The terminal screen of a live session, as plain text (for an admin view). */
    public Optional<String> screen(String sessionId) {
        for (SessionPool.Member<ClaudeSession> m : pool.members()) {
            if (m.id().equals(sessionId)) {
                return Optional.of(m.session().screen());
            }
        }
        return Optional.empty();
    }

    /**
     * The version of the CLI this backend runs ({@code 2.1.331}), as its {@code claude --version}
     * says: asked once, at the first call (a short run of the CLI, bounded to 10 s), then kept.
     * Empty when the CLI could not tell it.
     */
    public Optional<String> cliVersion() {
        versionLock.lock();
        try {
            if (cliVersion == null) {
                cliVersion = probeVersion();
            }
            return cliVersion;
        } finally {
            versionLock.unlock();
        }
    }

    private Optional<String> probeVersion() {
        try {
            return CliCommand.parseVersion(CliCommand.run(cliOptions(null), environment, Duration.ofSeconds(10), "--version")
                    .stdout());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "claude --version: " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    public BackendMetrics metrics() {
        PoolStats p = pool.stats();
        return new BackendMetrics(p.hits(), p.misses(), p.spawns(), p.spawnFailures(), p.evictions(), p.expirations(),
                p.deadDropped(), metrics.exhausted.get(), metrics.turns.get(), metrics.failed.get(),
                metrics.interrupted.get(), p.spawnTime(), p.spawnTimeMax(), Duration.ofNanos(metrics.nanos.get()),
                Duration.ofNanos(metrics.maxNanos.get()), p.idle() + p.active(), p.idle(), p.active(), p.spawning(),
                p.waiting(),
                spares == null ? 0 : spares.ready(), awaitingSessions(), toolStats.calls(), toolStats.timeouts());
    }

    /** Idle sessions that hold the client's tool calls open. */
    private int awaitingSessions() {
        if (options.tools().isEmpty()) {
            return 0;
        }
        int n = 0;
        for (SessionPool.Member<ClaudeSession> m : pool.members()) {
            if (!m.active() && !m.session().awaitedToolUseIds().isEmpty()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Ends every session (idle and running; running turns end in an error), waits for sessions
     * being started, and deletes the MCP config file. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        if (spares != null) {
            spares.close();
        }
        pool.close();
        if (relay != null) {
            relay.close();
            sideChannel.close();
        }
        media.close();
        mcpConfigLock.lock();
        try {
            mcpConfigDeleted = true;
            if (mcpConfig != null) {
                Files.deleteIfExists(mcpConfig);
                mcpConfig = null;
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete the MCP config file", e);
        } finally {
            mcpConfigLock.unlock();
        }
    }

    /**
     * The CLI options of a session: {@code launch} decides {@code --session-id} or
     * {@code --resume}; {@code null} gives the options shared by every session.
     */
    CliOptions cliOptions(SessionLaunch launch) {
        Path mcp;
        mcpConfigLock.lock();
        try {
            mcp = mcpConfig;
        } finally {
            mcpConfigLock.unlock();
        }
        CliOptions cli = CliOptions.of(options.launch()).withMcpConfigs(mcp == null ? List.of() : List.of(mcp));
        if (launch == null) {
            return cli;
        }
        return launch.resume() ? cli.withResumeSessionId(launch.sessionId()) : cli.withSessionId(launch.sessionId());
    }

    /** Starts a session for a conversation whose earlier messages are {@code prior}. Runs without the pool lock. */
    private ClaudeSession spawn(List<Message> prior) throws IOException {
        return spawn(prior, List.of());
    }

    /** @param everyMainCall amendments of every main-loop request of the new session; a spare has none */
    private ClaudeSession spawn(List<Message> prior, List<RequestAmendment> everyMainCall) throws IOException {
        ensureMcpConfig();
        String sessionId = UUID.randomUUID().toString();
        Path transcript = paths.transcript(sessionId);
        boolean resume = !prior.isEmpty() && options.history().mode() == HistoryMode.NATIVE_JSONL;
        if (!resume && spares != null && everyMainCall.isEmpty()) {
            Optional<ClaudeSession> spare = spares.take();
            if (spare.isPresent()) {
                LOG.log(System.Logger.Level.DEBUG, () -> "using spare session " + spare.get().sessionId());
                return spare.get();
            }
        }
        long startOffset = resume ? SeedTranscript.write(transcript, sessionId, prior) : 0;
        LOG.log(System.Logger.Level.DEBUG, () -> "starting session " + sessionId + (resume
                ? " seeded with " + prior.size() + " messages (" + startOffset + " bytes)" : " fresh"));
        try {
            return factory.open(new SessionLaunch(sessionId, resume, transcript, startOffset, everyMainCall));
        } catch (IOException | RuntimeException e) {
            if (resume) {
                Files.deleteIfExists(transcript); // the seed holds conversation data and never became a session
            }
            throw e;
        }
    }

    /** A fresh session for {@link SpareSessions}. */
    private ClaudeSession startSpare() throws IOException {
        ensureOpen();
        ensureMcpConfig();
        String sessionId = UUID.randomUUID().toString();
        LOG.log(System.Logger.Level.DEBUG, () -> "starting spare session " + sessionId);
        return factory.open(new SessionLaunch(sessionId, false, paths.transcript(sessionId), 0));
    }

    /** Writes the MCP servers to a private temporary file, once, the first time a session starts. */
    private void ensureMcpConfig() throws IOException {
        if (options.launch().mcpServers().isEmpty()) {
            return;
        }
        mcpConfigLock.lock();
        try {
            if (mcpConfigDeleted) {
                throw new BackendClosedException("ClaudeCodeBackend is closed");
            }
            if (mcpConfig != null) {
                return;
            }
            JsonObject.Builder servers = JsonObject.builder();
            options.launch().mcpServers().forEach(servers::put);
            byte[] json = Json.write(JsonObject.builder().put("mcpServers", servers.build()).build())
                    .getBytes(StandardCharsets.UTF_8);
            Path file = Files.createTempFile("claude-mcp-", ".json",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(file, json);
            } catch (IOException e) {
                Files.deleteIfExists(file);
                throw e;
            }
            mcpConfig = file;
        } finally {
            mcpConfigLock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new BackendClosedException("ClaudeCodeBackend is closed");
        }
    }

    private static final class SessionLifecycle implements SessionPool.Lifecycle<ClaudeSession> {
        @Override
        public String id(ClaudeSession session) {
            return session.sessionId();
        }

        @Override
        public boolean isAlive(ClaudeSession session) {
            return session.isAlive();
        }

        @Override
        public void close(ClaudeSession session) {
            session.close();
        }
    }
}
