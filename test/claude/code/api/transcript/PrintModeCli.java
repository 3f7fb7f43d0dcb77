package claude.code.api.transcript;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the pinned real CLI as {@code claude -p <prompt> --session-id <id>} with an isolated HOME and
 * config dir, against a closed loopback port: the API call fails at once (a connection-failure
 * record), but the CLI writes its project dir and transcript first, which is what the transcript
 * tests need. No API stub, no network.
 */
final class PrintModeCli {
    private static final long TIMEOUT_SECONDS = 90; // a hang guard: a run takes about a second

    private PrintModeCli() {}

    /** The environment of an isolated run: its own HOME and CLAUDE_CONFIG_DIR, the API on a dead port. */
    static Map<String, String> environment(Path home, Path configDir) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("CLAUDE_CONFIG_DIR", configDir.toString());
        env.put("LANG", "C.UTF-8");
        env.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + closedLoopbackPort());
        env.put("ANTHROPIC_API_KEY", "sk-ant-test-0123456789abcdefghij");
        env.put("CLAUDE_CODE_MAX_RETRIES", "0");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_TELEMETRY", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        return env;
    }

    /**
     * Runs the CLI to its end in {@code cwd}; its output goes to {@code log}.
     *
     * @return what the CLI printed
     */
    static String run(Path cwd, Map<String, String> env, String prompt, String sessionId, Path log) throws Exception {
        Path cli = Path.of(System.getProperty("claude.cli"));
        ProcessBuilder pb = new ProcessBuilder(cli.toString(), "-p", prompt, "--session-id", sessionId)
                .directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process = pb.start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("claude -p did not finish within " + TIMEOUT_SECONDS + " s in " + cwd);
            }
        } finally {
            process.destroyForcibly();
            process.waitFor();
        }
        return Files.readString(log).strip();
    }

    /** A port nothing listens on: bound, then released. */
    private static int closedLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
