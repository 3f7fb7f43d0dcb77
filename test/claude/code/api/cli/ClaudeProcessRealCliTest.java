package claude.code.api.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.failures.SessionStartException;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.CliPeer;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.options.LaunchOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Start-up and shut-down of the pinned real CLI in a PTY: readiness, every start-up dialog, failures. */
@Timeout(120)
class ClaudeProcessRealCliTest {
    private MockMessagesApi api;
    private ClaudeTestHome home;

    @BeforeEach
    void startMock() {
        api = MockMessagesApi.start();
    }

    @AfterEach
    void nothingLeftBehind() {
        try {
            if (home != null) {
                assertEquals(List.of(), home.strayProcesses(), "no process of this home still running");
                home.close();
            }
        } finally {
            api.close();
        }
    }

    /**
     * A home for the CLI against the mock. The official plugin marketplace is not installed: once a
     * folder is trusted the CLI would otherwise start a {@code git clone} over ssh that outlives it.
     */
    private ClaudeTestHome home(UnaryOperator<ClaudeTestHome.Builder> options) {
        home = options.apply(ClaudeTestHome.builder(api)).build();
        return home;
    }

    /** A new session, no flags but the executable's (the launch defaults ask for bypass mode). */
    private static CliOptions options(ClaudeTestHome home) {
        return options(home, b -> b);
    }

    private static CliOptions options(ClaudeTestHome home, UnaryOperator<LaunchOptions.Builder> launch) {
        // The test home's environment points the CLI at the mock with a test key: keep it.
        return CliOptions.of(launch.apply(LaunchOptions.builder(home.workspace()).executable(CliPeer.executable())
                .preserveProviderEnv(true).permissionMode(null)).build()).withSessionId(UUID.randomUUID().toString());
    }

    private static ClaudeProcess start(ClaudeTestHome home, CliOptions options, DialogPolicy dialogs) throws IOException {
        return ClaudeProcess.start(options, home.environment(), ProcessSettings.DEFAULTS.withDialogs(dialogs));
    }

    private static JsonObject config(ClaudeTestHome home) throws IOException {
        return (JsonObject) Json.parse(Files.readAllBytes(home.configDir().resolve(".claude.json")));
    }

    @Test
    void startsAtItsPromptAndCloseHangsUpAndReapsIt() throws IOException {
        home(b -> b);
        ClaudeProcess process = start(home, options(home), DialogPolicy.DEFAULT);
        try {
            assertTrue(process.isAlive());
            assertTrue(process.screen().contains("❯\u00a0"), process.screen());
            assertTrue(Files.exists(home.configDir().resolve("sessions").resolve(process.pid() + ".json")),
                    "the CLI's status file names its pid");
        } finally {
            process.close();
        }
        assertFalse(process.isAlive());
        // 0: the CLI's hang-up handler ran. 129 (SIGHUP): the hang-up came in the moment after the
        // prompt showed and before the CLI installed that handler (seen once in CI, right after
        // start-up). Either way the hang-up ended it, not the SIGKILL of the last resort (137).
        int exit = process.exitCode().orElseThrow();
        assertTrue(exit == 0 || exit == 128 + 1, "the hang-up ends it, exit status " + exit);
        if (exit == 0) {
            assertFalse(Files.exists(home.configDir().resolve("sessions").resolve(process.pid() + ".json")),
                    "a graceful exit removes the status file");
        }
    }

    @Test
    void answersTheTrustDialogOfAnUntrustedWorkspace() throws IOException {
        home(b -> b.trusted(false));
        try (ClaudeProcess process = start(home, options(home), DialogPolicy.DEFAULT)) {
            assertTrue(process.screen().contains("❯\u00a0"), process.screen());
        }
        JsonObject project = config(home).object("projects").object(home.workspace().toString());
        assertEquals(true, project.findBool("hasTrustDialogAccepted").orElse(false), "the CLI recorded the answer");
    }

    @Test
    void aTrustDialogThePolicyDoesNotAllowIsAnErrorQuotingIt() {
        home(b -> b.trusted(false));
        SessionStartException e = assertThrows(SessionStartException.class,
                () -> start(home, options(home), DialogPolicy.NONE));
        assertTrue(e.getMessage().contains("stopped at the folder trust dialog"), e.getMessage());
        assertTrue(e.screen().contains("Yes, I trust this folder"), e.screen());
        assertEquals(OptionalInt.empty(), e.exitCode(), "we stopped it; it did not exit by itself");
    }

    @Test
    void acceptsTheBypassPermissionsWarningWhenBypassModeIsAskedFor() throws IOException {
        home(b -> b.env("IS_SANDBOX", "1"));
        try (ClaudeProcess process = start(home, options(home, b -> b.permissionMode("bypassPermissions")), DialogPolicy.DEFAULT)) {
            assertTrue(process.screen().contains("bypass permissions on"), process.screen());
        }
        JsonObject settings = (JsonObject) Json.parse(Files.readAllBytes(home.configDir().resolve("settings.json")));
        assertEquals(true, settings.findBool("skipDangerousModePermissionPrompt").orElse(false));
    }

    @Test
    void theApiKeyQuestionIsAnErrorUnlessThePolicyApprovesKeys() throws IOException {
        home(b -> b);
        Files.writeString(home.configDir().resolve(".claude.json"), "{\"hasCompletedOnboarding\":true,\"projects\":{"
                + Json.quote(home.workspace().toString()) + ":{\"hasTrustDialogAccepted\":true}}}");
        SessionStartException e = assertThrows(SessionStartException.class,
                () -> start(home, options(home), DialogPolicy.DEFAULT));
        assertTrue(e.getMessage().contains("stopped at the API-key confirmation"), e.getMessage());
        assertTrue(e.screen().contains("Detected a custom API key"), e.screen());

        try (ClaudeProcess process = start(home, options(home), DialogPolicy.DEFAULT.withApproveApiKey(true))) {
            assertTrue(process.screen().contains("❯\u00a0"), process.screen());
        }
        String approved = config(home).object("customApiKeyResponses").array("approved").get(0).toString();
        String key = ClaudeTestHome.API_KEY;
        assertTrue(approved.contains(key.substring(key.length() - 20)), "the CLI recorded the approval: " + approved);
    }

    @Test
    void aFreshConfigIsOnboardedWithItsDefaults() throws IOException {
        home(b -> b);
        String keyTail = ClaudeTestHome.API_KEY.substring(ClaudeTestHome.API_KEY.length() - 20);
        Files.writeString(home.configDir().resolve(".claude.json"), "{\"customApiKeyResponses\":{\"approved\":["
                + Json.quote(keyTail) + "],\"rejected\":[]},\"projects\":{" + Json.quote(home.workspace().toString())
                + ":{\"hasTrustDialogAccepted\":true}}}");
        try (ClaudeProcess process = start(home, options(home), DialogPolicy.DEFAULT)) {
            assertTrue(process.screen().contains("❯\u00a0"), process.screen());
        }
        assertEquals(true, config(home).findBool("hasCompletedOnboarding").orElse(false));
    }

    @Test
    void invalidSettingsAreAnErrorQuotingTheSettingsDialog() throws IOException {
        home(b -> b);
        Files.writeString(home.configDir().resolve("settings.json"), "{\"tui\":\"classic\"}");
        SessionStartException e = assertThrows(SessionStartException.class,
                () -> start(home, options(home), DialogPolicy.DEFAULT));
        assertTrue(e.getMessage().contains("stopped at the settings error dialog: its settings are invalid"), e.getMessage());
        assertTrue(e.screen().contains("tui: Invalid value"), e.screen());
    }

    @Test
    void resumingASessionThatDoesNotExistIsAnErrorWithTheExitStatus() {
        home(b -> b);
        String id = UUID.randomUUID().toString();
        SessionStartException e = assertThrows(SessionStartException.class,
                () -> start(home, options(home).withResumeSessionId(id), DialogPolicy.DEFAULT));
        assertEquals(OptionalInt.of(1), e.exitCode(), e.getMessage());
        assertTrue(e.screen().contains("No conversation found with session ID: " + id), e.screen());
    }

    @Test
    void startsAgainAfterAKilledRunLeftTheFullscreenRendererNotice() throws Exception {
        home(b -> b);
        try (ClaudeProcess killed = start(home, options(home), DialogPolicy.DEFAULT)) {
            ProcessHandle.of(killed.pid()).orElseThrow().destroyForcibly();
            killed.onExit().get();
        }
        Path config = home.configDir().resolve(".claude.json");
        assertTrue(Files.readString(config).contains("fullscreenBootPending"), "the killed run left its strike pending");
        try (ClaudeProcess process = start(home, options(home), DialogPolicy.DEFAULT)) {
            assertTrue(process.screen().contains("❯\u00a0"), process.screen());
        }
    }

    @Test
    void theTerminalCanBeResized() throws IOException, InterruptedException {
        home(b -> b);
        try (ClaudeProcess process = start(home, options(home), DialogPolicy.DEFAULT)) {
            process.resize(90, 30);
            // The CLI redraws for the new width; wait for a frame whose rule fits it.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!process.screen().lines().anyMatch(l -> l.equals("─".repeat(90))) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(process.screen().lines().anyMatch(l -> l.equals("─".repeat(90))), process.screen());
            assertTrue(process.screen().lines().allMatch(l -> l.length() <= 90), process.screen());
        }
    }

    @Test
    void theEnvironmentKeepsNoProviderVariablesUnlessAsked() throws IOException {
        home(b -> b);
        CliOptions scrubbing = CliOptions.of(LaunchOptions.builder(home.workspace()).executable(CliPeer.executable())
                .permissionMode(null).build());
        Map<String, String> env = ClaudeProcess.childEnvironment(scrubbing, home.environment());
        assertFalse(env.containsKey("ANTHROPIC_API_KEY"));
        assertFalse(env.containsKey("ANTHROPIC_BASE_URL"));
        assertEquals(home.configDir().toString(), env.get("CLAUDE_CONFIG_DIR"));
    }
}
