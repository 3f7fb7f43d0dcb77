package claude.code.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClaudeTestHomeTest {

    private static final URI MOCK = URI.create("http://127.0.0.1:9");

    @Test
    void claudeJsonLooksLikeALoggedInUserWithTheWorkspaceTrusted() throws IOException {
        try (ClaudeTestHome home = ClaudeTestHome.builder(MOCK).build()) {
            JsonObject json = (JsonObject) Json.parse(Files.readAllBytes(home.configDir().resolve(".claude.json")));
            assertTrue(json.bool("hasCompletedOnboarding"));
            assertEquals(JsonArray.of(JsonValue.of(ClaudeTestHome.API_KEY.substring(ClaudeTestHome.API_KEY.length() - 20))),
                    json.object("customApiKeyResponses").array("approved"));
            assertTrue(json.object("projects").object(home.workspace().toString()).bool("hasTrustDialogAccepted"));
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(home.configDir().resolve(".claude.json"))));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.root())));
        }
    }

    @Test
    void untrustedWorkspaceHasNoProjectEntry() throws IOException {
        try (ClaudeTestHome home = ClaudeTestHome.builder(MOCK).trusted(false).build()) {
            JsonObject json = (JsonObject) Json.parse(Files.readAllBytes(home.configDir().resolve(".claude.json")));
            assertFalse(json.has("projects"));
        }
    }

    @Test
    void environmentPointsTheCliAtTheMockAndInheritsNothingElse() {
        try (ClaudeTestHome home = ClaudeTestHome.builder(MOCK).maxRetries(1).env("EXTRA", "x").build()) {
            var env = home.environment();
            assertEquals(Set.of("HOME", "CLAUDE_CONFIG_DIR", "PATH", "ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY",
                    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "DISABLE_TELEMETRY", "DISABLE_AUTOUPDATER", "TERM", "LANG",
                    "CLAUDE_CODE_MAX_RETRIES", "EXTRA"), env.keySet());
            assertEquals("http://127.0.0.1:9", env.get("ANTHROPIC_BASE_URL"));
            assertEquals(home.home().resolve(".claude").toString(), env.get("CLAUDE_CONFIG_DIR"));
            assertEquals("1", env.get("CLAUDE_CODE_MAX_RETRIES"));
            assertEquals(env, home.processBuilder(List.of("-p", "x")).environment());
        }
        try (ClaudeTestHome home = ClaudeTestHome.builder(MOCK).unsetEnv("DISABLE_TELEMETRY").build()) {
            assertFalse(home.environment().containsKey("DISABLE_TELEMETRY"));
            assertEquals(home.workspace().toFile(), home.processBuilder(List.of()).directory());
        }
    }

    @Test
    void bypassPermissionsIsPreAcceptedForRoot() throws IOException {
        try (ClaudeTestHome home = ClaudeTestHome.builder(MOCK).bypassPermissionsAccepted().build()) {
            JsonObject settings = (JsonObject) Json.parse(Files.readAllBytes(home.configDir().resolve("settings.json")));
            assertTrue(settings.bool("skipDangerousModePermissionPrompt"));
            assertEquals("1", home.environment().get("IS_SANDBOX"));
        }
    }

    @Test
    void closeDeletesEverything() throws IOException {
        ClaudeTestHome home = ClaudeTestHome.builder(MOCK).build();
        Files.createDirectories(home.projectDir());
        Files.writeString(home.transcript("s1"), "{}\n");
        home.close();
        assertFalse(Files.exists(home.root()));
        home.close(); // idempotent
    }

    @Test
    void strayProcessesAreFoundByEnvironmentAndKilledOnClose() throws Exception {
        ClaudeTestHome home = ClaudeTestHome.builder(MOCK).build();
        ProcessBuilder builder = new ProcessBuilder("sleep", "60").directory(Path.of("/").toFile());
        builder.environment().putAll(home.environment());
        Process sleeper = builder.start();
        try {
            assertEquals(List.of(sleeper.pid()), home.strayProcesses().stream().map(ProcessHandle::pid).toList());
            home.close();
            assertTrue(sleeper.waitFor(10, TimeUnit.SECONDS), "close killed it");
            assertFalse(Files.exists(home.root()));
        } finally {
            sleeper.destroyForcibly();
            sleeper.waitFor();
        }
    }

    @Test
    void toolProcessesOrphanedByAKilledCliAreStillFound() throws Exception {
        try (MockMessagesApi api = MockMessagesApi.start()) {
            ClaudeTestHome home = ClaudeTestHome.create(api);
            Process cli = home.processBuilder(List.of("-p", "TOOL_SLEEP60"))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                ProcessHandle sleep = awaitSleepProcess(home, Duration.ofSeconds(60));
                cli.destroyForcibly(); // SIGKILL: the tool's shell runs in its own session and survives
                cli.waitFor();
                assertTrue(sleep.isAlive(), "the tool outlived the CLI (docs/CLI-BEHAVIOUR.md#exit)");
                assertTrue(home.strayProcesses().contains(sleep));
                home.close();
                assertFalse(sleep.isAlive());
                assertEquals(List.of(), home.strayProcesses());
            } finally {
                CliPeer.killTree(cli.toHandle());
                home.close();
            }
        }
    }

    private static ProcessHandle awaitSleepProcess(ClaudeTestHome home, Duration guard) throws InterruptedException {
        long deadline = System.nanoTime() + guard.toNanos();
        while (System.nanoTime() < deadline) {
            for (ProcessHandle p : home.strayProcesses()) {
                if (p.info().command().orElse("").endsWith("/sleep")) {
                    return p;
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the Bash tool never started sleep; processes: " + home.strayProcesses());
    }
}
