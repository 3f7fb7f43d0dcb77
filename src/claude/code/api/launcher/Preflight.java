package claude.code.api.launcher;

import claude.code.api.cli.ClaudeProcess;
import claude.code.api.cli.CliCommand;
import claude.code.api.cli.CliOptions;
import claude.code.api.json.Json;
import claude.code.api.json.JsonBool;
import claude.code.api.json.JsonObject;
import claude.code.api.options.LaunchOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Checks before anything is served, each failing with what to do: {@code claude} is installed,
 * logged in, and may run in the chosen permission mode.
 */
final class Preflight {
    /** A problem of the machine's set-up; the message says how to fix it. The launcher exits with 3. */
    static final class SetupException extends Exception {
        private static final long serialVersionUID = 1L;

        SetupException(String message) {
            super(message);
        }
    }

    private Preflight() {}

    /** {@code --claude PATH}, or {@code claude} from the PATH. */
    static Path findClaude(String given, Map<String, String> env) throws SetupException {
        if (given != null) {
            Path p = Path.of(given);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new SetupException("--claude " + given + " is not an executable file.\n"
                        + "  Install the Claude Code CLI with:  npm install -g @anthropic-ai/claude-code\n"
                        + "  and pass its path (see `command -v claude`), or leave --claude out to use the one on the PATH.");
            }
            return p.toAbsolutePath();
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "claude");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new SetupException("the Claude Code CLI (claude) is not on the PATH.\n"
                + "  Install it:      npm install -g @anthropic-ai/claude-code\n"
                + "  then log in once: run `claude` and type /login\n"
                + "  or point to it:  --claude /path/to/claude   (or CLAUDE_CODE_API_CLAUDE=/path/to/claude)");
    }

    /**
     * Runs {@code claude auth status} in the environment sessions will get (provider variables
     * removed unless {@code preserveProviderEnv}); fails when it says {@code loggedIn: false}. When
     * the check itself cannot run, it says so on stderr and lets the start go on.
     */
    static void checkLogin(LaunchOptions launch, Map<String, String> env) throws SetupException {
        String out;
        try {
            out = CliCommand.run(CliOptions.of(launch), env, Duration.ofSeconds(30), "auth", "status", "--json").stdout();
        } catch (IOException e) {
            warn("could not run `claude auth status` (" + e.getMessage() + "); not checking the login");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        JsonObject status;
        try {
            int start = out.indexOf('{');
            status = (JsonObject) Json.parse(start < 0 ? out : out.substring(start).strip());
        } catch (RuntimeException e) {
            warn("`claude auth status` printed no status this launcher understands; not checking the login");
            return;
        }
        if (status.get("loggedIn") instanceof JsonBool b && !b.value()) {
            throw new SetupException("claude is not logged in (`claude auth status` says loggedIn: false).\n"
                    + "  Log in once: run `claude` in a terminal and type /login (or run `claude auth login`),\n"
                    + "  then start claude-code-api again.\n"
                    + "  To run on an API key or another provider instead, export its variables (e.g. ANTHROPIC_API_KEY)\n"
                    + "  and add --preserve-provider-env: by default they are removed from the CLI's environment.");
        }
    }

    /** As root the CLI refuses bypass-permissions mode unless {@code IS_SANDBOX=1}: say so now rather than at the first request. */
    static void checkPermissionMode(String permissionMode, Map<String, String> env) throws SetupException {
        if (!"bypassPermissions".equals(permissionMode) || !ClaudeProcess.isRoot() || "1".equals(env.get("IS_SANDBOX"))) {
            return;
        }
        throw new SetupException("this runs as root, and the claude CLI refuses --permission-mode bypassPermissions (the\n"
                + "  default here: nobody is there to answer permission prompts) as root unless IS_SANDBOX=1 is set.\n"
                + "  If this machine is a sandbox (a container or VM you can throw away): export IS_SANDBOX=1\n"
                + "  Otherwise run as a normal user, or choose another mode, e.g. --permission-mode auto");
    }

    static void warn(String message) {
        System.err.println("claude-code-api: warning: " + message);
    }
}
