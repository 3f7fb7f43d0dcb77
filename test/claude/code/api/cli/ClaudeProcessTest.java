package claude.code.api.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import claude.code.api.failures.SessionStartException;
import claude.code.api.options.LaunchOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClaudeProcess} around stand-in executables (shell scripts) that behave like a CLI that
 * fails, hangs or is ready: start-up errors, the child's environment, what typing writes. The real
 * CLI is in {@code ClaudeProcessRealCliTest}.
 */
@Timeout(60)
class ClaudeProcessTest {
    private static final String READY = "printf '\\342\\235\\257\\302\\240'"; // ❯ + NBSP

    @TempDir
    Path tmp;

    private Path script(String name, String body) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    /** Launch options without flags of their own (the defaults ask for bypass mode). */
    private LaunchOptions.Builder options(Path executable) {
        return launch().executable(executable);
    }

    private LaunchOptions.Builder launch() {
        return LaunchOptions.builder(tmp).permissionMode(null);
    }

    private static CliOptions cli(LaunchOptions.Builder launch) {
        return CliOptions.of(launch.build());
    }

    private static Map<String, String> baseEnv() {
        return Map.of("PATH", "/usr/bin:/bin", "ANTHROPIC_API_KEY", "sk-secret", "HOME", "/nonexistent");
    }

    @Test
    void aCliThatExitsDuringStartUpIsAnErrorWithItsExitStatusAndScreen() throws IOException {
        Path exe = script("exits.sh", "echo 'fatal: cannot start here'; exit 3");
        SessionStartException e = assertThrows(SessionStartException.class,
                () -> ClaudeProcess.start(cli(options(exe)), baseEnv(), ProcessSettings.DEFAULTS));
        assertEquals(OptionalInt.of(3), e.exitCode());
        assertTrue(e.getMessage().contains("exited during start-up (exit status 3)"), e.getMessage());
        assertTrue(e.screen().contains("fatal: cannot start here"), e.screen());
        assertTrue(e.getMessage().contains("fatal: cannot start here"), "the message quotes the screen: " + e.getMessage());
    }

    @Test
    void anUnknownScreenPastTheStartupTimeoutIsAnErrorQuotingItAndTheProcessIsStopped() throws Exception {
        Path pidFile = tmp.resolve("pid");
        Path exe = script("hangs.sh", "echo $$ > " + pidFile + "; echo 'Something nobody expected'; exec sleep 600");
        SessionStartException e = assertThrows(SessionStartException.class, () -> ClaudeProcess.start(cli(options(exe)),
                baseEnv(), ProcessSettings.DEFAULTS.withStartupTimeout(Duration.ofMillis(500))));
        assertTrue(e.getMessage().contains("did not show its prompt within PT0.5S (it shows an unknown screen)"), e.getMessage());
        assertTrue(e.screen().contains("Something nobody expected"), e.screen());
        assertEquals(OptionalInt.empty(), e.exitCode(), "it did not exit by itself");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the stand-in was stopped and reaped");
    }

    @Test
    void theMarkerMeansReadyAndTheScreenShowsIt() throws IOException {
        Path exe = script("ready.sh", "echo 'Claude Code stand-in'; " + READY + "; exec sleep 600");
        ClaudeProcess process = ClaudeProcess.start(cli(options(exe)), baseEnv(), ProcessSettings.DEFAULTS);
        try {
            assertTrue(process.isAlive());
            assertTrue(process.screen().contains("Claude Code stand-in"), process.screen());
            assertTrue(process.screen().contains("❯\u00a0"), process.screen());
            assertTrue(process.startupTime().compareTo(Duration.ZERO) > 0);
        } finally {
            process.close();
        }
        assertFalse(process.isAlive());
        assertTrue(process.exitCode().isPresent(), "reaped, with a status");
    }

    @Test
    void theChildGetsTheOptionsEnvironmentWithTermAndBoundedApiRetries() throws Exception {
        Path envFile = tmp.resolve("env");
        Path exe = script("env.sh", "env > " + envFile + "; " + READY + "; exec sleep 600");
        try (ClaudeProcess process = ClaudeProcess.start(cli(options(exe)), baseEnv(), ProcessSettings.DEFAULTS)) {
            List<String> env = Files.readAllLines(envFile);
            assertTrue(env.contains("CLAUDE_CODE_MAX_RETRIES=2"), env.toString());
            assertTrue(env.contains("TERM=xterm-256color"), env.toString());
            assertTrue(env.contains("HOME=/nonexistent"), env.toString());
            assertFalse(env.stream().anyMatch(v -> v.startsWith("ANTHROPIC_API_KEY=")), "provider variables are scrubbed");
            assertEquals("2", process.environment().get("CLAUDE_CODE_MAX_RETRIES"));
        }
    }

    @Test
    void anExplicitRetryVariableWinsOverTheSetting() {
        CliOptions options = cli(launch().extraEnv(Map.of("CLAUDE_CODE_MAX_RETRIES", "7")));
        assertEquals("7", ClaudeProcess.childEnvironment(options, Map.of()).get("CLAUDE_CODE_MAX_RETRIES"));
        assertEquals("5", ClaudeProcess.childEnvironment(cli(launch().apiMaxRetries(5)), Map.of("CLAUDE_CODE_MAX_RETRIES", "9"))
                .get("CLAUDE_CODE_MAX_RETRIES"));
        assertEquals("9", ClaudeProcess.childEnvironment(cli(launch().apiMaxRetries(-1)), Map.of("CLAUDE_CODE_MAX_RETRIES", "9"))
                .get("CLAUDE_CODE_MAX_RETRIES"), "negative: left alone");
        assertEquals("vt100", ClaudeProcess.childEnvironment(cli(launch()), Map.of("TERM", "vt100")).get("TERM"));
    }

    @Test
    void typingWritesThePastesAndEnterAndEscapeAreSeparateKeys() throws Exception {
        Path keys = tmp.resolve("keys");
        // Raw mode, so the terminal hands every byte over unchanged; dd stops after the 3 writes' bytes.
        PromptEncoder.Encoded prompt = PromptEncoder.encode("/help me");
        int total = prompt.keys().length + 2;
        Path exe = script("keys.sh", "stty raw -echo; " + READY + "; exec dd of=" + keys + " bs=1 count=" + total + " status=none");
        try (ClaudeProcess process = ClaudeProcess.start(cli(options(exe)), baseEnv(), ProcessSettings.DEFAULTS)) {
            process.typePrompt(prompt);
            process.pressEnter();
            process.interrupt();
            assertTrue(process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS) == 0, "dd read everything");
        }
        byte[] written = Files.readAllBytes(keys);
        byte[] expected = Arrays.copyOf(prompt.keys(), total);
        expected[total - 2] = '\r';
        expected[total - 1] = 0x1b;
        assertEquals(new String(expected, StandardCharsets.UTF_8), new String(written, StandardCharsets.UTF_8));
        assertTrue(new String(written, StandardCharsets.UTF_8).startsWith("\u001b[200~\u2800/help me"), "neutralised paste");
    }

    @Test
    void bypassModeAsRootWithoutIsSandboxIsRefusedBeforeAnythingIsSpawned() throws IOException {
        assumeTrue(ClaudeProcess.isRoot(), "only root is refused");
        Path marker = tmp.resolve("spawned");
        Path exe = script("never.sh", "touch " + marker + "; " + READY + "; exec sleep 600");
        for (CliOptions options : List.of(cli(options(exe).permissionMode("bypassPermissions")),
                cli(options(exe).dangerouslySkipPermissions(true)),
                cli(options(exe).extraArgs(List.of("--permission-mode", "bypassPermissions"))))) {
            SessionStartException e = assertThrows(SessionStartException.class,
                    () -> ClaudeProcess.start(options, baseEnv(), ProcessSettings.DEFAULTS));
            assertTrue(e.getMessage().contains("IS_SANDBOX=1"), e.getMessage());
            assertTrue(e.getMessage().contains("root"), e.getMessage());
        }
        assertFalse(Files.exists(marker), "nothing was started");
        try (ClaudeProcess process = ClaudeProcess.start(cli(options(exe).permissionMode("bypassPermissions")
                .extraEnv(Map.of("IS_SANDBOX", "1"))), baseEnv(), ProcessSettings.DEFAULTS)) {
            assertTrue(process.isAlive(), "with IS_SANDBOX=1 it starts");
        }
    }

    @Test
    void otherPermissionModesAreNotBypass() {
        assertFalse(ClaudeProcess.asksForBypass(cli(launch().permissionMode("auto"))));
        assertFalse(ClaudeProcess.asksForBypass(cli(launch())));
        assertTrue(ClaudeProcess.asksForBypass(cli(launch().extraArgs(List.of("--dangerously-skip-permissions")))));
    }
}
