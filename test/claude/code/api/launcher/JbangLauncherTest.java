package claude.code.api.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.CliPeer;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.Launched;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code jbang-launcher.java} run by real jbang ({@code dev.jbang:jbang-cli}, fetched by the Makefile),
 * through the shim {@code test/resources/jbang/jbang}: jbang compiles the sources with our JDK, into a
 * private cache, and never downloads a JDK.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JbangLauncherTest {
    Path jbangHome;
    Path project = Path.of(System.getProperty("project.dir"));

    @BeforeAll
    void setUp() throws IOException {
        jbangHome = Files.createTempDirectory("jbang-test-");
    }

    @AfterAll
    void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(jbangHome)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    Map<String, String> jbangEnv(Map<String, String> base) {
        Map<String, String> env = new HashMap<>(base);
        env.put("JAVA_HOME", System.getProperty("jdk.home"));
        env.put("JBANG_LIB", System.getProperty("jbang.lib"));
        env.put("JBANG_DIR", jbangHome.resolve("dir").toString());
        env.put("JBANG_CACHE_DIR", jbangHome.resolve("cache").toString());
        env.put("JBANG_NO_VERSION_CHECK", "true");
        env.putIfAbsent("PATH", System.getenv("PATH"));
        env.putIfAbsent("HOME", jbangHome.toString());
        return env;
    }

    List<String> jbang(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("bash", project.resolve("test/resources/jbang/jbang").toString(),
                project.resolve("jbang-launcher.java").toString()));
        command.addAll(List.of(args));
        return command;
    }

    @Test
    void helpRunsThroughJbang() {
        try (Launched help = Launched.start(jbang("--help"), jbangEnv(Map.of()), null)) {
            assertEquals(0, help.waitFor(Duration.ofSeconds(180)), help.stderr());
            assertTrue(help.stdout().contains("claude-code-api serve [options]"), help.stdout());
        }
    }

    @Test
    void aChatTurnRunsThroughJbang() {
        try (MockMessagesApi api = MockMessagesApi.start();
                ClaudeTestHome home = ClaudeTestHome.builder(api).bypassPermissionsAccepted().maxRetries(0).build()) {
            Map<String, String> env = new HashMap<>(home.environment());
            env.put("IS_SANDBOX", "1");
            try (Launched chat = Launched.start(jbang("chat", "--claude", CliPeer.executable().toString(), "--cwd",
                    home.workspace().toString(), "--preserve-provider-env", "hello through jbang"), jbangEnv(env), null)) {
                assertEquals(0, chat.waitFor(Duration.ofSeconds(180)), chat.stderr());
                assertEquals("MOCK REPLY to: hello through jbang | nmsgs=2", chat.stdout());
            }
            assertEquals(List.of(), home.strayProcesses());
        }
    }
}
