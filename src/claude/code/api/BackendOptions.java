package claude.code.api;

import claude.code.api.options.ClientToolSet;
import claude.code.api.options.HistoryMode;
import claude.code.api.options.HistoryOptions;
import claude.code.api.options.LaunchOptions;
import claude.code.api.options.PoolLimits;
import claude.code.api.options.RelayOptions;
import claude.code.api.options.Timeouts;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How a {@link ClaudeCodeBackend} runs the CLI and pools its sessions: one record per concern,
 * each documented there. Build with {@link #builder(Path)}, which has the setters of all of them;
 * every value is checked when built, and a bad one is an {@link IllegalArgumentException} that
 * names the option ({@code BackendOptions.model: must not be blank}).
 *
 * <pre>{@code
 * BackendOptions options = BackendOptions.builder(Path.of("/work")).model("sonnet").maxSessions(4)
 *         .turnTimeout(Duration.ofMinutes(5)).build();
 * options.launch().model();   // "sonnet"
 * options.pool().maxSessions();   // 4
 * }</pre>
 *
 * @param launch how the CLI is started (its flags and environment)
 * @param timeouts how long each step of a session may take
 * @param pool how many CLI processes are kept, and for how long
 * @param history how a conversation's history reaches a session
 * @param relay the model-API relay (token deltas, exact errors, the exact end of a turn)
 * @param tools the client's tools the sessions offer instead of the CLI's own ({@link ClientToolSet#NONE}: the CLI's)
 * @param clientToolTimeout how long a session that handed the client its tool calls waits for their results: then
 *     each open call gets an error result, and the session is closed (its CLI went on without the client)
 */
public record BackendOptions(LaunchOptions launch, Timeouts timeouts, PoolLimits pool, HistoryOptions history,
        RelayOptions relay, ClientToolSet tools, Duration clientToolTimeout) {
    /** The default {@link #clientToolTimeout()}: 10 minutes. */
    public static final Duration DEFAULT_CLIENT_TOOL_TIMEOUT = Duration.ofMinutes(10);

    public BackendOptions {
        Objects.requireNonNull(launch, "BackendOptions.launch");
        Objects.requireNonNull(timeouts, "BackendOptions.timeouts");
        Objects.requireNonNull(pool, "BackendOptions.pool");
        Objects.requireNonNull(history, "BackendOptions.history");
        Objects.requireNonNull(relay, "BackendOptions.relay");
        Objects.requireNonNull(tools, "BackendOptions.tools");
        Objects.requireNonNull(clientToolTimeout, "BackendOptions.clientToolTimeout");
        if (clientToolTimeout.isZero() || clientToolTimeout.isNegative()) {
            throw new IllegalArgumentException("BackendOptions.clientToolTimeout: must be positive, got " + clientToolTimeout);
        }
    }

    /** Options with every default, working in {@code cwd}. */
    public static Builder builder(Path cwd) {
        return new Builder(Objects.requireNonNull(cwd, "BackendOptions.cwd"));
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        return new Builder(launch.cwd()).launch(launch).timeouts(timeouts).pool(pool).history(history).relay(relay)
                .tools(tools).clientToolTimeout(clientToolTimeout);
    }

    /**
     * Builds {@link BackendOptions}: the setters of {@link LaunchOptions} (inherited), and those of
     * the timeouts, the pool limits and the history options. Unset options keep their defaults.
     */
    public static final class Builder extends LaunchOptions.Setters<Builder> {
        private Duration startupTimeout;
        private Duration fileWaitTimeout;
        private Duration turnDurationTimeout;
        private Duration turnTimeout;
        private int maxSessions;
        private Duration idleTtl;
        private Duration acquireTimeout;
        private int prestartSessions;
        private HistoryMode historyMode;
        private boolean waitForTurnDuration;
        private boolean includeMetaUser;
        private boolean modelApiRelay;
        private URI relayUpstream;
        private SSLContext relaySslContext;
        private boolean partialEvents;
        private boolean keepCliRetries;
        private ClientToolSet tools = ClientToolSet.NONE;
        private Duration clientToolTimeout = DEFAULT_CLIENT_TOOL_TIMEOUT;

        private Builder(Path cwd) {
            super(cwd);
            timeouts(Timeouts.DEFAULTS);
            pool(PoolLimits.defaults());
            history(HistoryOptions.DEFAULTS);
            relay(RelayOptions.DEFAULTS);
        }

        /** Every relay option from {@code r}. */
        public Builder relay(RelayOptions r) {
            modelApiRelay = r.enabled();
            relayUpstream = r.upstream();
            relaySslContext = r.sslContext();
            partialEvents = r.partialEvents();
            keepCliRetries = r.keepCliRetries();
            return this;
        }

        /** {@link RelayOptions#enabled()}; default on. */
        public Builder modelApiRelay(boolean v) { modelApiRelay = v; return this; }
        /** {@link RelayOptions#upstream()}; default {@code null}: from the environment, else {@link RelayOptions#DEFAULT_UPSTREAM}. */
        public Builder relayUpstream(URI v) { relayUpstream = v; return this; }
        /** {@link RelayOptions#sslContext()}; default {@code null}: the JDK's trust. */
        public Builder relaySslContext(SSLContext v) { relaySslContext = v; return this; }
        /** {@link RelayOptions#partialEvents()}; default on. */
        public Builder partialEvents(boolean v) { partialEvents = v; return this; }

        /** Every timeout from {@code t}. */
        public Builder timeouts(Timeouts t) {
            startupTimeout = t.startupTimeout();
            fileWaitTimeout = t.fileWaitTimeout();
            turnDurationTimeout = t.turnDurationTimeout();
            turnTimeout = t.turnTimeout();
            return this;
        }

        /** Every pool limit from {@code p}. */
        public Builder pool(PoolLimits p) {
            maxSessions = p.maxSessions();
            idleTtl = p.idleTtl();
            acquireTimeout = p.acquireTimeout();
            prestartSessions = p.prestartSessions();
            return this;
        }

        /** Every history option from {@code h}. */
        public Builder history(HistoryOptions h) {
            historyMode = h.mode();
            waitForTurnDuration = h.waitForTurnDuration();
            includeMetaUser = h.includeMetaUser();
            return this;
        }

        /** The client's tools ({@link BackendOptions#tools()}); default {@link ClientToolSet#NONE}. */
        public Builder tools(ClientToolSet v) { tools = v; return this; }
        /** {@link BackendOptions#clientToolTimeout()}; default 10 min. */
        public Builder clientToolTimeout(Duration v) { clientToolTimeout = v; return this; }
        /** {@link Timeouts#startupTimeout()}; default 30 s. */
        public Builder startupTimeout(Duration v) { startupTimeout = v; return this; }
        /** {@link Timeouts#fileWaitTimeout()}; default 30 s. */
        public Builder fileWaitTimeout(Duration v) { fileWaitTimeout = v; return this; }
        /** {@link Timeouts#turnDurationTimeout()}; default 5 s. */
        public Builder turnDurationTimeout(Duration v) { turnDurationTimeout = v; return this; }
        /** {@link Timeouts#turnTimeout()}; default 15 min. */
        public Builder turnTimeout(Duration v) { turnTimeout = v; return this; }
        /** {@link PoolLimits#maxSessions()}; default {@link PoolLimits#defaultMaxSessions()}. */
        public Builder maxSessions(int v) { maxSessions = v; return this; }
        /** {@link PoolLimits#idleTtl()}; default 15 min. */
        public Builder idleTtl(Duration v) { idleTtl = v; return this; }
        /** {@link PoolLimits#acquireTimeout()}; default 30 s. */
        public Builder acquireTimeout(Duration v) { acquireTimeout = v; return this; }
        /** {@link PoolLimits#prestartSessions()}; default 0. */
        public Builder prestartSessions(int v) { prestartSessions = v; return this; }
        /** {@link HistoryOptions#mode()}; default {@link HistoryMode#NATIVE_JSONL}. */
        public Builder historyMode(HistoryMode v) { historyMode = v; return this; }
        /** {@link HistoryOptions#waitForTurnDuration()}; default true. */
        public Builder waitForTurnDuration(boolean v) { waitForTurnDuration = v; return this; }
        /** {@link HistoryOptions#includeMetaUser()}; default false. */
        public Builder includeMetaUser(boolean v) { includeMetaUser = v; return this; }

        /** @throws IllegalArgumentException naming the first option with a bad value */
        public BackendOptions build() {
            try {
                return new BackendOptions(launchOptions(),
                        new Timeouts(startupTimeout, fileWaitTimeout, turnDurationTimeout, turnTimeout),
                        new PoolLimits(maxSessions, idleTtl, acquireTimeout, prestartSessions),
                        new HistoryOptions(historyMode, waitForTurnDuration, includeMetaUser),
                        new RelayOptions(modelApiRelay, relayUpstream, relaySslContext, partialEvents,
                                keepCliRetries || apiMaxRetriesGiven()), tools, clientToolTimeout);
            } catch (IllegalArgumentException e) { // the option records name the option; this says whose it is
                throw new IllegalArgumentException("BackendOptions." + e.getMessage(), e);
            }
        }
    }
}
