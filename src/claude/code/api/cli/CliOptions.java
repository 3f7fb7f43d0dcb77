package claude.code.api.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * How to start one {@code claude} process: its argv ({@link #argv()}, exec'd directly, never
 * through a shell) and its environment ({@link #environment(Map)}). Flags as in {@code claude
 * --help} of the pinned CLI (2.1.331).
 *
 * <p>Every flag that takes free text is passed as one {@code --flag=value} argument, so a value
 * that starts with {@code -} is never read as another flag, and the variadic flags
 * ({@code --allowedTools}, {@code --disallowedTools}, {@code --mcp-config}, {@code --add-dir})
 * take exactly one value each, repeated per value.
 *
 * @param executable the {@code claude} binary ({@code claude} alone is looked up on the PATH)
 * @param cwd the directory the CLI runs in (its project: trust, transcripts, {@code --resume} lookup)
 * @param sessionId {@code --session-id}: a new session with this id; or {@code null}
 * @param resumeSessionId {@code --resume}: continue the transcript of this id; or {@code null}
 * @param model {@code --model}, or {@code null} for the CLI's default
 * @param systemPrompt {@code --system-prompt}, or {@code null}
 * @param appendSystemPrompt {@code --append-system-prompt}, or {@code null}
 * @param allowedTools {@code --allowedTools}, one per tool
 * @param disallowedTools {@code --disallowedTools}, one per tool
 * @param mcpConfigs {@code --mcp-config}, one per file
 * @param addDirs {@code --add-dir}, one per directory
 * @param permissionMode {@code --permission-mode} (one of {@link #PERMISSION_MODES}), or {@code null}
 * @param dangerouslySkipPermissions {@code --dangerously-skip-permissions}
 * @param effort {@code --effort} (one of {@link #EFFORT_LEVELS}), or {@code null}
 * @param settings {@code --settings}: a settings file or a JSON string, or {@code null}
 * @param extraArgs appended after every other argument, as given
 * @param extraEnv set in the child's environment last, over everything else
 * @param preserveProviderEnv keep the provider and credential variables of the base environment
 *     (see {@link #environment(Map)}); by default they are removed
 * @param columns terminal width
 * @param rows terminal height
 */
public record CliOptions(Path executable, Path cwd, String sessionId, String resumeSessionId, String model,
        String systemPrompt, String appendSystemPrompt, List<String> allowedTools, List<String> disallowedTools,
        List<Path> mcpConfigs, List<Path> addDirs, String permissionMode, boolean dangerouslySkipPermissions,
        String effort, String settings, List<String> extraArgs, Map<String, String> extraEnv,
        boolean preserveProviderEnv, int columns, int rows) {

    /** {@code --permission-mode} choices of the pinned CLI. */
    public static final List<String> PERMISSION_MODES =
            List.of("acceptEdits", "auto", "bypassPermissions", "manual", "dontAsk", "plan");

    /** {@code --effort} levels of the pinned CLI. */
    public static final List<String> EFFORT_LEVELS = List.of("low", "medium", "high", "xhigh", "max");

    /** Below this the CLI does not draw its prompt marker reliably ({@code docs/CLI-BEHAVIOUR.md#window-size}). */
    public static final int MIN_COLUMNS = 20;
    public static final int MIN_ROWS = 8;

    /**
     * Variables that choose the API provider, its endpoint, credentials or model names, removed
     * from the CLI's environment unless {@code preserveProviderEnv}, so the CLI runs on the
     * subscription it is logged in with (and never, say, on a gateway's own
     * {@code ANTHROPIC_BASE_URL}). Found in the pinned CLI's binary:
     * <ul>
     *   <li>every {@code ANTHROPIC_*} variable (matched by prefix): {@code ANTHROPIC_API_KEY},
     *       {@code ANTHROPIC_AUTH_TOKEN}, {@code ANTHROPIC_BASE_URL}, {@code ANTHROPIC_CUSTOM_HEADERS},
     *       {@code ANTHROPIC_BETAS}, {@code ANTHROPIC_UNIX_SOCKET}, {@code ANTHROPIC_MODEL},
     *       {@code ANTHROPIC_DEFAULT_OPUS_MODEL} / {@code _SONNET_} / {@code _HAIKU_} / {@code _FABLE_}
     *       (and their {@code _NAME}, {@code _DESCRIPTION}, {@code _SUPPORTED_CAPABILITIES}),
     *       {@code ANTHROPIC_SMALL_FAST_MODEL}, {@code ANTHROPIC_CUSTOM_MODEL_OPTION},
     *       {@code ANTHROPIC_BEDROCK_BASE_URL}, {@code ANTHROPIC_VERTEX_PROJECT_ID},
     *       {@code ANTHROPIC_VERTEX_BASE_URL}, {@code ANTHROPIC_FOUNDRY_API_KEY} / {@code _BASE_URL} /
     *       {@code _RESOURCE} / {@code _AUTH_TOKEN}, {@code ANTHROPIC_AWS_*}, {@code ANTHROPIC_GOOGLE_CLOUD_*},
     *       {@code ANTHROPIC_PROFILE}, {@code ANTHROPIC_CONFIG_DIR}, {@code ANTHROPIC_ORGANIZATION_ID},
     *       {@code ANTHROPIC_WORKSPACE_ID}, {@code ANTHROPIC_IDENTITY_TOKEN(_FILE)}, ...;
     *   <li>the provider switches {@code CLAUDE_CODE_USE_BEDROCK}, {@code _VERTEX}, {@code _FOUNDRY},
     *       {@code _MANTLE}, {@code _ANTHROPIC_AWS}, {@code _ANTHROPIC_GOOGLE_CLOUD}, {@code _GATEWAY},
     *       and their {@code CLAUDE_CODE_SKIP_*_AUTH};
     *   <li>{@code CLAUDE_CODE_API_KEY_FILE_DESCRIPTOR}, {@code CLAUDE_CODE_PROVIDER_MANAGED_BY_HOST};
     *   <li>{@code AWS_BEARER_TOKEN_BEDROCK}, {@code CLOUD_ML_REGION} and every {@code VERTEX_REGION_*}.
     * </ul>
     * Kept: the subscription's own credentials ({@code CLAUDE_CODE_OAUTH_TOKEN} and kin: they are
     * the point), and generic cloud credentials ({@code AWS_ACCESS_KEY_ID}, {@code AWS_PROFILE},
     * {@code GOOGLE_APPLICATION_CREDENTIALS}, ...), which the CLI only uses with a provider switch
     * on and which the tools it runs may need.
     */
    public static final Set<String> PROVIDER_VARIABLES = Set.of(
            "CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX", "CLAUDE_CODE_USE_FOUNDRY", "CLAUDE_CODE_USE_MANTLE",
            "CLAUDE_CODE_USE_ANTHROPIC_AWS", "CLAUDE_CODE_USE_ANTHROPIC_GOOGLE_CLOUD", "CLAUDE_CODE_USE_GATEWAY",
            "CLAUDE_CODE_SKIP_BEDROCK_AUTH", "CLAUDE_CODE_SKIP_VERTEX_AUTH", "CLAUDE_CODE_SKIP_FOUNDRY_AUTH",
            "CLAUDE_CODE_SKIP_MANTLE_AUTH", "CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH",
            "CLAUDE_CODE_SKIP_ANTHROPIC_GOOGLE_CLOUD_AUTH", "CLAUDE_CODE_API_KEY_FILE_DESCRIPTOR",
            "CLAUDE_CODE_PROVIDER_MANAGED_BY_HOST", "AWS_BEARER_TOKEN_BEDROCK", "CLOUD_ML_REGION");

    /** Prefixes of {@link #PROVIDER_VARIABLES} families. */
    public static final List<String> PROVIDER_VARIABLE_PREFIXES = List.of("ANTHROPIC_", "VERTEX_REGION_");

    public CliOptions {
        Objects.requireNonNull(executable, "executable");
        Objects.requireNonNull(cwd, "cwd");
        if (sessionId != null && resumeSessionId != null) {
            throw new IllegalArgumentException("sessionId and resumeSessionId exclude each other (the CLI needs "
                    + "--fork-session for both)");
        }
        requireUuid("sessionId", sessionId);
        requireUuid("resumeSessionId", resumeSessionId);
        requireText("model", model, false);
        requireText("systemPrompt", systemPrompt, true);
        requireText("appendSystemPrompt", appendSystemPrompt, true);
        allowedTools = texts("allowedTools", allowedTools);
        disallowedTools = texts("disallowedTools", disallowedTools);
        mcpConfigs = List.copyOf(Objects.requireNonNull(mcpConfigs, "mcpConfigs"));
        addDirs = List.copyOf(Objects.requireNonNull(addDirs, "addDirs"));
        if (permissionMode != null && !PERMISSION_MODES.contains(permissionMode)) {
            throw new IllegalArgumentException("permissionMode: \"" + permissionMode + "\" is not one of " + PERMISSION_MODES);
        }
        if (effort != null && !EFFORT_LEVELS.contains(effort)) {
            throw new IllegalArgumentException("effort: \"" + effort + "\" is not one of " + EFFORT_LEVELS);
        }
        requireText("settings", settings, false);
        extraArgs = List.copyOf(Objects.requireNonNull(extraArgs, "extraArgs"));
        for (int i = 0; i < extraArgs.size(); i++) {
            requireText("extraArgs[" + i + "]", extraArgs.get(i), true);
        }
        extraEnv = environmentCopy(extraEnv);
        if (columns < MIN_COLUMNS || rows < MIN_ROWS || columns > 0xFFFF || rows > 0xFFFF) {
            throw new IllegalArgumentException("terminal size " + columns + "x" + rows + " is outside " + MIN_COLUMNS
                    + "x" + MIN_ROWS + " .. 65535x65535 (the CLI's prompt is not drawn in smaller terminals)");
        }
    }

    public static Builder builder(Path cwd) {
        return new Builder(cwd);
    }

    /** The same options for a new session with this id ({@code --session-id}); no resume. */
    public CliOptions withSessionId(String id) {
        return new CliOptions(executable, cwd, id, null, model, systemPrompt, appendSystemPrompt, allowedTools,
                disallowedTools, mcpConfigs, addDirs, permissionMode, dangerouslySkipPermissions, effort, settings,
                extraArgs, extraEnv, preserveProviderEnv, columns, rows);
    }

    /** The same options resuming the session with this id ({@code --resume}). */
    public CliOptions withResumeSessionId(String id) {
        return new CliOptions(executable, cwd, null, id, model, systemPrompt, appendSystemPrompt, allowedTools,
                disallowedTools, mcpConfigs, addDirs, permissionMode, dangerouslySkipPermissions, effort, settings,
                extraArgs, extraEnv, preserveProviderEnv, columns, rows);
    }

    /** The process's argv, {@code argv().get(0)} the executable. */
    public List<String> argv() {
        List<String> argv = new ArrayList<>();
        argv.add(executable.toString());
        if (sessionId != null) {
            argv.add("--session-id=" + sessionId);
        }
        if (resumeSessionId != null) {
            argv.add("--resume=" + resumeSessionId);
        }
        addValue(argv, "--model", model);
        addValue(argv, "--system-prompt", systemPrompt);
        addValue(argv, "--append-system-prompt", appendSystemPrompt);
        allowedTools.forEach(t -> addValue(argv, "--allowedTools", t));
        disallowedTools.forEach(t -> addValue(argv, "--disallowedTools", t));
        mcpConfigs.forEach(p -> addValue(argv, "--mcp-config", p.toString()));
        addDirs.forEach(p -> addValue(argv, "--add-dir", p.toString()));
        addValue(argv, "--permission-mode", permissionMode);
        if (dangerouslySkipPermissions) {
            argv.add("--dangerously-skip-permissions");
        }
        addValue(argv, "--effort", effort);
        addValue(argv, "--settings", settings);
        argv.addAll(extraArgs);
        return List.copyOf(argv);
    }

    /**
     * The child's environment: {@code base} (normally {@code System.getenv()}) without the
     * {@linkplain #PROVIDER_VARIABLES provider variables} unless {@code preserveProviderEnv},
     * then {@code extraEnv} over it (an explicit extra variable is kept even when it is a
     * provider variable).
     */
    public Map<String, String> environment(Map<String, String> base) {
        Map<String, String> env = new LinkedHashMap<>(base);
        if (!preserveProviderEnv) {
            env.keySet().removeIf(CliOptions::isProviderVariable);
        }
        env.putAll(extraEnv);
        return env;
    }

    public static boolean isProviderVariable(String name) {
        return PROVIDER_VARIABLES.contains(name) || PROVIDER_VARIABLE_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** Without the texts of prompts and the values of variables (they may be secret). */
    @Override
    public String toString() {
        return "CliOptions[executable=" + executable + ", cwd=" + cwd + ", sessionId=" + sessionId + ", resumeSessionId="
                + resumeSessionId + ", model=" + model + ", systemPrompt=" + length(systemPrompt)
                + ", appendSystemPrompt=" + length(appendSystemPrompt) + ", allowedTools=" + allowedTools
                + ", disallowedTools=" + disallowedTools + ", mcpConfigs=" + mcpConfigs + ", addDirs=" + addDirs
                + ", permissionMode=" + permissionMode + ", dangerouslySkipPermissions=" + dangerouslySkipPermissions
                + ", effort=" + effort + ", settings=" + length(settings) + ", extraArgs=" + extraArgs.size()
                + " args, extraEnv=" + extraEnv.keySet() + ", preserveProviderEnv=" + preserveProviderEnv + ", terminal="
                + columns + "x" + rows + "]";
    }

    private static String length(String s) {
        return s == null ? "null" : "(" + s.length() + " chars)";
    }

    private static void addValue(List<String> argv, String flag, String value) {
        if (value != null) {
            argv.add(flag + "=" + value);
        }
    }

    private static void requireUuid(String name, String id) {
        if (id == null) {
            return;
        }
        boolean ok;
        try {
            ok = UUID.fromString(id).toString().equals(id);
        } catch (IllegalArgumentException e) {
            ok = false;
        }
        if (!ok) {
            throw new IllegalArgumentException(name + ": \"" + id + "\" is not a lowercase UUID");
        }
    }

    /** No NUL (argv and environment strings are C strings); non-blank unless {@code blankOk}. */
    static void requireText(String name, String value, boolean blankOk) {
        if (value == null) {
            return;
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(name + ": contains a NUL character, which cannot be passed to a process");
        }
        if (!blankOk && value.isBlank()) {
            throw new IllegalArgumentException(name + ": must not be blank");
        }
    }

    private static List<String> texts(String name, List<String> values) {
        List<String> copy = List.copyOf(Objects.requireNonNull(values, name));
        for (int i = 0; i < copy.size(); i++) {
            requireText(name + "[" + i + "]", copy.get(i), false);
        }
        return copy;
    }

    private static Map<String, String> environmentCopy(Map<String, String> env) {
        Map<String, String> copy = new LinkedHashMap<>();
        Objects.requireNonNull(env, "extraEnv").forEach((k, v) -> {
            if (k == null || k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("extraEnv: \"" + k + "\" is not a valid variable name");
            }
            Objects.requireNonNull(v, () -> "extraEnv: the value of " + k + " is null");
            requireText("extraEnv[" + k + "]", v, true);
            copy.put(k, v);
        });
        return java.util.Collections.unmodifiableMap(copy);
    }

    /** Builds {@link CliOptions}; defaults: executable {@code claude}, no flags, 120x40. */
    public static final class Builder {
        private Path executable = Path.of("claude");
        private final Path cwd;
        private String sessionId;
        private String resumeSessionId;
        private String model;
        private String systemPrompt;
        private String appendSystemPrompt;
        private List<String> allowedTools = List.of();
        private List<String> disallowedTools = List.of();
        private List<Path> mcpConfigs = List.of();
        private List<Path> addDirs = List.of();
        private String permissionMode;
        private boolean dangerouslySkipPermissions;
        private String effort;
        private String settings;
        private List<String> extraArgs = List.of();
        private Map<String, String> extraEnv = Map.of();
        private boolean preserveProviderEnv;
        private int columns = 120;
        private int rows = 40;

        private Builder(Path cwd) {
            this.cwd = Objects.requireNonNull(cwd, "cwd");
        }

        public Builder executable(Path v) { executable = v; return this; }
        public Builder sessionId(String v) { sessionId = v; return this; }
        public Builder resumeSessionId(String v) { resumeSessionId = v; return this; }
        public Builder model(String v) { model = v; return this; }
        public Builder systemPrompt(String v) { systemPrompt = v; return this; }
        public Builder appendSystemPrompt(String v) { appendSystemPrompt = v; return this; }
        public Builder allowedTools(List<String> v) { allowedTools = v; return this; }
        public Builder disallowedTools(List<String> v) { disallowedTools = v; return this; }
        public Builder mcpConfigs(List<Path> v) { mcpConfigs = v; return this; }
        public Builder addDirs(List<Path> v) { addDirs = v; return this; }
        public Builder permissionMode(String v) { permissionMode = v; return this; }
        public Builder dangerouslySkipPermissions(boolean v) { dangerouslySkipPermissions = v; return this; }
        public Builder effort(String v) { effort = v; return this; }
        public Builder settings(String v) { settings = v; return this; }
        public Builder extraArgs(List<String> v) { extraArgs = v; return this; }
        public Builder extraEnv(Map<String, String> v) { extraEnv = v; return this; }
        public Builder preserveProviderEnv(boolean v) { preserveProviderEnv = v; return this; }
        public Builder terminalSize(int c, int r) { columns = c; rows = r; return this; }

        public CliOptions build() {
            return new CliOptions(executable, cwd, sessionId, resumeSessionId, model, systemPrompt, appendSystemPrompt,
                    allowedTools, disallowedTools, mcpConfigs, addDirs, permissionMode, dangerouslySkipPermissions, effort,
                    settings, extraArgs, extraEnv, preserveProviderEnv, columns, rows);
        }
    }
}
