package claude.code.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.options.HistoryMode;
import claude.code.api.options.PoolLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendOptionsTest {
    @TempDir
    Path cwd;

    String error(UnaryOperator<BackendOptions.Builder> tweak) {
        return assertThrows(IllegalArgumentException.class, () -> tweak.apply(BackendOptions.builder(cwd)).build())
                .getMessage();
    }

    @Test
    void defaultsFollowTheReferenceDesignExceptWhereMeasurementsSaidOtherwise() {
        BackendOptions o = BackendOptions.builder(cwd).build();
        assertEquals(cwd.toAbsolutePath().normalize(), o.launch().cwd());
        assertEquals(Path.of("claude"), o.launch().executable());
        assertEquals("bypassPermissions", o.launch().permissionMode());
        assertEquals(HistoryMode.NATIVE_JSONL, o.history().mode());
        assertFalse(o.launch().preserveProviderEnv());
        assertTrue(o.history().waitForTurnDuration(), "a thinking record also says end_turn: only turn_duration ends a turn for sure");
        assertEquals(2, o.launch().apiMaxRetries(), "an API outage is an error in seconds, not minutes of retries");
        assertEquals(Duration.ofMinutes(15), o.timeouts().turnTimeout());
        assertFalse(o.history().includeMetaUser());
        assertEquals(Duration.ofSeconds(30), o.timeouts().fileWaitTimeout());
        assertEquals(Duration.ofSeconds(5), o.timeouts().turnDurationTimeout());
        assertEquals(PoolLimits.defaultMaxSessions(), o.pool().maxSessions());
        assertTrue(o.pool().maxSessions() >= 1 && o.pool().maxSessions() <= 64);
        assertEquals(List.of(), o.launch().allowedTools());
        assertEquals(Map.of(), o.launch().mcpServers());
    }

    @Test
    void toBuilderKeepsEveryOption() {
        BackendOptions o = BackendOptions.builder(cwd).model("opus").systemPrompt("s").appendSystemPrompt("a")
                .allowedTools("Read").disallowedTools("Bash").mcpServer("x", (JsonObject) Json.parse("{\"url\":\"http://127.0.0.1:1\"}"))
                .permissionMode("plan").dangerouslySkipPermissions(true).effort("max").addDirs(cwd).settings("{}")
                .extraArgs("--verbose").extraEnv("A", "b").preserveProviderEnv(true).historyMode(HistoryMode.CONCAT_MESSAGE)
                .waitForTurnDuration(true).includeMetaUser(true).startupTimeout(Duration.ofSeconds(1))
                .fileWaitTimeout(Duration.ofSeconds(2)).turnDurationTimeout(Duration.ofSeconds(3)).turnTimeout(Duration.ofSeconds(6))
                .apiMaxRetries(7).maxSessions(3)
                .idleTtl(Duration.ofSeconds(4)).acquireTimeout(Duration.ofSeconds(5)).prestartSessions(2).build();
        assertEquals(o, o.toBuilder().build());
        assertEquals(2, o.pool().prestartSessions());
    }

    @Test
    void everyBadValueIsNamed() {
        assertEquals("BackendOptions.cwd: " + cwd.resolve("nope") + " is not a directory",
                assertThrows(IllegalArgumentException.class, () -> BackendOptions.builder(cwd.resolve("nope")).build()).getMessage());
        assertEquals("BackendOptions.executable: /nonexistent/claude is not an executable file",
                error(b -> b.executable(Path.of("/nonexistent/claude"))));
        assertEquals("BackendOptions.model: must not be blank", error(b -> b.model(" ")));
        assertEquals("BackendOptions.systemPrompt: contains a NUL character", error(b -> b.systemPrompt("a\0")));
        assertEquals("BackendOptions.allowedTools[0]: must not be blank", error(b -> b.allowedTools("")));
        assertEquals("BackendOptions.mcpServers[\"x\"]: needs a \"command\" (stdio server) or a \"url\" (http or sse server)",
                error(b -> b.mcpServer("x", JsonObject.EMPTY)));
        assertEquals("BackendOptions.permissionMode: \"yolo\" is not one of [acceptEdits, auto, bypassPermissions, manual, "
                + "dontAsk, plan]", error(b -> b.permissionMode("yolo")));
        assertEquals("BackendOptions.effort: \"extreme\" is not one of [low, medium, high, xhigh, max]",
                error(b -> b.effort("extreme")));
        assertEquals("BackendOptions.addDirs[0]: " + cwd.resolve("missing") + " is not a directory",
                error(b -> b.addDirs(cwd.resolve("missing"))));
        assertEquals("BackendOptions.settings: must not be blank", error(b -> b.settings("")));
        assertEquals("BackendOptions.extraArgs: --resume is set by the backend itself and cannot be passed",
                error(b -> b.extraArgs("--resume=abc")));
        assertEquals("BackendOptions.extraArgs: -p is set by the backend itself and cannot be passed",
                error(b -> b.extraArgs("-p")));
        assertEquals("BackendOptions.extraEnv: \"A=B\" is not a valid variable name", error(b -> b.extraEnv("A=B", "x")));
        assertEquals("BackendOptions.startupTimeout: must be positive, got PT0S", error(b -> b.startupTimeout(Duration.ZERO)));
        assertEquals("BackendOptions.fileWaitTimeout: must be positive, got PT-1S",
                error(b -> b.fileWaitTimeout(Duration.ofSeconds(-1))));
        assertEquals("BackendOptions.turnDurationTimeout: must be positive, got PT0S",
                error(b -> b.turnDurationTimeout(Duration.ZERO)));
        assertEquals("BackendOptions.maxSessions: must be at least 1, got 0", error(b -> b.maxSessions(0)));
        assertEquals("BackendOptions.prestartSessions: must be 0..2 (maxSessions), got 3",
                error(b -> b.maxSessions(2).prestartSessions(3)));
        assertEquals("BackendOptions.prestartSessions: must be 0..2 (maxSessions), got -1",
                error(b -> b.maxSessions(2).prestartSessions(-1)));
        assertEquals("BackendOptions.idleTtl: must be positive, got PT0S", error(b -> b.idleTtl(Duration.ZERO)));
        assertEquals("BackendOptions.acquireTimeout: must not be negative, got PT-1S",
                error(b -> b.acquireTimeout(Duration.ofSeconds(-1))));
        assertThrows(NullPointerException.class, () -> BackendOptions.builder(cwd).historyMode(null).build());
    }

    @Test
    void toStringHidesPromptsSettingsAndVariableValues() {
        String s = BackendOptions.builder(cwd).systemPrompt("SECRET PROMPT").settings("{\"apiKeyHelper\":\"SECRET\"}")
                .extraEnv("TOKEN", "hunter2").build().toString();
        assertFalse(s.contains("SECRET") || s.contains("hunter2"), s);
        assertTrue(s.contains("TOKEN"), s);
    }

    @Test
    void theRelayIsOnWithPartialEventsAndTheCliRetriesOffUnlessApiMaxRetriesIsGiven() {
        BackendOptions o = BackendOptions.builder(cwd).build();
        assertTrue(o.relay().enabled());
        assertTrue(o.relay().partialEvents());
        assertEquals(null, o.relay().upstream(), "the upstream comes from the CLI's environment");
        assertFalse(o.relay().keepCliRetries(), "the caller sees the first upstream error and retries itself");
        assertTrue(BackendOptions.builder(cwd).apiMaxRetries(2).build().relay().keepCliRetries());
        assertFalse(BackendOptions.builder(cwd).modelApiRelay(false).partialEvents(false).build().relay().enabled());
    }

    @Test
    void aRelayUpstreamMustBeAnHttpUrl() {
        assertEquals("BackendOptions.relayUpstream: ftp://x is not an http(s) URL with a host",
                error(b -> b.relayUpstream(java.net.URI.create("ftp://x"))));
        assertEquals(java.net.URI.create("http://127.0.0.1:9"),
                BackendOptions.builder(cwd).relayUpstream(java.net.URI.create("http://127.0.0.1:9")).build().relay().upstream());
    }

    @Test
    void relayOptionsSurviveToBuilder() {
        BackendOptions o = BackendOptions.builder(cwd).modelApiRelay(false).partialEvents(false)
                .relayUpstream(java.net.URI.create("https://gateway.example")).apiMaxRetries(1).build();
        assertEquals(o, o.toBuilder().build());
    }
}
