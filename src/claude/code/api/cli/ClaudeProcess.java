package claude.code.api.cli;

import claude.code.api.failures.SessionStartException;
import claude.code.api.pty.PtyProcess;
import claude.code.api.pty.PtySpec;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * One interactive {@code claude} process in a pseudo-terminal, at its prompt.
 *
 * <p>{@link #start} spawns it from {@link CliOptions} and returns once the prompt shows, having
 * answered the start-up dialogs ({@link Startup}). From then on a virtual thread keeps reading its
 * output into a {@link claude.code.api.terminal.TerminalScreen} ({@link #screen()}). Typing is
 * split in two on purpose: {@link #typePrompt} writes the pastes and {@link #pressEnter()}
 * submits, because an Enter that arrives before the TUI has taken in a big paste is lost
 * ({@code docs/PROMPT-ENCODING.md}); the caller repeats Enter until it sees the prompt submitted.
 *
 * <p>Thread-safe. {@link #close()} always reaps the process.
 */
public final class ClaudeProcess implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ClaudeProcess.class.getName());
    /** How long {@link #typePrompt} waits for the CLI to read one write before it stops pacing. */
    static final Duration PACING_PATIENCE = Duration.ofSeconds(5);

    /** The CLI's retry bound; see {@link claude.code.api.options.LaunchOptions#apiMaxRetries()}. */
    public static final String MAX_RETRIES_VARIABLE = "CLAUDE_CODE_MAX_RETRIES";
    static final String NO_MARKETPLACE_AUTOINSTALL = "CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL";
    private static final String DEFAULT_TERM = "xterm-256color";
    private static final byte[] ESC = {0x1b};
    private static final byte[] CTRL_C = {0x03};
    /** Greyed hints the CLI shows in an empty input box after an API error ({@code docs/CLI-BEHAVIOUR.md#api-errors}). */
    private static final List<String> PLACEHOLDERS =
            List.of("Resend your message to try again", "Once fixed, resend your message", "Run /rewind to go back");

    private final CliOptions options;
    private final Map<String, String> environment;
    private final PtyProcess pty;
    private final TerminalMirror mirror;
    private final ProcessSettings settings;
    private volatile Duration startupTime;

    private ClaudeProcess(CliOptions options, Map<String, String> environment, PtyProcess pty, TerminalMirror mirror,
            ProcessSettings settings) {
        this.options = options;
        this.environment = environment;
        this.pty = pty;
        this.mirror = mirror;
        this.settings = settings;
    }

    /**
     * Spawns the CLI and waits until its prompt shows.
     *
     * @param baseEnvironment the environment the child starts from (typically {@code System.getenv()});
     *     see {@link CliOptions#environment(Map)}
     * @throws SessionStartException when the CLI cannot be started as configured, exits during start-up,
     *     shows a dialog the policy does not answer, or is not ready within the start-up timeout; the
     *     process is then already stopped
     * @throws IOException when the process cannot be spawned ({@link InterruptedIOException} when the
     *     calling thread is interrupted)
     */
    public static ClaudeProcess start(CliOptions options, Map<String, String> baseEnvironment, ProcessSettings settings)
            throws IOException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(baseEnvironment, "baseEnvironment");
        Objects.requireNonNull(settings, "settings");
        Map<String, String> env = childEnvironment(options, baseEnvironment);
        requireBypassAllowed(options, env);

        long t0 = System.nanoTime();
        PtySpec spec = PtySpec.of(options.argv()).withEnvironment(env).withDirectory(options.cwd())
                .withSize(options.columns(), options.rows());
        PtyProcess pty = PtyProcess.start(spec);
        String what = "claude (pid " + pty.pid() + ")";
        TerminalMirror mirror = new TerminalMirror(pty.output(), options.columns(), options.rows(), what);
        ClaudeProcess process = new ClaudeProcess(options, env, pty, mirror, settings);
        mirror.start();
        try {
            new Startup(mirror, pty::write, pty::isAlive, settings.dialogs(), what).awaitReady(settings.startupTimeout());
        } catch (SessionStartException e) {
            throw process.failStart(e);
        } catch (InterruptedException e) {
            process.close();
            Thread.currentThread().interrupt();
            InterruptedIOException stop = new InterruptedIOException("interrupted while " + what + " was starting");
            stop.initCause(e);
            throw stop;
        } catch (IOException | RuntimeException | Error e) {
            process.close();
            throw e;
        }
        process.startupTime = Duration.ofNanos(System.nanoTime() - t0);
        LOG.log(System.Logger.Level.DEBUG, "{0} ready after {1} ms", what, process.startupTime.toMillis());
        return process;
    }

    /** Stops the process and adds its exit status (when it exited by itself) to the error. */
    private SessionStartException failStart(SessionStartException e) {
        String screen = mirror.text();
        OptionalInt code = OptionalInt.empty();
        try {
            // The end of the terminal's output can come a moment before the exit is reaped: when the
            // output ended, the process is on its way out, so its status is worth a short wait.
            boolean exiting = !pty.isAlive() || mirror.ended();
            code = exiting ? pty.waitFor(Duration.ofSeconds(2)) : OptionalInt.empty();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        close();
        if (code.isPresent()) {
            return new SessionStartException(e.reason() + " (exit status " + code.getAsInt() + ")", screen, code.getAsInt(), null);
        }
        return new SessionStartException(e.reason(), screen, null, null);
    }

    /**
     * The child's environment: {@link CliOptions#environment(Map)}, plus {@code TERM} when the base
     * has none (the TUI needs one), the API retry bound, and no plugin-marketplace auto-install.
     */
    public static Map<String, String> childEnvironment(CliOptions options, Map<String, String> base) {
        Map<String, String> env = options.environment(base);
        env.putIfAbsent("TERM", DEFAULT_TERM);
        int retries = options.launch().apiMaxRetries();
        if (retries >= 0 && !options.launch().extraEnv().containsKey(MAX_RETRIES_VARIABLE)
                && !options.sessionEnv().containsKey(MAX_RETRIES_VARIABLE)) {
            env.put(MAX_RETRIES_VARIABLE, Integer.toString(retries));
        }
        // Once a folder is trusted the CLI starts a `git clone` of the plugin marketplace that outlives
        // it (an orphan we would leave behind); a session started by this library does not need it.
        env.putIfAbsent(NO_MARKETPLACE_AUTOINSTALL, "1");
        return Collections.unmodifiableMap(env);
    }

    /**
     * As root the CLI refuses bypass-permissions mode (exit 1, "cannot be used with root/sudo
     * privileges") unless {@code IS_SANDBOX=1} or {@code CLAUDE_CODE_BUBBLEWRAP} is set; say so before
     * spawning rather than after.
     */
    static void requireBypassAllowed(CliOptions options, Map<String, String> env) throws SessionStartException {
        if (!asksForBypass(options) || !isRoot()) {
            return;
        }
        String bubblewrap = env.getOrDefault("CLAUDE_CODE_BUBBLEWRAP", "");
        if ("1".equals(env.get("IS_SANDBOX")) || !(bubblewrap.isEmpty() || bubblewrap.equals("0") || bubblewrap.equalsIgnoreCase("false"))) {
            return;
        }
        throw new SessionStartException("bypass-permissions mode was asked for, but this process runs as root, where the "
                + "claude CLI refuses it unless its environment has IS_SANDBOX=1 (declare that it runs in a sandbox: "
                + "extraEnv IS_SANDBOX=1), so it was not started", "", null, null);
    }

    static boolean asksForBypass(CliOptions options) {
        if ("bypassPermissions".equals(options.launch().permissionMode()) || options.launch().dangerouslySkipPermissions()) {
            return true;
        }
        List<String> extra = options.launch().extraArgs();
        for (int i = 0; i < extra.size(); i++) {
            String a = extra.get(i);
            if (a.equals("--dangerously-skip-permissions") || a.equals("--permission-mode=bypassPermissions")
                    || (a.equals("--permission-mode") && i + 1 < extra.size() && extra.get(i + 1).equals("bypassPermissions"))) {
                return true;
            }
        }
        return false;
    }

    /** The real user id is 0 (what the CLI checks with {@code process.getuid()}). */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).strip().split("\\s+")[0].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux-like: fall back to the name
        }
        return "root".equals(System.getProperty("user.name"));
    }

    public long pid() {
        return pty.pid();
    }

    public CliOptions options() {
        return options;
    }

    /** The child's complete environment. It may hold credentials: never log it. */
    public Map<String, String> environment() {
        return environment;
    }

    /** From spawn to the prompt, dialogs included. */
    public Duration startupTime() {
        return startupTime;
    }

    public boolean isAlive() {
        return pty.isAlive();
    }

    /** Completes with the exit status (or 128 + signal) when the CLI exits. */
    public CompletableFuture<Integer> onExit() {
        return pty.onExit();
    }

    /** The exit status, once the CLI has exited. */
    public OptionalInt exitCode() {
        try {
            return pty.waitFor(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        } catch (UncheckedIOException e) {
            return OptionalInt.empty();
        }
    }

    /** The terminal screen as plain text. */
    public String screen() {
        return mirror.text();
    }

    /**
     * Types a prompt into the input box as bracketed pastes; does not submit it. Blocks while the
     * TUI reads (a 60 KB prompt takes seconds) and returns once the terminal has taken every byte.
     *
     * <p>Paced: each write (a few whole pastes, see {@link PromptEncoder.Encoded#writes()}) is made
     * once the CLI has read everything before it, so it reaches an empty input queue and the CLI in
     * one read. Written all at once, the pastes reached the CLI in
     * reads cut at arbitrary points, and when a paste bracket was cut and the CLI was slow to get the
     * rest (a loaded machine), it took the first half for a key and typed the rest ({@code 1~}) into
     * the prompt. If the CLI does not read for {@link #PACING_PATIENCE}, the rest is written without
     * waiting, as before, rather than stalling the turn.
     */
    public void typePrompt(PromptEncoder.Encoded prompt) throws IOException {
        boolean paced = true;
        for (byte[] write : prompt.writes()) {
            pty.write(write);
            if (paced && !pty.awaitInputRead(PACING_PATIENCE)) {
                paced = false;
                if (pty.isAlive()) {
                    LOG.log(System.Logger.Level.WARNING, "the CLI read nothing for {0} ms while a prompt was typed;"
                            + " writing the rest without pacing", PACING_PATIENCE.toMillis());
                }
            }
        }
    }

    /** Enter: submits what the input box holds; harmless on an empty box. */
    public void pressEnter() throws IOException {
        pty.write(Startup.ENTER);
    }

    /**
     * ESC: interrupts the running turn (the CLI writes {@code [Request interrupted by user]}). Send
     * it once: a second ESC soon after, at an idle prompt, opens the CLI's rewind menu. Ctrl-C is
     * not used because two of them exit the CLI.
     */
    public void interrupt() throws IOException {
        pty.write(ESC);
    }

    /**
     * The first line of what the input box shows: the text typed so far, a greyed placeholder, or
     * {@code ""} when it is empty. The box is the last line that starts with the prompt marker.
     */
    public String inputLine() {
        List<String> lines = mirror.text().lines().toList();
        for (String line : lines.reversed()) {
            if (line.startsWith(StartupScreen.READY_MARKER)) {
                return line.substring(StartupScreen.READY_MARKER.length()).strip();
            }
        }
        return "";
    }

    /**
     * Empties the input box, which holds a prompt the CLI put back there (it does that when a
     * turn is interrupted before the reply has begun). One Ctrl-C clears the box; it is sent only
     * when the box shows text, because on an empty box it arms the CLI's exit (a second one within
     * a second would end the CLI). Waits until the box shows empty.
     *
     * @return whether the box is empty (or shows only a placeholder) within {@code timeout}
     */
    public boolean clearInput(Duration timeout) throws IOException {
        if (isEmptyInput(inputLine())) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = mirror.version();
        pty.write(CTRL_C);
        try {
            while (!isEmptyInput(inputLine())) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || mirror.ended()) {
                    return false;
                }
                seen = mirror.awaitChange(seen, Duration.ofNanos(left));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The input box holds text (not just a placeholder). */
    public boolean inputHoldsText() {
        return !isEmptyInput(inputLine());
    }

    private static boolean isEmptyInput(String line) {
        return line.isEmpty() || PLACEHOLDERS.contains(line);
    }

    /** Resizes the terminal; the CLI redraws. */
    public void resize(int columns, int rows) throws IOException {
        pty.resize(columns, rows);
        mirror.resize(columns, rows);
    }

    /**
     * Stops the CLI and reaps it; idempotent. Hangs up the terminal first, which the CLI takes as
     * the window closing: it ends its running tools and exits, normally within half a second. Only
     * a process group still alive after {@link ProcessSettings#closeGrace()} is killed (SIGKILL
     * would orphan running tools, which sit in sessions of their own; {@code docs/CLI-BEHAVIOUR.md#exit}).
     */
    @Override
    public void close() {
        try {
            pty.close(settings.closeGrace());
        } finally {
            mirror.close();
        }
    }

    @Override
    public String toString() {
        return "ClaudeProcess[pid=" + pty.pid() + (isAlive() ? ", alive" : ", exited") + "]";
    }
}
