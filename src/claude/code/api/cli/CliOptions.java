package claude.code.api.cli;

import claude.code.api.options.LaunchOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * How to start one {@code claude} process: the backend's {@link LaunchOptions}, taken whole, and
 * what is this process's own (its session flag, the MCP config files written for it, its terminal
 * size). Gives its argv ({@link #argv()}, exec'd directly, never through a shell) and its
 * environment ({@link #environment(Map)}).
 *
 * <p>Every flag that takes free text is passed as one {@code --flag=value} argument, so a value
 * that starts with {@code -} is never read as another flag, and the variadic flags
 * ({@code --allowedTools}, {@code --disallowedTools}, {@code --mcp-config}, {@code --add-dir})
 * take exactly one value each, repeated per value.
 *
 * @param launch the flags and environment every session of a backend shares
 * @param sessionId {@code --session-id}: a new session with this id; or {@code null}
 * @param resumeSessionId {@code --resume}: continue the transcript of this id; or {@code null}
 * @param mcpConfigs {@code --mcp-config}, one per file
 * @param columns terminal width
 * @param rows terminal height
 * @param sessionEnv this process's own variables, over {@code launch.extraEnv} (the relay's
 *     {@code ANTHROPIC_BASE_URL}); a {@link ClaudeProcess#MAX_RETRIES_VARIABLE} here wins over {@code apiMaxRetries}
 * @param sessionSettings this process's {@code --settings} in place of {@code launch.settings} (the user's
 *     merged with the session's hooks), or {@code null}
 * @param sessionArgs this process's own flags, after {@code launch.extraArgs} (the client tools' {@code --tools ''}
 *     and {@code --strict-mcp-config}), each element one argument
 */
public record CliOptions(LaunchOptions launch, String sessionId, String resumeSessionId, List<Path> mcpConfigs,
        int columns, int rows, Map<String, String> sessionEnv, String sessionSettings, List<String> sessionArgs) {

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
        Objects.requireNonNull(launch, "launch");
        if (sessionId != null && resumeSessionId != null) {
            throw new IllegalArgumentException("sessionId and resumeSessionId exclude each other (the CLI needs "
                    + "--fork-session for both)");
        }
        requireUuid("sessionId", sessionId);
        requireUuid("resumeSessionId", resumeSessionId);
        mcpConfigs = List.copyOf(Objects.requireNonNull(mcpConfigs, "mcpConfigs"));
        sessionEnv = Map.copyOf(Objects.requireNonNull(sessionEnv, "sessionEnv"));
        sessionArgs = List.copyOf(Objects.requireNonNull(sessionArgs, "sessionArgs"));
        if (columns < MIN_COLUMNS || rows < MIN_ROWS || columns > 0xFFFF || rows > 0xFFFF) {
            throw new IllegalArgumentException("terminal size " + columns + "x" + rows + " is outside " + MIN_COLUMNS
                    + "x" + MIN_ROWS + " .. 65535x65535 (the CLI's prompt is not drawn in smaller terminals)");
        }
    }

    /** A process of {@code launch}: no session flag, no MCP config file, a 120x40 terminal. */
    public static CliOptions of(LaunchOptions launch) {
        return new CliOptions(launch, null, null, List.of(), 120, 40, Map.of(), null, List.of());
    }

    /** The same options for a new session with this id ({@code --session-id}); no resume. */
    public CliOptions withSessionId(String id) {
        return new CliOptions(launch, id, null, mcpConfigs, columns, rows, sessionEnv, sessionSettings, sessionArgs);
    }

    /** The same options resuming the session with this id ({@code --resume}). */
    public CliOptions withResumeSessionId(String id) {
        return new CliOptions(launch, null, id, mcpConfigs, columns, rows, sessionEnv, sessionSettings, sessionArgs);
    }

    /** The same process with its own variables and {@code --settings} (see {@link #sessionEnv()}, {@link #sessionSettings()}). */
    public CliOptions withSession(Map<String, String> env, String settings) {
        return new CliOptions(launch, sessionId, resumeSessionId, mcpConfigs, columns, rows, env, settings, sessionArgs);
    }

    /** The same process with its own flags (see {@link #sessionArgs()}). */
    public CliOptions withSessionArgs(List<String> args) {
        return new CliOptions(launch, sessionId, resumeSessionId, mcpConfigs, columns, rows, sessionEnv, sessionSettings, args);
    }

    public CliOptions withMcpConfigs(List<Path> files) {
        return new CliOptions(launch, sessionId, resumeSessionId, files, columns, rows, sessionEnv, sessionSettings, sessionArgs);
    }

    public CliOptions withTerminalSize(int c, int r) {
        return new CliOptions(launch, sessionId, resumeSessionId, mcpConfigs, c, r, sessionEnv, sessionSettings, sessionArgs);
    }

    /** The working directory: the launch options'. */
    public Path cwd() {
        return launch.cwd();
    }

    /** The process's argv, {@code argv().get(0)} the executable. */
    public List<String> argv() {
        List<String> argv = new ArrayList<>();
        argv.add(launch.executable().toString());
        addValue(argv, "--session-id", sessionId);
        addValue(argv, "--resume", resumeSessionId);
        addValue(argv, "--model", launch.model());
        addValue(argv, "--fallback-model", launch.fallbackModel());
        addValue(argv, "--system-prompt", launch.systemPrompt());
        addValue(argv, "--append-system-prompt", launch.appendSystemPrompt());
        launch.allowedTools().forEach(t -> addValue(argv, "--allowedTools", t));
        launch.disallowedTools().forEach(t -> addValue(argv, "--disallowedTools", t));
        mcpConfigs.forEach(p -> addValue(argv, "--mcp-config", p.toString()));
        launch.addDirs().forEach(p -> addValue(argv, "--add-dir", p.toString()));
        addValue(argv, "--permission-mode", launch.permissionMode());
        addSwitch(argv, "--dangerously-skip-permissions", launch.dangerouslySkipPermissions());
        addValue(argv, "--effort", launch.effort());
        addValue(argv, "--settings", sessionSettings != null ? sessionSettings : launch.settings());
        argv.addAll(launch.extraArgs());
        argv.addAll(sessionArgs);
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
        if (!launch.preserveProviderEnv()) {
            env.keySet().removeIf(CliOptions::isProviderVariable);
        }
        env.putAll(launch.extraEnv());
        env.putAll(sessionEnv);
        return env;
    }

    public static boolean isProviderVariable(String name) {
        return PROVIDER_VARIABLES.contains(name) || PROVIDER_VARIABLE_PREFIXES.stream().anyMatch(name::startsWith);
    }

    private static void addValue(List<String> argv, String flag, String value) {
        if (value != null) {
            argv.add(flag + "=" + value);
        }
    }

    private static void addSwitch(List<String> argv, String flag, boolean on) {
        if (on) {
            argv.add(flag);
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
}
