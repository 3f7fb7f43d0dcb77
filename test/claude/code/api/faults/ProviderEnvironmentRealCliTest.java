package claude.code.api.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.cli.CliOptions;
import claude.code.api.events.ResultMessage;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.options.LaunchOptions;
import claude.code.api.session.ClaudeSession;
import claude.code.api.session.CliSessionFactory;
import claude.code.api.session.SessionLaunch;
import claude.code.api.session.SessionSettings;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.CliPeer;
import claude.code.api.testing.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Provider credentials and endpoints in the environment the library runs in never reach the
 * CLI unless {@code preserveProviderEnv} is set: read from the real child's
 * {@code /proc/<pid>/environ}.
 *
 * <p>The scrubbed CLI must still reach the mock, as a logged-in CLI reaches its subscription
 * without any of these variables: the test home's {@code settings.json} gives it the mock's URL
 * and the test key through its {@code env} block, which the CLI applies itself (it never shows in
 * the process environment).
 */
@Timeout(120)
class ProviderEnvironmentRealCliTest {
    /** Provider variables a user's shell might hold; none may reach a scrubbed CLI. */
    static final Map<String, String> PROVIDER_ENV = Map.of(
            "ANTHROPIC_API_KEY", "sk-ant-api03-leaked-key-of-the-gateway-user-0000000000000000",
            "ANTHROPIC_AUTH_TOKEN", "leaked-auth-token",
            "ANTHROPIC_BASE_URL", "http://127.0.0.1:9/leaked-endpoint",
            "ANTHROPIC_CUSTOM_HEADERS", "x-leaked: yes",
            "CLAUDE_CODE_USE_BEDROCK", "1",
            "AWS_BEARER_TOKEN_BEDROCK", "leaked-bedrock-token",
            "CLAUDE_CODE_USE_VERTEX", "1",
            "ANTHROPIC_VERTEX_PROJECT_ID", "leaked-project",
            "CLOUD_ML_REGION", "us-east5",
            "VERTEX_REGION_CLAUDE_SONNET", "europe-west1");

    RealStack stack;

    @BeforeEach
    void start() {
        stack = new RealStack();
    }

    @AfterEach
    void stop() {
        stack.close();
    }

    static Map<String, String> environOf(long pid) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8).split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return env;
    }

    ClaudeSession open(boolean preserve, Map<String, String> base) throws IOException {
        CliOptions template = CliOptions.of(LaunchOptions.builder(stack.home.workspace()).executable(CliPeer.executable())
                .preserveProviderEnv(preserve).permissionMode(null).build());
        CliSessionFactory factory = new CliSessionFactory(template, base, SessionSettings.builder().build());
        String id = UUID.randomUUID().toString();
        return factory.open(new SessionLaunch(id, false, factory.transcriptOf(id), 0));
    }

    @Test
    void providerVariablesAreScrubbedFromTheCliEnvironmentByDefault() throws Exception {
        Path settings = stack.home.configDir().resolve("settings.json");
        JsonObject withEnv = JsonObject.builder().put("skipDangerousModePermissionPrompt", true)
                .put("env", JsonObject.builder().put("ANTHROPIC_BASE_URL", stack.api.baseUrl().toString())
                        .put("ANTHROPIC_API_KEY", ClaudeTestHome.API_KEY).build()).build();
        Files.writeString(settings, Json.write(withEnv));
        Map<String, String> base = new LinkedHashMap<>(stack.home.environment());
        base.putAll(PROVIDER_ENV);

        try (ClaudeSession session = open(false, base)) {
            Map<String, String> environ = environOf(session.pid());
            for (String name : PROVIDER_ENV.keySet()) {
                assertFalse(environ.containsKey(name), name + " reached the CLI: " + environ.keySet());
            }
            assertEquals(stack.home.configDir().toString(), environ.get("CLAUDE_CONFIG_DIR"), "the rest is passed on");
            assertEquals(stack.home.home().toString(), environ.get("HOME"));

            ResultMessage result = session.send("who answers?").result();
            assertFalse(result.isError(), result.toString());
        }
        RecordedRequest request = stack.api.mainLoopRequests().getLast();
        assertEquals(ClaudeTestHome.API_KEY, request.header("x-api-key").orElse(""), "the CLI's own credentials, not the leaked key");
        assertTrue(request.header("x-leaked").isEmpty(), "no leaked custom header");
        assertTrue(request.header("authorization").isEmpty(), "no leaked auth token");
    }

    @Test
    void providerVariablesReachTheCliWhenPreserveProviderEnvIsSet() throws Exception {
        Map<String, String> base = new LinkedHashMap<>(stack.home.environment()); // the mock's URL and the test key
        base.put("CLOUD_ML_REGION", "us-east5");
        base.put("ANTHROPIC_CUSTOM_HEADERS", "x-preserved: yes");

        try (ClaudeSession session = open(true, base)) {
            Map<String, String> environ = environOf(session.pid());
            assertEquals(stack.api.baseUrl().toString(), environ.get("ANTHROPIC_BASE_URL"));
            assertEquals(ClaudeTestHome.API_KEY, environ.get("ANTHROPIC_API_KEY"));
            assertEquals("us-east5", environ.get("CLOUD_ML_REGION"));
            assertEquals("x-preserved: yes", environ.get("ANTHROPIC_CUSTOM_HEADERS"));

            ResultMessage result = session.send("who answers?").result();
            assertFalse(result.isError(), result.toString());
        }
        RecordedRequest request = stack.api.mainLoopRequests().getLast();
        assertEquals(ClaudeTestHome.API_KEY, request.header("x-api-key").orElse(""));
        assertEquals("yes", request.header("x-preserved").orElse(""), "the preserved custom header was used");
    }
}
