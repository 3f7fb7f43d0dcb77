package claude.code.api;

import claude.code.api.cli.CliOptions;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link ClaudeCodeBackend} runs the CLI and pools its sessions. Build with
 * {@link #builder(Path)}; every value is checked when built, and a bad one is an
 * {@link IllegalArgumentException} that names the option.
 *
 * @param cwd the directory the CLI works in (must exist); also where its transcripts are filed
 * @param executable the {@code claude} binary; a bare name is looked up on the PATH
 * @param model {@code --model}, or {@code null} for the CLI's default
 * @param systemPrompt {@code --system-prompt} (replaces Claude Code's own), or {@code null}
 * @param appendSystemPrompt {@code --append-system-prompt}, or {@code null}
 * @param allowedTools {@code --allowedTools}, e.g. {@code Bash(git *)}, {@code Read}
 * @param disallowedTools {@code --disallowedTools}
 * @param mcpServers MCP servers by name, each config as in an {@code .mcp.json} ({@code command}
 *     + {@code args} for stdio, {@code type} + {@code url} for http/sse); written to a private
 *     temporary {@code --mcp-config} file that lives as long as the backend
 * @param permissionMode {@code --permission-mode}: one of {@code acceptEdits}, {@code auto},
 *     {@code bypassPermissions} (the default: nobody is there to answer permission prompts),
 *     {@code manual}, {@code dontAsk}, {@code plan}. As root the CLI refuses bypass mode unless
 *     {@code IS_SANDBOX=1} is in its environment.
 * @param dangerouslySkipPermissions {@code --dangerously-skip-permissions}
 * @param effort {@code --effort}: {@code low}, {@code medium}, {@code high}, {@code xhigh}, {@code max}, or {@code null}
 * @param addDirs {@code --add-dir}: more directories the CLI may use (must exist)
 * @param settings {@code --settings}: a settings file or a JSON string, or {@code null}
 * @param extraArgs more CLI flags, appended as given; flags that choose the session or the I/O
 *     mode ({@code --resume}, {@code --session-id}, {@code --print}, ...) are the backend's and are refused
 * @param extraEnv variables set in the CLI's environment, over everything else
 * @param preserveProviderEnv keep {@code ANTHROPIC_*} and the other provider/credential variables
 *     of this process's environment (by default they are removed, so the CLI runs on the
 *     subscription it is logged in with; the list is in {@code CliOptions.PROVIDER_VARIABLES})
 * @param historyMode how a new session gets earlier messages
 * @param waitForTurnDuration end a turn only at the CLI's {@code turn_duration} record (else at
 *     the final assistant message)
 * @param includeMetaUser deliver the CLI's {@code isMeta} user records as events
 * @param startupTimeout how long a new CLI may take to show its prompt
 * @param fileWaitTimeout how long to wait for the CLI's transcript to appear
 * @param turnDurationTimeout how long to wait for {@code turn_duration} after the final message
 * @param turnTimeout how long one turn may take in all before it ends with an error result
 * @param apiMaxRetries {@code CLAUDE_CODE_MAX_RETRIES} for the CLI: how often it retries a failed
 *     API call before the turn ends with an error (its own default, 10, retries for about 3
 *     minutes); negative leaves the CLI's default
 * @param maxSessions live CLI processes at most (idle + running a turn); each takes about 200 MB
 * @param idleTtl an idle session unused this long is closed
 * @param acquireTimeout how long a request may wait for a free session slot before
 *     {@link PoolExhaustedException}; zero refuses at once
 * @param prestartSessions fresh CLIs kept started ahead of need (default 0): a request that would
 *     start a fresh session (a first message, or any miss in {@code CONCAT_MESSAGE} mode) takes
 *     one of them instead, so it does not wait for the CLI to start; the one taken is replaced in
 *     the background. They are live processes (about 200 MB each) in addition to
 *     {@code maxSessions}, started when the backend is created; seeded misses
 *     ({@code NATIVE_JSONL} with history) cannot use them
 */
public record BackendOptions(Path cwd, Path executable, String model, String systemPrompt, String appendSystemPrompt,
        List<String> allowedTools, List<String> disallowedTools, Map<String, JsonObject> mcpServers,
        String permissionMode, boolean dangerouslySkipPermissions, String effort, List<Path> addDirs, String settings,
        List<String> extraArgs, Map<String, String> extraEnv, boolean preserveProviderEnv, HistoryMode historyMode,
        boolean waitForTurnDuration, boolean includeMetaUser, Duration startupTimeout, Duration fileWaitTimeout,
        Duration turnDurationTimeout, Duration turnTimeout, int apiMaxRetries, int maxSessions, Duration idleTtl,
        Duration acquireTimeout, int prestartSessions) {

    /** The memory one CLI process is budgeted at when sizing {@link #defaultMaxSessions()}. */
    public static final long BYTES_PER_SESSION = 200L * 1024 * 1024;

    /** Flags the backend sets itself; {@code extraArgs} may not hold them. */
    static final List<String> RESERVED_FLAGS = List.of("--session-id", "--resume", "-r", "--continue", "-c",
            "--fork-session", "--print", "-p", "--output-format", "--input-format", "--bg", "--background",
            "--teleport", "--from-pr", "--cloud", "--desktop", "--no-session-persistence");

    public BackendOptions {
        Objects.requireNonNull(cwd, "BackendOptions.cwd");
        cwd = cwd.toAbsolutePath().normalize();
        if (!Files.isDirectory(cwd)) {
            throw new IllegalArgumentException("BackendOptions.cwd: " + cwd + " is not a directory");
        }
        Objects.requireNonNull(executable, "BackendOptions.executable");
        if ((executable.isAbsolute() || executable.getNameCount() > 1) && !Files.isExecutable(executable)) {
            throw new IllegalArgumentException("BackendOptions.executable: " + executable + " is not an executable file");
        }
        text("model", model, false);
        text("systemPrompt", systemPrompt, true);
        text("appendSystemPrompt", appendSystemPrompt, true);
        allowedTools = texts("allowedTools", allowedTools);
        disallowedTools = texts("disallowedTools", disallowedTools);
        mcpServers = servers(mcpServers);
        if (permissionMode != null && !CliOptions.PERMISSION_MODES.contains(permissionMode)) {
            throw new IllegalArgumentException("BackendOptions.permissionMode: \"" + permissionMode + "\" is not one of "
                    + CliOptions.PERMISSION_MODES);
        }
        if (effort != null && !CliOptions.EFFORT_LEVELS.contains(effort)) {
            throw new IllegalArgumentException("BackendOptions.effort: \"" + effort + "\" is not one of " + CliOptions.EFFORT_LEVELS);
        }
        addDirs = directories(addDirs);
        text("settings", settings, false);
        extraArgs = texts("extraArgs", extraArgs);
        for (String arg : extraArgs) {
            for (String flag : RESERVED_FLAGS) {
                if (arg.equals(flag) || arg.startsWith(flag + "=")) {
                    throw new IllegalArgumentException("BackendOptions.extraArgs: " + flag
                            + " is set by the backend itself and cannot be passed");
                }
            }
        }
        extraEnv = environment(extraEnv);
        Objects.requireNonNull(historyMode, "BackendOptions.historyMode");
        positive("startupTimeout", startupTimeout);
        positive("fileWaitTimeout", fileWaitTimeout);
        positive("turnDurationTimeout", turnDurationTimeout);
        positive("turnTimeout", turnTimeout);
        if (maxSessions < 1) {
            throw new IllegalArgumentException("BackendOptions.maxSessions: must be at least 1, got " + maxSessions);
        }
        positive("idleTtl", idleTtl);
        Objects.requireNonNull(acquireTimeout, "BackendOptions.acquireTimeout");
        if (acquireTimeout.isNegative()) {
            throw new IllegalArgumentException("BackendOptions.acquireTimeout: must not be negative, got " + acquireTimeout);
        }
        if (prestartSessions < 0 || prestartSessions > maxSessions) {
            throw new IllegalArgumentException("BackendOptions.prestartSessions: must be 0.." + maxSessions
                    + " (maxSessions), got " + prestartSessions);
        }
    }

    /** Options with every default, working in {@code cwd}. */
    public static Builder builder(Path cwd) {
        return new Builder(cwd);
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder(cwd);
        b.executable = executable;
        b.model = model;
        b.systemPrompt = systemPrompt;
        b.appendSystemPrompt = appendSystemPrompt;
        b.allowedTools = allowedTools;
        b.disallowedTools = disallowedTools;
        b.mcpServers = new LinkedHashMap<>(mcpServers);
        b.permissionMode = permissionMode;
        b.dangerouslySkipPermissions = dangerouslySkipPermissions;
        b.effort = effort;
        b.addDirs = addDirs;
        b.settings = settings;
        b.extraArgs = extraArgs;
        b.extraEnv = new LinkedHashMap<>(extraEnv);
        b.preserveProviderEnv = preserveProviderEnv;
        b.historyMode = historyMode;
        b.waitForTurnDuration = waitForTurnDuration;
        b.includeMetaUser = includeMetaUser;
        b.startupTimeout = startupTimeout;
        b.fileWaitTimeout = fileWaitTimeout;
        b.turnDurationTimeout = turnDurationTimeout;
        b.turnTimeout = turnTimeout;
        b.apiMaxRetries = apiMaxRetries;
        b.maxSessions = maxSessions;
        b.idleTtl = idleTtl;
        b.acquireTimeout = acquireTimeout;
        b.prestartSessions = prestartSessions;
        return b;
    }

    /**
     * The default {@link #maxSessions()}: half of this machine's memory at
     * {@link #BYTES_PER_SESSION} each, between 1 and 64; 4 when the memory size is unknown.
     */
    public static int defaultMaxSessions() {
        long total = totalMemoryBytes();
        if (total <= 0) {
            return 4;
        }
        return (int) Math.max(1, Math.min(64, total / 2 / BYTES_PER_SESSION));
    }

    private static long totalMemoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: the caller falls back
        }
        return -1;
    }

    /** Without prompt texts, settings and variable values (they may be secret). */
    @Override
    public String toString() {
        return "BackendOptions[cwd=" + cwd + ", executable=" + executable + ", model=" + model + ", systemPrompt="
                + length(systemPrompt) + ", appendSystemPrompt=" + length(appendSystemPrompt) + ", allowedTools="
                + allowedTools + ", disallowedTools=" + disallowedTools + ", mcpServers=" + mcpServers.keySet()
                + ", permissionMode=" + permissionMode + ", dangerouslySkipPermissions=" + dangerouslySkipPermissions
                + ", effort=" + effort + ", addDirs=" + addDirs + ", settings=" + length(settings) + ", extraArgs="
                + extraArgs.size() + " args, extraEnv=" + extraEnv.keySet() + ", preserveProviderEnv="
                + preserveProviderEnv + ", historyMode=" + historyMode + ", waitForTurnDuration=" + waitForTurnDuration
                + ", includeMetaUser=" + includeMetaUser + ", startupTimeout=" + startupTimeout + ", fileWaitTimeout="
                + fileWaitTimeout + ", turnDurationTimeout=" + turnDurationTimeout + ", turnTimeout=" + turnTimeout
                + ", apiMaxRetries=" + apiMaxRetries + ", maxSessions=" + maxSessions
                + ", idleTtl=" + idleTtl + ", acquireTimeout=" + acquireTimeout + ", prestartSessions=" + prestartSessions + "]";
    }

    private static String length(String s) {
        return s == null ? "null" : "(" + s.length() + " chars)";
    }

    private static void text(String name, String value, boolean blankOk) {
        if (value == null) {
            return;
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("BackendOptions." + name + ": contains a NUL character");
        }
        if (!blankOk && value.isBlank()) {
            throw new IllegalArgumentException("BackendOptions." + name + ": must not be blank");
        }
    }

    private static List<String> texts(String name, List<String> values) {
        Objects.requireNonNull(values, "BackendOptions." + name);
        List<String> copy = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v == null) {
                throw new IllegalArgumentException("BackendOptions." + name + "[" + i + "]: is null");
            }
            text(name + "[" + i + "]", v, false);
            copy.add(v);
        }
        return List.copyOf(copy);
    }

    private static List<Path> directories(List<Path> dirs) {
        Objects.requireNonNull(dirs, "BackendOptions.addDirs");
        List<Path> out = new ArrayList<>(dirs.size());
        for (int i = 0; i < dirs.size(); i++) {
            Path d = dirs.get(i);
            if (d == null || !Files.isDirectory(d)) {
                throw new IllegalArgumentException("BackendOptions.addDirs[" + i + "]: " + d + " is not a directory");
            }
            out.add(d.toAbsolutePath().normalize());
        }
        return List.copyOf(out);
    }

    private static Map<String, JsonObject> servers(Map<String, JsonObject> servers) {
        Objects.requireNonNull(servers, "BackendOptions.mcpServers");
        Map<String, JsonObject> copy = new LinkedHashMap<>();
        servers.forEach((name, config) -> {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("BackendOptions.mcpServers: a server name is blank");
            }
            String at = "BackendOptions.mcpServers[\"" + name + "\"]";
            if (config == null) {
                throw new IllegalArgumentException(at + ": the config is null");
            }
            boolean stdio = config.get("command") instanceof JsonString c && !c.value().isBlank();
            boolean remote = config.get("url") instanceof JsonString u && !u.value().isBlank();
            if (!stdio && !remote) {
                throw new IllegalArgumentException(at + ": needs a \"command\" (stdio server) or a \"url\" (http or sse server)");
            }
            copy.put(name, config);
        });
        return Collections.unmodifiableMap(copy);
    }

    private static Map<String, String> environment(Map<String, String> env) {
        Objects.requireNonNull(env, "BackendOptions.extraEnv");
        Map<String, String> copy = new LinkedHashMap<>();
        env.forEach((k, v) -> {
            if (k == null || k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("BackendOptions.extraEnv: \"" + k + "\" is not a valid variable name");
            }
            if (v == null || v.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("BackendOptions.extraEnv[\"" + k + "\"]: the value is null or holds a NUL");
            }
            copy.put(k, v);
        });
        return Collections.unmodifiableMap(copy);
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, "BackendOptions." + name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("BackendOptions." + name + ": must be positive, got " + d);
        }
    }

    /** Builds {@link BackendOptions}; unset options keep their defaults. */
    public static final class Builder {
        private final Path cwd;
        private Path executable = Path.of("claude");
        private String model;
        private String systemPrompt;
        private String appendSystemPrompt;
        private List<String> allowedTools = List.of();
        private List<String> disallowedTools = List.of();
        private Map<String, JsonObject> mcpServers = new LinkedHashMap<>();
        private String permissionMode = "bypassPermissions";
        private boolean dangerouslySkipPermissions;
        private String effort;
        private List<Path> addDirs = List.of();
        private String settings;
        private List<String> extraArgs = List.of();
        private Map<String, String> extraEnv = new LinkedHashMap<>();
        private boolean preserveProviderEnv;
        private HistoryMode historyMode = HistoryMode.NATIVE_JSONL;
        private boolean waitForTurnDuration = true;
        private boolean includeMetaUser;
        private Duration startupTimeout = Duration.ofSeconds(30);
        private Duration fileWaitTimeout = Duration.ofSeconds(30);
        private Duration turnDurationTimeout = Duration.ofSeconds(5);
        private Duration turnTimeout = Duration.ofMinutes(15);
        private int apiMaxRetries = 2;
        private int maxSessions = defaultMaxSessions();
        private Duration idleTtl = Duration.ofMinutes(15);
        private Duration acquireTimeout = Duration.ofSeconds(30);
        private int prestartSessions;

        private Builder(Path cwd) {
            this.cwd = Objects.requireNonNull(cwd, "BackendOptions.cwd");
        }

        public Builder executable(Path v) { executable = v; return this; }
        public Builder model(String v) { model = v; return this; }
        public Builder systemPrompt(String v) { systemPrompt = v; return this; }
        public Builder appendSystemPrompt(String v) { appendSystemPrompt = v; return this; }
        public Builder allowedTools(List<String> v) { allowedTools = v; return this; }
        public Builder allowedTools(String... v) { return allowedTools(List.of(v)); }
        public Builder disallowedTools(List<String> v) { disallowedTools = v; return this; }
        public Builder disallowedTools(String... v) { return disallowedTools(List.of(v)); }
        /** Replaces the MCP servers. */
        public Builder mcpServers(Map<String, JsonObject> v) { mcpServers = new LinkedHashMap<>(v); return this; }
        /** Adds (or replaces) one MCP server. */
        public Builder mcpServer(String name, JsonObject config) { mcpServers.put(name, config); return this; }
        public Builder permissionMode(String v) { permissionMode = v; return this; }
        public Builder dangerouslySkipPermissions(boolean v) { dangerouslySkipPermissions = v; return this; }
        public Builder effort(String v) { effort = v; return this; }
        public Builder addDirs(List<Path> v) { addDirs = v; return this; }
        public Builder addDirs(Path... v) { return addDirs(List.of(v)); }
        public Builder settings(String v) { settings = v; return this; }
        public Builder extraArgs(List<String> v) { extraArgs = v; return this; }
        public Builder extraArgs(String... v) { return extraArgs(List.of(v)); }
        /** Replaces the extra environment. */
        public Builder extraEnv(Map<String, String> v) { extraEnv = new LinkedHashMap<>(v); return this; }
        /** Adds (or replaces) one extra variable. */
        public Builder extraEnv(String name, String value) { extraEnv.put(name, value); return this; }
        public Builder preserveProviderEnv(boolean v) { preserveProviderEnv = v; return this; }
        public Builder historyMode(HistoryMode v) { historyMode = v; return this; }
        public Builder waitForTurnDuration(boolean v) { waitForTurnDuration = v; return this; }
        public Builder includeMetaUser(boolean v) { includeMetaUser = v; return this; }
        public Builder startupTimeout(Duration v) { startupTimeout = v; return this; }
        public Builder fileWaitTimeout(Duration v) { fileWaitTimeout = v; return this; }
        public Builder turnDurationTimeout(Duration v) { turnDurationTimeout = v; return this; }
        public Builder turnTimeout(Duration v) { turnTimeout = v; return this; }
        public Builder apiMaxRetries(int v) { apiMaxRetries = v; return this; }
        public Builder maxSessions(int v) { maxSessions = v; return this; }
        public Builder idleTtl(Duration v) { idleTtl = v; return this; }
        public Builder acquireTimeout(Duration v) { acquireTimeout = v; return this; }
        public Builder prestartSessions(int v) { prestartSessions = v; return this; }

        /** @throws IllegalArgumentException naming the first option with a bad value */
        public BackendOptions build() {
            return new BackendOptions(cwd, executable, model, systemPrompt, appendSystemPrompt, allowedTools,
                    disallowedTools, mcpServers, permissionMode, dangerouslySkipPermissions, effort, addDirs, settings,
                    extraArgs, extraEnv, preserveProviderEnv, historyMode, waitForTurnDuration, includeMetaUser,
                    startupTimeout, fileWaitTimeout, turnDurationTimeout, turnTimeout, apiMaxRetries, maxSessions, idleTtl,
                    acquireTimeout, prestartSessions);
        }
    }
}
