package claude.code.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pinned real {@code claude} CLI that end-to-end tests run against the mock. The Makefile
 * installs it into {@code .cache/} and passes its path as the system property {@code claude.cli}.
 */
public final class CliPeer {

    private static final AtomicInteger RUNS = new AtomicInteger();

    private CliPeer() {}

    /**
     * The executable. @throws IllegalStateException saying how to get it when the property is unset
     * or the file is missing
     */
    public static Path executable() {
        String value = System.getProperty("claude.cli");
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(
                    "system property claude.cli is not set: run the tests through `make test`, which installs the pinned CLI");
        }
        Path path = Path.of(value);
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("the pinned claude CLI is missing or not executable at " + path
                    + " (system property claude.cli): run `make deps`");
        }
        return path;
    }

    /** The pinned version ({@code claude.cli.version}, set by the Makefile). */
    public static String version() {
        return System.getProperty("claude.cli.version", "unknown");
    }

    /** What one finished non-interactive run printed. */
    public record Run(int exitCode, String stdout, String stderr) {
        /** stdout split into lines (for {@code --output-format stream-json}: one JSON value per line). */
        public List<String> stdoutLines() {
            return stdout.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /**
     * Runs {@code claude <args>} (typically {@code -p <prompt>}) in {@code home}'s workspace with its
     * environment and an empty stdin, and waits for it to exit.
     *
     * @param hangGuard not a timing assertion: after it the process tree is killed and the run fails
     * @throws IllegalStateException if the guard expired, with what was printed so far
     */
    public static Run run(ClaudeTestHome home, Duration hangGuard, String... args) {
        return run(home, home.workspace(), hangGuard, args);
    }

    /** As {@link #run(ClaudeTestHome, Duration, String...)}, in another cwd. */
    public static Run run(ClaudeTestHome home, Path cwd, Duration hangGuard, String... args) {
        int n = RUNS.incrementAndGet();
        Path stdout = home.root().resolve("run-" + n + ".stdout");
        Path stderr = home.root().resolve("run-" + n + ".stderr");
        ProcessBuilder builder = home.processBuilder(List.of(args)).directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        try {
            Process process = builder.start();
            try {
                if (!process.waitFor(hangGuard.toMillis(), TimeUnit.MILLISECONDS)) {
                    killTree(process.toHandle());
                    throw new IllegalStateException("claude %s did not exit within %s; stdout: %s; stderr: %s"
                            .formatted(String.join(" ", args), hangGuard, read(stdout), read(stderr)));
                }
            } catch (InterruptedException e) {
                killTree(process.toHandle());
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for claude", e);
            }
            return new Run(process.exitValue(), read(stdout), read(stderr));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + executable(), e);
        }
    }

    /** Kills a process and its descendants, children first, and reaps it. */
    static void killTree(ProcessHandle process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
