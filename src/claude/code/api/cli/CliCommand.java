package claude.code.api.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One short non-interactive run of the CLI ({@code claude auth status}, {@code claude --version}):
 * its argv as given (never a shell), the environment sessions get, stdin from {@code /dev/null},
 * stderr discarded, stdout read up to a bound, and the whole run bounded in time.
 */
public final class CliCommand {
    private static final int MAX_OUTPUT = 64 * 1024;
    /** {@code claude --version} prints e.g. {@code 2.1.331 (Claude Code)}. */
    private static final Pattern VERSION = Pattern.compile("^\\s*(\\d+\\.\\d+\\.\\d+[0-9A-Za-z.+-]*)");

    private CliCommand() {}

    /** What a run printed on stdout, and its exit status. */
    public record Output(int exitCode, String stdout) {}

    /**
     * Runs {@code <executable> args...} with {@code options}' executable, cwd and environment.
     *
     * @throws IOException when it cannot be started, or did not end within {@code timeout} (it is
     *     then killed and reaped)
     */
    public static Output run(CliOptions options, Map<String, String> baseEnvironment, Duration timeout, String... args)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add(options.launch().executable().toString());
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(options.launch().cwd().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(options.environment(baseEnvironment));
        Process p = pb.start();
        // read on a thread of its own: a child that keeps its stdout open must not outlast the bound
        StringBuilder out = new StringBuilder();
        Thread reader = Thread.ofVirtual().name("cli-command-output").start(() -> {
            try (InputStream in = p.getInputStream()) {
                String text = new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
                synchronized (out) {
                    out.append(text);
                }
            } catch (IOException e) {
                // the stream was closed under it: what was read so far is the output
            }
        });
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("`claude " + String.join(" ", args) + "` did not end within " + timeout);
            }
            reader.join(Duration.ofSeconds(1));
            synchronized (out) {
                return new Output(p.exitValue(), out.toString());
            }
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor();
            }
            p.getInputStream().close(); // ends the reader even when a grandchild still holds the pipe
            reader.join(Duration.ofSeconds(1));
        }
    }

    /** The version {@code claude --version} printed ({@code 2.1.331}), if it printed one. */
    public static Optional<String> parseVersion(String stdout) {
        Matcher m = VERSION.matcher(stdout);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
