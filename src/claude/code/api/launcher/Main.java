package claude.code.api.launcher;

import claude.code.api.BackendOptions;
import claude.code.api.launcher.Flags.Spec;
import claude.code.api.launcher.Flags.UsageException;
import claude.code.api.launcher.Preflight.SetupException;
import claude.code.api.options.HistoryMode;
import claude.code.api.options.LaunchOptions;
import claude.code.api.options.PoolLimits;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command-line entry point of claude-code-api: {@code serve} (the HTTP gateway), {@code chat}
 * (a conversation in the terminal), {@code --help}, {@code --version}.
 *
 * <p>Exit codes: 0 done, 1 failed, 2 bad usage, 3 the machine's set-up is missing something
 * ({@code claude} not installed or not logged in).
 */
public final class Main {
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_SETUP = 3;

    /** Flags shared by {@code serve} and {@code chat}: how the CLI sessions run. */
    static final List<Spec> SESSION_FLAGS = List.of(
            new Spec("cwd", false, "DIR", "directory the CLI works in (default: the current directory)"),
            new Spec("model", false, "MODEL", "the CLI's --model, e.g. sonnet, opus, claude-sonnet-4-5 (default: the CLI's)"),
            new Spec("permission-mode", false, "MODE", "the CLI's --permission-mode: " + String.join(", ",
                    LaunchOptions.PERMISSION_MODES) + " (default: bypassPermissions)"),
            new Spec("history-mode", false, "MODE", "how a new session learns earlier messages: native_jsonl (default) "
                    + "or concat_message"),
            new Spec("claude", false, "PATH", "the claude executable (default: claude on the PATH)"),
            new Spec("preserve-provider-env", true, null, "pass ANTHROPIC_* and other provider variables (e.g. "
                    + "ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY) through to the CLI"),
            new Spec("client-tool-timeout", false, "SECONDS", "how long a conversation waits for the client's tool "
                    + "results; then the CLI gets an error result and the session is closed (default: 600)"),
            new Spec("model-api-relay", false, "on|off", "relay the CLI's model API through a loopback side channel: token "
                    + "deltas, the API's own errors, the exact end of a turn; the CLI then does not retry (default: on)"));

    static final List<Spec> SERVE_FLAGS = concat(List.of(
            new Spec("port", false, "N", "port to listen on; 0 picks a free one (default: 8080)"),
            new Spec("host", false, "HOST", "address to bind (default: 127.0.0.1); not loopback needs --token"),
            new Spec("token", false, "TOKEN", "bearer token clients must send (Authorization: Bearer / x-api-key)"),
            new Spec("pool-size", false, "N", "live CLI sessions at most, per option set (default: by memory, "
                    + PoolLimits.defaultMaxSessions() + " here)"),
            new Spec("prestart", false, "N", "fresh CLI sessions kept started ahead of need, per option set, so that a "
                    + "new conversation does not wait for a CLI to start; extra processes beyond --pool-size (default: 0)"),
            new Spec("max-option-sets", false, "N", "distinct request model/system combinations kept at once (default: 4)"),
            new Spec("idle-ttl", false, "SECONDS", "close a session idle this long (default: 900)"),
            new Spec("acquire-timeout", false, "SECONDS", "wait this long for a free session before a 503 (default: 30)"),
            new Spec("drain-timeout", false, "SECONDS", "on SIGTERM or SIGINT, let open turns finish for at most this long "
                    + "while /health answers 503 draining and new turns are refused with a 503 (default: 30; 0: stop at once)"),
            new Spec("max-body-size", false, "BYTES", "largest request body, e.g. 32M (default: 32M)"),
            new Spec("tool-activity", false, "MODE", "show the CLI's tool calls to clients: none (default) or text"),
            new Spec("system-prompt-mode", false, "MODE", "a request's system prompt is appended to the CLI's (append, "
                    + "default) or replaces it (replace)"),
            new Spec("fetch-media-urls", false, "on|off", "fetch the http(s) URLs of image and document sources and pass "
                    + "them on as base64 (default: off, a URL source is a 400); on, clients can make the gateway fetch any "
                    + "URL it reaches, loopback and private addresses too: not for untrusted clients")), SESSION_FLAGS);

    static final List<Spec> CHAT_FLAGS = SESSION_FLAGS;

    private Main() {}

    public static void main(String[] args) {
        // one line per log record, for the JDK's two loggers (java.util.logging, or the plain one of a jlink image)
        System.setProperty("java.util.logging.SimpleFormatter.format",
                System.getProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %5$s%6$s%n"));
        System.setProperty("jdk.system.logger.format",
                System.getProperty("jdk.system.logger.format", "%1$tF %1$tT %4$s %5$s%6$s%n"));
        int code = run(Arrays.asList(args), System.getenv(), System.out, System.err);
        if (code == 0 && args[0].equals("serve")) {
            return; // stopped by a signal: the JVM is already shutting down, and exit() would wait for itself
        }
        System.exit(code);
    }

    /** Runs a command; returns the exit code ({@code serve} returns only once stopped). */
    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.print(usage());
            return EXIT_USAGE;
        }
        String command = args.getFirst();
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (command) {
                case "--help", "-h", "help" -> {
                    out.print(usage());
                    yield 0;
                }
                case "--version", "-V", "version" -> {
                    out.println("claude-code-api " + version());
                    yield 0;
                }
                case "serve" -> {
                    if (rest.contains("--help") || rest.contains("-h")) {
                        out.print(serveUsage());
                        yield 0;
                    }
                    yield Serve.run(Flags.parse(rest, SERVE_FLAGS, env), env, out, err);
                }
                case "chat" -> {
                    if (rest.contains("--help") || rest.contains("-h")) {
                        out.print(chatUsage());
                        yield 0;
                    }
                    yield Chat.run(Flags.parse(rest, CHAT_FLAGS, env), env, out, err);
                }
                default -> throw new UsageException("unknown command \"" + command + "\"");
            };
        } catch (UsageException e) {
            err.println("claude-code-api: " + e.getMessage());
            err.println("Run `claude-code-api --help` for the commands and options.");
            return EXIT_USAGE;
        } catch (SetupException e) {
            err.println("claude-code-api: " + e.getMessage());
            return EXIT_SETUP;
        }
    }

    /** The module's version, else the jar manifest's, else {@code dev}. */
    static String version() {
        String v = Main.class.getModule().getDescriptor() == null ? null
                : Main.class.getModule().getDescriptor().rawVersion().orElse(null);
        if (v == null) {
            v = Main.class.getPackage().getImplementationVersion();
        }
        return v == null ? "dev" : v;
    }

    /** The options of every CLI session, from the session flags. */
    static BackendOptions.Builder backendOptions(Flags flags, Map<String, String> env) throws UsageException, SetupException {
        Path cwd = Path.of(flags.get("cwd", System.getProperty("user.dir"))).toAbsolutePath().normalize();
        if (!Files.isDirectory(cwd)) {
            throw new UsageException("--cwd " + cwd + " is not a directory");
        }
        String permissionMode = flags.choice("permission-mode", LaunchOptions.PERMISSION_MODES);
        String historyMode = flags.choice("history-mode", List.of("native_jsonl", "concat_message"));
        Path claude = Preflight.findClaude(flags.get("claude"), env);
        BackendOptions.Builder b = BackendOptions.builder(cwd).executable(claude).model(flags.get("model"))
                .preserveProviderEnv(flags.isSet("preserve-provider-env"));
        if (permissionMode != null) {
            b.permissionMode(permissionMode);
        }
        if (historyMode != null) {
            b.historyMode(HistoryMode.valueOf(historyMode.toUpperCase(Locale.ROOT)));
        }
        Duration clientToolTimeout = seconds(flags, "client-tool-timeout", BackendOptions.DEFAULT_CLIENT_TOOL_TIMEOUT);
        if (clientToolTimeout.isZero()) {
            throw new UsageException("--client-tool-timeout: must be at least 1 second");
        }
        b.clientToolTimeout(clientToolTimeout);
        String relay = flags.choice("model-api-relay", List.of("on", "off"));
        if (relay != null) {
            b.modelApiRelay(relay.equals("on"));
        }
        return b;
    }

    /** The checks every command makes before it starts CLIs. */
    static void preflight(BackendOptions options, Map<String, String> env) throws SetupException {
        Preflight.checkPermissionMode(options.launch().permissionMode(), env);
        Preflight.checkLogin(options.launch(), env);
    }

    static Duration seconds(Flags flags, String name, Duration fallback) throws UsageException {
        int s = flags.integer(name, (int) fallback.toSeconds(), 0, 7 * 24 * 3600);
        return Duration.ofSeconds(s);
    }

    static String usage() {
        return """
                claude-code-api %s: the Claude Code CLI as a backend, served over HTTP.

                Usage:
                  claude-code-api serve [options]          serve the Anthropic Messages API and OpenAI chat completions
                  claude-code-api chat [options] [PROMPT]  one prompt, or a conversation read line by line from stdin
                  claude-code-api --help | --version

                Run `claude-code-api serve --help` or `claude-code-api chat --help` for their options.
                Every option can also come from the environment: --pool-size 4 = CLAUDE_CODE_API_POOL_SIZE=4.
                Needs the claude CLI, logged in: npm install -g @anthropic-ai/claude-code, then `claude` and /login.
                """.formatted(version());
    }

    static String serveUsage() {
        return "Usage: claude-code-api serve [options]\n\nServes http://127.0.0.1:8080 (POST /v1/messages, "
                + "POST /v1/chat/completions, GET /v1/models,\nGET /health, GET /metrics, GET /admin). Options:\n\n"
                + Flags.help(SERVE_FLAGS);
    }

    static String chatUsage() {
        return "Usage: claude-code-api chat [options] [PROMPT...]\n\nWith a PROMPT: one turn, the answer streamed to "
                + "stdout (tool activity on stderr).\nWithout: one message per line from stdin, one conversation. "
                + "Options:\n\n" + Flags.help(CHAT_FLAGS);
    }

    @SafeVarargs
    static <T> List<T> concat(List<T>... lists) {
        List<T> out = new ArrayList<>();
        for (List<T> l : lists) {
            out.addAll(l);
        }
        return List.copyOf(out);
    }
}
