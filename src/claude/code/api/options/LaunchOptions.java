package claude.code.api.options;

import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * How the {@code claude} CLI is started: everything its argv and environment are made of, except
 * what each session sets for itself (its session id, its terminal). Flags as in {@code claude
 * --help} of the pinned CLI (2.1.331). Every value is checked when built; a bad one is an
 * {@link IllegalArgumentException} that names the option.
 *
 * <p>A new CLI flag is a component here (with its setter in {@link Setters}), one line of the
 * argv in the {@code cli} package, and a test.
 *
 * @param cwd the directory the CLI works in (must exist); also where its transcripts are filed
 * @param executable the {@code claude} binary; a bare name is looked up on the PATH
 * @param model {@code --model}, or {@code null} for the CLI's default
 * @param fallbackModel {@code --fallback-model}: the models to fall back to, comma-separated in
 *     order, when the main model is busy or unavailable (the main one is tried again at the start
 *     of each turn); or {@code null}
 * @param systemPrompt {@code --system-prompt} (replaces Claude Code's own), or {@code null}
 * @param appendSystemPrompt {@code --append-system-prompt}, or {@code null}
 * @param allowedTools {@code --allowedTools}, e.g. {@code Bash(git *)}, {@code Read}
 * @param disallowedTools {@code --disallowedTools}
 * @param mcpServers MCP servers by name, each config as in an {@code .mcp.json} ({@code command}
 *     + {@code args} for stdio, {@code type} + {@code url} for http/sse); the backend writes them to
 *     a private temporary {@code --mcp-config} file that lives as long as it does
 * @param permissionMode {@code --permission-mode}: one of {@link #PERMISSION_MODES}, or {@code null}
 *     for none; the default is {@code bypassPermissions}, since nobody is there to answer permission
 *     prompts. As root the CLI refuses bypass mode unless {@code IS_SANDBOX=1} is in its environment.
 * @param dangerouslySkipPermissions {@code --dangerously-skip-permissions}
 * @param effort {@code --effort}: one of {@link #EFFORT_LEVELS}, or {@code null}
 * @param addDirs {@code --add-dir}: more directories the CLI may use (must exist)
 * @param settings {@code --settings}: a settings file or a JSON string, or {@code null}
 * @param extraArgs more CLI flags, appended as given; the flags in {@link #RESERVED_FLAGS} (they
 *     choose the session or the I/O mode) are the backend's and are refused
 * @param extraEnv variables set in the CLI's environment, over everything else
 * @param preserveProviderEnv keep {@code ANTHROPIC_*} and the other provider/credential variables
 *     of this process's environment (by default they are removed, so the CLI runs on the
 *     subscription it is logged in with; the list is in {@code cli.CliOptions.PROVIDER_VARIABLES})
 * @param apiMaxRetries {@code CLAUDE_CODE_MAX_RETRIES} for the CLI: how often it retries a failed
 *     API call before the turn ends with an error (its own default, 10, retries for about 3
 *     minutes; the default here, 2, makes an API outage an error within seconds); negative leaves
 *     the CLI's default. A value in {@code extraEnv} wins over this one.
 */
public record LaunchOptions(Path cwd, Path executable, String model, String fallbackModel, String systemPrompt,
        String appendSystemPrompt, List<String> allowedTools, List<String> disallowedTools, Map<String, JsonObject> mcpServers,
        String permissionMode, boolean dangerouslySkipPermissions, String effort, List<Path> addDirs, String settings,
        List<String> extraArgs, Map<String, String> extraEnv, boolean preserveProviderEnv, int apiMaxRetries) {

    /** {@code --permission-mode} choices of the pinned CLI. */
    public static final List<String> PERMISSION_MODES =
            List.of("acceptEdits", "auto", "bypassPermissions", "manual", "dontAsk", "plan");

    /** {@code --effort} levels of the pinned CLI. */
    public static final List<String> EFFORT_LEVELS = List.of("low", "medium", "high", "xhigh", "max");

    /** Flags the backend sets itself (or that would take the CLI out of its interactive terminal); {@code extraArgs} may not hold them. */
    public static final List<String> RESERVED_FLAGS = List.of("--session-id", "--resume", "-r", "--continue", "-c",
            "--fork-session", "--print", "-p", "--output-format", "--input-format", "--bg", "--background",
            "--teleport", "--from-pr", "--cloud", "--desktop", "--no-session-persistence");

    /** Options that {@link #toString()} shows only by their length. */
    private static final List<String> SECRET_TEXTS = List.of("systemPrompt", "appendSystemPrompt", "settings");

    public LaunchOptions {
        Objects.requireNonNull(cwd, "cwd");
        cwd = cwd.toAbsolutePath().normalize();
        if (!Files.isDirectory(cwd)) {
            throw new IllegalArgumentException("cwd: " + cwd + " is not a directory");
        }
        Objects.requireNonNull(executable, "executable");
        if ((executable.isAbsolute() || executable.getNameCount() > 1) && !Files.isExecutable(executable)) {
            throw new IllegalArgumentException("executable: " + executable + " is not an executable file");
        }
        text("model", model, false);
        text("fallbackModel", fallbackModel, false);
        text("systemPrompt", systemPrompt, true);
        text("appendSystemPrompt", appendSystemPrompt, true);
        allowedTools = texts("allowedTools", allowedTools);
        disallowedTools = texts("disallowedTools", disallowedTools);
        mcpServers = servers(mcpServers);
        if (permissionMode != null && !PERMISSION_MODES.contains(permissionMode)) {
            throw new IllegalArgumentException("permissionMode: \"" + permissionMode + "\" is not one of " + PERMISSION_MODES);
        }
        if (effort != null && !EFFORT_LEVELS.contains(effort)) {
            throw new IllegalArgumentException("effort: \"" + effort + "\" is not one of " + EFFORT_LEVELS);
        }
        addDirs = directories(addDirs);
        text("settings", settings, false);
        extraArgs = texts("extraArgs", extraArgs);
        for (String arg : extraArgs) {
            for (String flag : RESERVED_FLAGS) {
                if (arg.equals(flag) || arg.startsWith(flag + "=")) {
                    throw new IllegalArgumentException("extraArgs: " + flag + " is set by the backend itself and cannot be passed");
                }
            }
        }
        extraEnv = environment(extraEnv);
    }

    /** Options with every default, working in {@code cwd}. */
    public static Builder builder(Path cwd) {
        return new Builder(cwd);
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        return new Builder(cwd).launch(this);
    }

    /**
     * Every option, but prompt texts and settings only by their length, extra variables and MCP
     * servers only by name, and extra arguments only by count (they may be secret).
     */
    @Override
    public String toString() {
        StringJoiner out = new StringJoiner(", ", "LaunchOptions[", "]");
        for (RecordComponent c : LaunchOptions.class.getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            out.add(c.getName() + "=" + switch (value) {
                case String text when SECRET_TEXTS.contains(c.getName()) -> "(" + text.length() + " chars)";
                case Map<?, ?> map -> map.keySet();
                case List<?> args when c.getName().equals("extraArgs") -> args.size() + " args";
                case null, default -> value;
            });
        }
        return out.toString();
    }

    /** No NUL (argv and environment strings are C strings); non-blank unless {@code blankOk}. */
    private static void text(String name, String value, boolean blankOk) {
        if (value == null) {
            return;
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(name + ": contains a NUL character");
        }
        if (!blankOk && value.isBlank()) {
            throw new IllegalArgumentException(name + ": must not be blank");
        }
    }

    private static List<String> texts(String name, List<String> values) {
        Objects.requireNonNull(values, name);
        List<String> copy = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v == null) {
                throw new IllegalArgumentException(name + "[" + i + "]: is null");
            }
            text(name + "[" + i + "]", v, false);
            copy.add(v);
        }
        return List.copyOf(copy);
    }

    private static List<Path> directories(List<Path> dirs) {
        Objects.requireNonNull(dirs, "addDirs");
        List<Path> out = new ArrayList<>(dirs.size());
        for (int i = 0; i < dirs.size(); i++) {
            Path d = dirs.get(i);
            if (d == null || !Files.isDirectory(d)) {
                throw new IllegalArgumentException("addDirs[" + i + "]: " + d + " is not a directory");
            }
            out.add(d.toAbsolutePath().normalize());
        }
        return List.copyOf(out);
    }

    private static Map<String, JsonObject> servers(Map<String, JsonObject> servers) {
        Objects.requireNonNull(servers, "mcpServers");
        Map<String, JsonObject> copy = new LinkedHashMap<>();
        servers.forEach((name, config) -> {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("mcpServers: a server name is blank");
            }
            String at = "mcpServers[\"" + name + "\"]";
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
        Objects.requireNonNull(env, "extraEnv");
        Map<String, String> copy = new LinkedHashMap<>();
        env.forEach((k, v) -> {
            if (k == null || k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("extraEnv: \"" + k + "\" is not a valid variable name");
            }
            if (v == null || v.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("extraEnv[\"" + k + "\"]: the value is null or holds a NUL");
            }
            copy.put(k, v);
        });
        return Collections.unmodifiableMap(copy);
    }

    /** Builds {@link LaunchOptions}; unset options keep their defaults. */
    public static final class Builder extends Setters<Builder> {
        private Builder(Path cwd) {
            super(cwd);
        }

        /** @throws IllegalArgumentException naming the first option with a bad value */
        public LaunchOptions build() {
            return launchOptions();
        }
    }

    /**
     * The setter of every launch option with its default, shared by {@link Builder} and the
     * backend's own builder ({@code BackendOptions.Builder}), so that an option has its setter in
     * one place.
     *
     * @param <B> the builder the setters return, for chaining
     */
    public abstract static class Setters<B extends Setters<B>> {
        private Path cwd;
        private Path executable = Path.of("claude");
        private String model;
        private String fallbackModel;
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
        private int apiMaxRetries = 2;
        private boolean apiMaxRetriesGiven;

        protected Setters(Path cwd) {
            this.cwd = Objects.requireNonNull(cwd, "cwd");
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** Every launch option (the working directory included) from {@code o}. */
        public B launch(LaunchOptions o) {
            cwd = o.cwd;
            executable = o.executable;
            model = o.model;
            fallbackModel = o.fallbackModel;
            systemPrompt = o.systemPrompt;
            appendSystemPrompt = o.appendSystemPrompt;
            allowedTools = o.allowedTools;
            disallowedTools = o.disallowedTools;
            mcpServers = new LinkedHashMap<>(o.mcpServers);
            permissionMode = o.permissionMode;
            dangerouslySkipPermissions = o.dangerouslySkipPermissions;
            effort = o.effort;
            addDirs = o.addDirs;
            settings = o.settings;
            extraArgs = o.extraArgs;
            extraEnv = new LinkedHashMap<>(o.extraEnv);
            preserveProviderEnv = o.preserveProviderEnv;
            apiMaxRetries = o.apiMaxRetries;
            return self();
        }

        /** Default {@code claude}, looked up on the PATH. */
        public B executable(Path v) { executable = v; return self(); }
        public B model(String v) { model = v; return self(); }
        public B fallbackModel(String v) { fallbackModel = v; return self(); }
        public B systemPrompt(String v) { systemPrompt = v; return self(); }
        public B appendSystemPrompt(String v) { appendSystemPrompt = v; return self(); }
        public B allowedTools(List<String> v) { allowedTools = v; return self(); }
        public B allowedTools(String... v) { return allowedTools(List.of(v)); }
        public B disallowedTools(List<String> v) { disallowedTools = v; return self(); }
        public B disallowedTools(String... v) { return disallowedTools(List.of(v)); }
        /** Replaces the MCP servers. */
        public B mcpServers(Map<String, JsonObject> v) { mcpServers = new LinkedHashMap<>(v); return self(); }
        /** Adds (or replaces) one MCP server. */
        public B mcpServer(String name, JsonObject config) { mcpServers.put(name, config); return self(); }
        /** Default {@code bypassPermissions}; {@code null} passes no {@code --permission-mode}. */
        public B permissionMode(String v) { permissionMode = v; return self(); }
        public B dangerouslySkipPermissions(boolean v) { dangerouslySkipPermissions = v; return self(); }
        public B effort(String v) { effort = v; return self(); }
        public B addDirs(List<Path> v) { addDirs = v; return self(); }
        public B addDirs(Path... v) { return addDirs(List.of(v)); }
        public B settings(String v) { settings = v; return self(); }
        public B extraArgs(List<String> v) { extraArgs = v; return self(); }
        public B extraArgs(String... v) { return extraArgs(List.of(v)); }
        /** Replaces the extra environment. */
        public B extraEnv(Map<String, String> v) { extraEnv = new LinkedHashMap<>(v); return self(); }
        /** Adds (or replaces) one extra variable. */
        public B extraEnv(String name, String value) { extraEnv.put(name, value); return self(); }
        public B preserveProviderEnv(boolean v) { preserveProviderEnv = v; return self(); }
        /** Default 2; negative leaves the CLI's default (10). */
        public B apiMaxRetries(int v) { apiMaxRetries = v; apiMaxRetriesGiven = true; return self(); }

        /** {@link #apiMaxRetries(int)} was called: the model-API relay then leaves the CLI's retries on. */
        protected final boolean apiMaxRetriesGiven() {
            return apiMaxRetriesGiven;
        }

        /** @throws IllegalArgumentException naming the first option with a bad value */
        protected final LaunchOptions launchOptions() {
            return new LaunchOptions(cwd, executable, model, fallbackModel, systemPrompt, appendSystemPrompt, allowedTools,
                    disallowedTools, mcpServers, permissionMode, dangerouslySkipPermissions, effort, addDirs, settings,
                    extraArgs, extraEnv, preserveProviderEnv, apiMaxRetries);
        }
    }
}
