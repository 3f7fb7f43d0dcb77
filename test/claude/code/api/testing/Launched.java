package claude.code.api.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A launcher run as a child process (java, the jlink image or jbang), its output collected line by
 * line: for the launcher tests, the fault tests, the demo and the benchmarks.
 */
public final class Launched implements AutoCloseable {
    public final Process process;
    public final List<String> out = Collections.synchronizedList(new ArrayList<>());
    public final List<String> err = Collections.synchronizedList(new ArrayList<>());
    private final Thread outReader;
    private final Thread errReader;
    private final CompletableFuture<URI> listening = new CompletableFuture<>();

    private Launched(List<String> command, Map<String, String> env, String stdin) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        outReader = Thread.ofVirtual().start(() -> lines(process.getInputStream(), line -> {
            out.add(line);
            int at = line.indexOf(" listening on ");
            if (at >= 0) {
                listening.complete(URI.create(line.substring(at + 14).strip()));
            }
        }));
        errReader = Thread.ofVirtual().start(() -> lines(process.getErrorStream(), err::add));
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the child exited before reading: its exit status says why
        }
    }

    public static Launched start(List<String> command, Map<String, String> env, String stdin) {
        return new Launched(command, env, stdin);
    }

    /** The java running this code, and the compiled launcher (the build's classes) on its class path. */
    public static List<String> javaLauncher(String... args) {
        String classes = System.getProperty("build.classes", Path.of(System.getProperty("project.dir"), "build", "classes").toString());
        List<String> command = java();
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", classes, "claude.code.api.launcher.Main"));
        command.addAll(List.of(args));
        return command;
    }

    /** The java running this code, and the launcher from the modular jar, as users run it. */
    public static List<String> moduleLauncher(Path jar, String... args) {
        List<String> command = java();
        command.addAll(List.of("--enable-native-access=claude.code.api", "-p", jar.toString(), "-m",
                "claude.code.api/claude.code.api.launcher.Main"));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * {@code java.home}'s java (not this process's executable: a JDK's bin/java may be a wrapper that
     * starts it through another loader), with {@code --enable-preview} on JDK 21, where our classes are
     * compiled with it (the FFM API is a preview there) and load only with it.
     */
    public static List<String> java() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (Runtime.version().feature() < 22) command.add("--enable-preview");
        return command;
    }

    private static void lines(InputStream in, Consumer<String> sink) {
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException e) {
            // ended
        }
    }

    /** Waits for the exit; returns its status. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("still running after " + timeout + "; stderr: " + String.join("\n", err));
            }
            outReader.join(Duration.ofSeconds(5));
            errReader.join(Duration.ofSeconds(5));
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The URL a {@code serve} prints once it listens. */
    public URI awaitListening(Duration timeout) {
        try {
            return listening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("serve did not start: " + e + "; stdout: " + out + "; stderr: " + err, e);
        }
    }

    public String stdout() {
        synchronized (out) {
            return String.join("\n", out);
        }
    }

    public String stderr() {
        synchronized (err) {
            return String.join("\n", err);
        }
    }

    /** SIGTERM (through the handle, so its pipes stay readable), then the exit status. */
    public int terminate(Duration timeout) {
        process.toHandle().destroy();
        return waitFor(timeout);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
