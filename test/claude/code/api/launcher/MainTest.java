package claude.code.api.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.testing.CliPeer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    record Run(int code, String out, String err) {}

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheCommands() {
        Run r = run(Map.of(), "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("claude-code-api serve [options]") && r.out().contains("claude-code-api chat"), r.out());
        assertEquals(0, run(Map.of(), "-h").code());
    }

    @Test
    void serveHelpListsEveryFlagWithItsVariable() {
        Run r = run(Map.of(), "serve", "--help");
        assertEquals(0, r.code());
        for (Flags.Spec s : Main.SERVE_FLAGS) {
            assertTrue(r.out().contains("--" + s.name()) && r.out().contains(s.env()), s.name() + " in\n" + r.out());
        }
        assertTrue(r.out().contains("CLAUDE_CODE_API_TOKEN") && r.out().contains("CLAUDE_CODE_API_PRESERVE_PROVIDER_ENV"));
        assertEquals(0, run(Map.of(), "chat", "--help").code());
    }

    @Test
    void versionNamesTheProgram() {
        Run r = run(Map.of(), "--version");
        assertEquals(0, r.code());
        assertTrue(r.out().matches("claude-code-api \\S+\\n"), r.out());
    }

    @Test
    void unknownCommandsAndOptionsAreUsageErrors() {
        Run r = run(Map.of(), "frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown command \"frobnicate\""), r.err());
        Run o = run(Map.of(), "serve", "--no-such-flag");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("unknown option --no-such-flag"));
        assertEquals(2, run(Map.of()).code(), "no command");
        assertEquals(2, run(Map.of(), "serve", "--port").code(), "a flag without its value");
        assertTrue(run(Map.of(), "serve", "--port", "99999").err().contains("--port: must be 0..65535"));
    }

    @Test
    void withoutClaudeOnThePathItSaysHowToInstallIt(@TempDir Path empty) {
        Run r = run(Map.of("PATH", empty.toString()), "serve");
        assertEquals(3, r.code());
        assertTrue(r.err().contains("not on the PATH") && r.err().contains("npm install -g @anthropic-ai/claude-code"), r.err());
        Run given = run(Map.of(), "serve", "--claude", empty.resolve("claude").toString());
        assertEquals(3, given.code());
        assertTrue(given.err().contains("is not an executable file"));
    }

    @Test
    void claudeIsFoundOnThePath(@TempDir Path dir) throws Exception {
        Path fake = Files.writeString(dir.resolve("claude"), "#!/bin/sh\nexit 0\n");
        fake.toFile().setExecutable(true);
        assertEquals(fake, Preflight.findClaude(null, Map.of("PATH", "/nonexistent:" + dir)));
    }

    @Test
    void whenClaudeIsNotLoggedInItSaysHowToLogIn(@TempDir Path home) {
        Run r = run(Map.of("HOME", home.toString(), "PATH", System.getenv("PATH"), "IS_SANDBOX", "1"), "serve", "--port", "0",
                "--claude", CliPeer.executable().toString(), "--cwd", home.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("claude is not logged in") && r.err().contains("/login")
                && r.err().contains("--preserve-provider-env"), r.err());
    }

    @Test
    void asRootBypassModeNeedsTheSandboxDeclaration(@TempDir Path home) {
        if (!claude.code.api.cli.ClaudeProcess.isRoot()) {
            return; // the CLI's root rule does not apply
        }
        Run r = run(Map.of("HOME", home.toString(), "PATH", System.getenv("PATH")), "serve", "--claude",
                CliPeer.executable().toString(), "--cwd", home.toString());
        assertEquals(3, r.code());
        assertTrue(r.err().contains("IS_SANDBOX=1") && r.err().contains("--permission-mode"), r.err());
    }

    @Test
    void prestartBeyondThePoolSizeIsAUsageError(@TempDir Path home) {
        Run r = run(Map.of("PATH", System.getenv("PATH")), "serve", "--pool-size", "2", "--prestart", "3", "--claude",
                CliPeer.executable().toString(), "--cwd", home.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("prestartSessions: must be 0..2 (maxSessions), got 3"), r.err());
        assertTrue(run(Map.of(), "serve", "--help").out().contains("--prestart"));
    }

    @Test
    void theDrainTimeoutIsSecondsUpToADay() {
        Run r = run(Map.of(), "serve", "--drain-timeout", "86401");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--drain-timeout: must be 0..86400, got 86401"), r.err());
        assertTrue(run(Map.of(), "serve", "--drain-timeout", "soon").err().contains("--drain-timeout: not a number"));
    }

    @Test
    void aNonLoopbackHostWithoutATokenIsRefused(@TempDir Path home) {
        Run r = run(Map.of("PATH", System.getenv("PATH")), "serve", "--host", "0.0.0.0", "--claude",
                CliPeer.executable().toString(), "--cwd", home.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("needs a token"), r.err());
    }

    @Test
    void flagsTakeBothFormsAndFallBackToTheEnvironment() throws Exception {
        List<Flags.Spec> specs = List.of(new Flags.Spec("pool-size", false, "N", ""), new Flags.Spec("host", false, "H", ""),
                new Flags.Spec("preserve-provider-env", true, null, ""));
        Flags f = Flags.parse(List.of("--pool-size=3", "--host", "::1", "words", "--", "--not-a-flag"), specs,
                Map.of("CLAUDE_CODE_API_POOL_SIZE", "9", "CLAUDE_CODE_API_PRESERVE_PROVIDER_ENV", "1"));
        assertEquals(3, f.integer("pool-size", 1, 1, 10), "the flag wins over the variable");
        assertEquals("::1", f.get("host"));
        assertTrue(f.isSet("preserve-provider-env"), "a switch from the environment");
        assertEquals(List.of("words", "--not-a-flag"), f.positional());
        Flags env = Flags.parse(List.of(), specs, Map.of("CLAUDE_CODE_API_POOL_SIZE", "9"));
        assertEquals(9, env.integer("pool-size", 1, 1, 10));
        assertThrows(Flags.UsageException.class, () -> Flags.parse(List.of("-x"), specs, Map.of()));
    }

    @Test
    void sizesTakeUnits() throws Exception {
        List<Flags.Spec> specs = List.of(new Flags.Spec("max-body-size", false, "BYTES", ""));
        assertEquals(32L << 20, Flags.parse(List.of("--max-body-size", "32M"), specs, Map.of()).bytes("max-body-size", 0));
        assertEquals(4096, Flags.parse(List.of("--max-body-size", "4k"), specs, Map.of()).bytes("max-body-size", 0));
        assertThrows(Flags.UsageException.class,
                () -> Flags.parse(List.of("--max-body-size", "lots"), specs, Map.of()).bytes("max-body-size", 0));
    }

    @Test
    void theModelApiRelayIsOnByDefaultAndSwitchedByItsFlagOrItsVariable(@TempDir Path dir) throws Exception {
        Path fake = Files.writeString(dir.resolve("claude"), "#!/bin/sh\nexit 0\n");
        fake.toFile().setExecutable(true);
        Map<String, String> env = Map.of("PATH", dir.toString());
        List<String> cwd = List.of("--cwd", dir.toString());
        assertTrue(Main.backendOptions(Flags.parse(cwd, Main.SESSION_FLAGS, env), env).build().relay().enabled());
        assertEquals(false, Main.backendOptions(Flags.parse(List.of("--cwd", dir.toString(), "--model-api-relay", "off"),
                Main.SESSION_FLAGS, env), env).build().relay().enabled());
        Map<String, String> off = Map.of("PATH", dir.toString(), "CLAUDE_CODE_API_MODEL_API_RELAY", "off");
        assertEquals(false, Main.backendOptions(Flags.parse(cwd, Main.SESSION_FLAGS, off), off).build().relay().enabled());
        assertThrows(Flags.UsageException.class, () -> Main.backendOptions(Flags.parse(
                List.of("--cwd", dir.toString(), "--model-api-relay", "maybe"), Main.SESSION_FLAGS, env), env));
        assertTrue(Main.serveUsage().contains("--model-api-relay on|off") && Main.serveUsage().contains("CLAUDE_CODE_API_MODEL_API_RELAY"));
    }

    @Test
    void theClientToolTimeoutIsSecondsFromItsFlagOrItsVariableAndTenMinutesByDefault(@TempDir Path dir) throws Exception {
        Path fake = Files.writeString(dir.resolve("claude"), "#!/bin/sh\nexit 0\n");
        fake.toFile().setExecutable(true);
        Map<String, String> env = Map.of("PATH", dir.toString());
        List<String> cwd = List.of("--cwd", dir.toString());
        assertEquals(java.time.Duration.ofMinutes(10), Main.backendOptions(Flags.parse(cwd, Main.SESSION_FLAGS, env), env)
                .build().clientToolTimeout());
        assertEquals(java.time.Duration.ofSeconds(90), Main.backendOptions(Flags.parse(List.of("--cwd", dir.toString(),
                "--client-tool-timeout", "90"), Main.SESSION_FLAGS, env), env).build().clientToolTimeout());
        Map<String, String> fromEnv = Map.of("PATH", dir.toString(), "CLAUDE_CODE_API_CLIENT_TOOL_TIMEOUT", "5");
        assertEquals(java.time.Duration.ofSeconds(5), Main.backendOptions(Flags.parse(cwd, Main.SESSION_FLAGS, fromEnv),
                fromEnv).build().clientToolTimeout());
        Flags.UsageException zero = assertThrows(Flags.UsageException.class, () -> Main.backendOptions(Flags.parse(
                List.of("--cwd", dir.toString(), "--client-tool-timeout", "0"), Main.SESSION_FLAGS, env), env));
        assertTrue(zero.getMessage().contains("--client-tool-timeout: must be at least 1 second"), zero.getMessage());
        assertTrue(Main.serveUsage().contains("--client-tool-timeout SECONDS"), Main.serveUsage());
    }

    @Test
    void mediaUrlsAreFetchedOnlyWhenTheFlagOrItsVariableSaysOn() throws Exception {
        assertEquals(false, Serve.fetchMediaUrls(Flags.parse(List.of(), Main.SERVE_FLAGS, Map.of())));
        assertEquals(true, Serve.fetchMediaUrls(Flags.parse(List.of("--fetch-media-urls", "on"), Main.SERVE_FLAGS, Map.of())));
        assertEquals(false, Serve.fetchMediaUrls(Flags.parse(List.of("--fetch-media-urls=off"), Main.SERVE_FLAGS, Map.of())));
        assertEquals(true, Serve.fetchMediaUrls(Flags.parse(List.of(), Main.SERVE_FLAGS,
                Map.of("CLAUDE_CODE_API_FETCH_MEDIA_URLS", "on"))));
        Flags.UsageException bad = assertThrows(Flags.UsageException.class, () -> Serve.fetchMediaUrls(
                Flags.parse(List.of("--fetch-media-urls", "yes"), Main.SERVE_FLAGS, Map.of())));
        assertTrue(bad.getMessage().contains("--fetch-media-urls: \"yes\" is not one of on, off"), bad.getMessage());
        assertTrue(Main.serveUsage().contains("--fetch-media-urls on|off") && Main.serveUsage().contains("untrusted"),
                Main.serveUsage());
        assertTrue(!Main.chatUsage().contains("--fetch-media-urls"), "a gateway switch, not chat's");
    }
}
