package claude.code.api.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.options.LaunchOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliOptionsTest {
    static final String ID = "0b9e2f6c-3a53-4c1e-9d0a-6f1e2d3c4b5a";

    @TempDir
    Path w;

    /** Launch options without any flag of their own (the defaults ask for bypass mode). */
    LaunchOptions.Builder launch() {
        return LaunchOptions.builder(w).permissionMode(null);
    }

    CliOptions options(LaunchOptions.Builder launch) {
        return CliOptions.of(launch.build());
    }

    @Test
    void aNewSessionPassesItsIdAndNothingElseByDefault() {
        CliOptions o = options(launch()).withSessionId(ID);
        assertEquals(List.of("claude", "--session-id=" + ID), o.argv());
    }

    @Test
    void aResumedSessionPassesResumeInsteadOfSessionId() throws IOException {
        Path claude = Files.createFile(w.resolve("claude"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        CliOptions o = options(launch().executable(claude)).withResumeSessionId(ID);
        assertEquals(List.of(claude.toString(), "--resume=" + ID), o.argv());
    }

    @Test
    void everyOptionBecomesItsFlagWithOneValuePerArgument() throws IOException {
        Path a = Files.createDirectory(w.resolve("a"));
        Path b = Files.createDirectory(w.resolve("-b"));
        CliOptions o = options(launch().model("opus").systemPrompt("-be brief")
                .appendSystemPrompt("line1\nline2").allowedTools(List.of("Bash(git *)", "Read"))
                .disallowedTools(List.of("WebFetch"))
                .addDirs(List.of(a, b)).permissionMode("acceptEdits")
                .dangerouslySkipPermissions(true).effort("high").settings("{\"tui\":\"default\"}")
                .extraArgs(List.of("--verbose"))).withSessionId(ID).withMcpConfigs(List.of(Path.of("/tmp/m.json")));
        assertEquals(List.of("claude", "--session-id=" + ID, "--model=opus", "--system-prompt=-be brief",
                "--append-system-prompt=line1\nline2", "--allowedTools=Bash(git *)", "--allowedTools=Read",
                "--disallowedTools=WebFetch", "--mcp-config=/tmp/m.json", "--add-dir=" + a, "--add-dir=" + b,
                "--permission-mode=acceptEdits", "--dangerously-skip-permissions", "--effort=high",
                "--settings={\"tui\":\"default\"}", "--verbose"), o.argv());
    }

    @Test
    void aFallbackModelIsPassedAfterTheModel() {
        CliOptions o = options(launch().model("opus").fallbackModel("sonnet,haiku")).withSessionId(ID);
        assertEquals(List.of("claude", "--session-id=" + ID, "--model=opus", "--fallback-model=sonnet,haiku"), o.argv());
        assertEquals("fallbackModel: must not be blank",
                assertThrows(IllegalArgumentException.class, () -> launch().fallbackModel(" ").build()).getMessage());
    }

    @Test
    void providerVariablesAreRemovedFromTheEnvironment() {
        Map<String, String> base = new LinkedHashMap<>();
        for (String name : List.of("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL", "ANTHROPIC_MODEL",
                "ANTHROPIC_DEFAULT_SONNET_MODEL", "ANTHROPIC_SMALL_FAST_MODEL", "ANTHROPIC_CUSTOM_HEADERS",
                "ANTHROPIC_VERTEX_PROJECT_ID", "ANTHROPIC_BEDROCK_BASE_URL", "ANTHROPIC_FOUNDRY_API_KEY",
                "CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX", "CLAUDE_CODE_USE_FOUNDRY", "CLAUDE_CODE_USE_MANTLE",
                "CLAUDE_CODE_USE_GATEWAY", "CLAUDE_CODE_SKIP_BEDROCK_AUTH", "AWS_BEARER_TOKEN_BEDROCK", "CLOUD_ML_REGION",
                "VERTEX_REGION_CLAUDE_4_5_SONNET", "CLAUDE_CODE_API_KEY_FILE_DESCRIPTOR")) {
            base.put(name, "secret");
        }
        base.put("PATH", "/usr/bin");
        base.put("HOME", "/home/u");
        base.put("CLAUDE_CODE_OAUTH_TOKEN", "subscription");
        base.put("AWS_PROFILE", "tools");
        Map<String, String> env = options(launch()).environment(base);
        assertEquals(Map.of("PATH", "/usr/bin", "HOME", "/home/u", "CLAUDE_CODE_OAUTH_TOKEN", "subscription",
                "AWS_PROFILE", "tools"), env);
    }

    @Test
    void providerVariablesAreKeptWhenAskedAndExtraEnvWinsOverEverything() {
        Map<String, String> base = Map.of("ANTHROPIC_API_KEY", "k", "TERM", "dumb");
        Map<String, String> kept = options(launch().preserveProviderEnv(true)).environment(base);
        assertEquals("k", kept.get("ANTHROPIC_API_KEY"));
        Map<String, String> env = options(launch()
                .extraEnv(Map.of("TERM", "xterm-256color", "ANTHROPIC_BASE_URL", "http://127.0.0.1:9"))).environment(base);
        assertEquals(Map.of("TERM", "xterm-256color", "ANTHROPIC_BASE_URL", "http://127.0.0.1:9"), env);
    }

    @Test
    void badValuesAreRejectedWithTheirName() {
        assertEquals("permissionMode: \"yolo\" is not one of [acceptEdits, auto, bypassPermissions, manual, dontAsk, plan]",
                assertThrows(IllegalArgumentException.class, () -> launch().permissionMode("yolo").build()).getMessage());
        assertEquals("effort: \"huge\" is not one of [low, medium, high, xhigh, max]",
                assertThrows(IllegalArgumentException.class, () -> launch().effort("huge").build()).getMessage());
        assertEquals("sessionId: \"abc\" is not a lowercase UUID",
                assertThrows(IllegalArgumentException.class, () -> options(launch()).withSessionId("abc")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CliOptions(launch().build(), ID, ID, List.of(), 120, 40, Map.of(), null, List.of()));
        assertEquals("systemPrompt: contains a NUL character",
                assertThrows(IllegalArgumentException.class, () -> launch().systemPrompt("a\0b").build()).getMessage());
        assertEquals("allowedTools[1]: must not be blank", assertThrows(IllegalArgumentException.class,
                () -> launch().allowedTools(List.of("Read", " ")).build()).getMessage());
        assertEquals("extraEnv: \"A=B\" is not a valid variable name", assertThrows(IllegalArgumentException.class,
                () -> launch().extraEnv(Map.of("A=B", "x")).build()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> options(launch()).withTerminalSize(10, 4));
    }

    @Test
    void toStringShowsNoPromptTextOrVariableValue() {
        String s = options(launch().systemPrompt("TOP SECRET PROMPT")
                .extraEnv(Map.of("TOKEN", "hunter2"))).toString();
        assertFalse(s.contains("TOP SECRET") || s.contains("hunter2"), s);
        assertTrue(s.contains("systemPrompt=(17 chars)") && s.contains("TOKEN"), s);
    }

    @Test
    void theProviderRuleCoversFamiliesByPrefix() {
        assertTrue(CliOptions.isProviderVariable("ANTHROPIC_SOMETHING_NEW"));
        assertTrue(CliOptions.isProviderVariable("VERTEX_REGION_CLAUDE_9"));
        assertFalse(CliOptions.isProviderVariable("CLAUDE_CONFIG_DIR"));
        assertFalse(CliOptions.isProviderVariable("AWS_ACCESS_KEY_ID"));
    }

    @Test
    void aSessionsOwnSettingsAndVariablesWinOverTheLaunchOptions() {
        CliOptions o = CliOptions.of(launch().settings("{\"a\":1}").extraEnv("ANTHROPIC_BASE_URL", "http://user").build())
                .withSession(Map.of("ANTHROPIC_BASE_URL", "http://127.0.0.1:1/s"), "/tmp/merged.json");
        assertTrue(o.argv().contains("--settings=/tmp/merged.json"), o.argv().toString());
        assertFalse(o.argv().contains("--settings={\"a\":1}"), o.argv().toString());
        assertEquals("http://127.0.0.1:1/s", o.environment(Map.of()).get("ANTHROPIC_BASE_URL"));
        assertEquals("0", ClaudeProcess.childEnvironment(o.withSession(Map.of("CLAUDE_CODE_MAX_RETRIES", "0"), null), Map.of())
                .get("CLAUDE_CODE_MAX_RETRIES"), "the session's retry bound wins over apiMaxRetries");
    }
}
