package claude.code.api.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliOptionsTest {
    static final String ID = "0b9e2f6c-3a53-4c1e-9d0a-6f1e2d3c4b5a";

    @Test
    void aNewSessionPassesItsIdAndNothingElseByDefault() {
        CliOptions o = CliOptions.builder(Path.of("/w")).sessionId(ID).build();
        assertEquals(List.of("claude", "--session-id=" + ID), o.argv());
    }

    @Test
    void aResumedSessionPassesResumeInsteadOfSessionId() {
        CliOptions o = CliOptions.builder(Path.of("/w")).executable(Path.of("/opt/claude")).resumeSessionId(ID).build();
        assertEquals(List.of("/opt/claude", "--resume=" + ID), o.argv());
    }

    @Test
    void everyOptionBecomesItsFlagWithOneValuePerArgument() {
        CliOptions o = CliOptions.builder(Path.of("/w")).sessionId(ID).model("opus").systemPrompt("-be brief")
                .appendSystemPrompt("line1\nline2").allowedTools(List.of("Bash(git *)", "Read"))
                .disallowedTools(List.of("WebFetch")).mcpConfigs(List.of(Path.of("/tmp/m.json")))
                .addDirs(List.of(Path.of("/a"), Path.of("/-b"))).permissionMode("acceptEdits")
                .dangerouslySkipPermissions(true).effort("high").settings("{\"tui\":\"default\"}")
                .extraArgs(List.of("--verbose")).build();
        assertEquals(List.of("claude", "--session-id=" + ID, "--model=opus", "--system-prompt=-be brief",
                "--append-system-prompt=line1\nline2", "--allowedTools=Bash(git *)", "--allowedTools=Read",
                "--disallowedTools=WebFetch", "--mcp-config=/tmp/m.json", "--add-dir=/a", "--add-dir=/-b",
                "--permission-mode=acceptEdits", "--dangerously-skip-permissions", "--effort=high",
                "--settings={\"tui\":\"default\"}", "--verbose"), o.argv());
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
        Map<String, String> env = CliOptions.builder(Path.of("/w")).build().environment(base);
        assertEquals(Map.of("PATH", "/usr/bin", "HOME", "/home/u", "CLAUDE_CODE_OAUTH_TOKEN", "subscription",
                "AWS_PROFILE", "tools"), env);
    }

    @Test
    void providerVariablesAreKeptWhenAskedAndExtraEnvWinsOverEverything() {
        Map<String, String> base = Map.of("ANTHROPIC_API_KEY", "k", "TERM", "dumb");
        Map<String, String> kept = CliOptions.builder(Path.of("/w")).preserveProviderEnv(true).build().environment(base);
        assertEquals("k", kept.get("ANTHROPIC_API_KEY"));
        Map<String, String> env = CliOptions.builder(Path.of("/w"))
                .extraEnv(Map.of("TERM", "xterm-256color", "ANTHROPIC_BASE_URL", "http://127.0.0.1:9")).build().environment(base);
        assertEquals(Map.of("TERM", "xterm-256color", "ANTHROPIC_BASE_URL", "http://127.0.0.1:9"), env);
    }

    @Test
    void badValuesAreRejectedWithTheirName() {
        Path cwd = Path.of("/w");
        assertEquals("permissionMode: \"yolo\" is not one of [acceptEdits, auto, bypassPermissions, manual, dontAsk, plan]",
                assertThrows(IllegalArgumentException.class, () -> CliOptions.builder(cwd).permissionMode("yolo").build()).getMessage());
        assertEquals("effort: \"huge\" is not one of [low, medium, high, xhigh, max]",
                assertThrows(IllegalArgumentException.class, () -> CliOptions.builder(cwd).effort("huge").build()).getMessage());
        assertEquals("sessionId: \"abc\" is not a lowercase UUID",
                assertThrows(IllegalArgumentException.class, () -> CliOptions.builder(cwd).sessionId("abc").build()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CliOptions.builder(cwd).sessionId(ID).resumeSessionId(ID).build());
        assertEquals("systemPrompt: contains a NUL character, which cannot be passed to a process",
                assertThrows(IllegalArgumentException.class, () -> CliOptions.builder(cwd).systemPrompt("a\0b").build()).getMessage());
        assertEquals("allowedTools[1]: must not be blank", assertThrows(IllegalArgumentException.class,
                () -> CliOptions.builder(cwd).allowedTools(List.of("Read", " ")).build()).getMessage());
        assertEquals("extraEnv: \"A=B\" is not a valid variable name", assertThrows(IllegalArgumentException.class,
                () -> CliOptions.builder(cwd).extraEnv(Map.of("A=B", "x")).build()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CliOptions.builder(cwd).terminalSize(10, 4).build());
    }

    @Test
    void toStringShowsNoPromptTextOrVariableValue() {
        String s = CliOptions.builder(Path.of("/w")).systemPrompt("TOP SECRET PROMPT")
                .extraEnv(Map.of("TOKEN", "hunter2")).build().toString();
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
}
