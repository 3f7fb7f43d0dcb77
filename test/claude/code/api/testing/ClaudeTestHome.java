package claude.code.api.testing;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.transcript.TranscriptPaths;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An isolated, logged-in-looking home for one run of the real CLI: a temp folder holding
 *
 * <pre>
 *   home/                HOME
 *   home/.claude/        CLAUDE_CONFIG_DIR (so ~/.claude and the config dir are the same place)
 *   home/.claude/.claude.json   onboarding done, the test key approved, the workspace trusted (optional)
 *   workspace/           the cwd to run claude in
 * </pre>
 *
 * and the environment that points the CLI at a {@link MockMessagesApi}. With
 * {@code CLAUDE_CONFIG_DIR} set the CLI reads {@code .claude.json} from that folder, not from
 * {@code $HOME} ({@code docs/CLI-BEHAVIOUR.md#config-dir}). {@link #close()} kills anything still
 * running from this home and deletes the folder.
 */
public final class ClaudeTestHome implements AutoCloseable {

    /** A syntactically plausible key; the CLI remembers approval by its last 20 characters. */
    public static final String API_KEY = "sk-ant-api03-claude-code-api-test-key-0123456789abcdefghij";

    private final Path root;
    private final Path home;
    private final Path configDir;
    private final Path workspace;
    private final Map<String, String> environment;

    private ClaudeTestHome(Builder b) throws IOException {
        root = Files.createTempDirectory("claude-test-home-").toRealPath(); // 0700
        try {
            home = Files.createDirectory(root.resolve("home"));
            configDir = Files.createDirectory(home.resolve(".claude"));
            workspace = Files.createDirectory(root.resolve("workspace"));
            writePrivate(configDir.resolve(".claude.json"), claudeJson(b.trusted));
            if (b.bypassPermissionsAccepted) {
                writePrivate(configDir.resolve("settings.json"),
                        JsonObject.builder().put("skipDangerousModePermissionPrompt", true).build());
            }
            Map<String, String> env = new LinkedHashMap<>();
            env.put("HOME", home.toString());
            env.put("CLAUDE_CONFIG_DIR", configDir.toString());
            env.put("PATH", Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin"));
            env.put("ANTHROPIC_BASE_URL", b.baseUrl.toString());
            env.put("ANTHROPIC_API_KEY", API_KEY);
            env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
            env.put("DISABLE_TELEMETRY", "1");
            env.put("DISABLE_AUTOUPDATER", "1");
            env.put("TERM", "xterm-256color");
            env.put("LANG", "C.UTF-8");
            if (b.maxRetries >= 0) {
                env.put("CLAUDE_CODE_MAX_RETRIES", Integer.toString(b.maxRetries));
            }
            if (b.bypassPermissionsAccepted) {
                env.put("IS_SANDBOX", "1"); // as root the CLI refuses bypass mode without it (docs/CLI-BEHAVIOUR.md#dialogs)
            }
            env.putAll(b.extraEnv);
            env.keySet().removeAll(b.unsetEnv);
            environment = Collections.unmodifiableMap(env);
        } catch (IOException | RuntimeException e) {
            deleteTree(root);
            throw e;
        }
    }

    /** A home for a CLI talking to {@code api}, workspace trusted, default retries. */
    public static ClaudeTestHome create(MockMessagesApi api) {
        return builder(api).build();
    }

    public static Builder builder(MockMessagesApi api) {
        return builder(api.baseUrl());
    }

    public static Builder builder(URI apiBaseUrl) {
        return new Builder(apiBaseUrl);
    }

    public static final class Builder {
        private final URI baseUrl;
        private boolean trusted = true;
        private int maxRetries = -1;
        private boolean bypassPermissionsAccepted;
        private final Map<String, String> extraEnv = new LinkedHashMap<>();
        private final Set<String> unsetEnv = new HashSet<>();

        private Builder(URI baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        }

        /** Whether the workspace is pre-trusted; an untrusted one makes the TUI show the trust dialog. */
        public Builder trusted(boolean value) {
            trusted = value;
            return this;
        }

        /** {@code CLAUDE_CODE_MAX_RETRIES}: bounds the CLI's own retry loop (about 3 minutes of 5xx retries by default). */
        public Builder maxRetries(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxRetries must be >= 0, got " + value);
            }
            maxRetries = value;
            return this;
        }

        /** Pre-accepts bypass-permissions mode ({@code settings.json}) and sets {@code IS_SANDBOX=1}. */
        public Builder bypassPermissionsAccepted() {
            bypassPermissionsAccepted = true;
            return this;
        }

        /** One more environment variable (overrides the defaults). */
        public Builder env(String name, String value) {
            extraEnv.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Leaves a default variable out. The CLI treats any value of
         * {@code CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC} (even {@code 0}) as set: to see its side
         * traffic, unset it.
         */
        public Builder unsetEnv(String name) {
            unsetEnv.add(Objects.requireNonNull(name, "name"));
            return this;
        }

        public ClaudeTestHome build() {
            try {
                return new ClaudeTestHome(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a test home", e);
            }
        }
    }

    /** The temp folder holding everything (real path). */
    public Path root() {
        return root;
    }

    public Path home() {
        return home;
    }

    /** {@code CLAUDE_CONFIG_DIR}. */
    public Path configDir() {
        return configDir;
    }

    /**
     * Options for a backend of real CLIs in this home, pointed at its mock: the home's environment (test key, mock URL)
     * kept, {@code IS_SANDBOX=1} for bypassPermissions as root.
     */
    public claude.code.api.BackendOptions.Builder backendOptions() {
        return claude.code.api.BackendOptions.builder(workspace()).executable(CliPeer.executable()).preserveProviderEnv(true)
                .extraEnv(environment()).extraEnv("IS_SANDBOX", "1");
    }

    /** The cwd to run the CLI in (real path). */
    public Path workspace() {
        return workspace;
    }

    /** The complete environment for the CLI (nothing is inherited). */
    public Map<String, String> environment() {
        return environment;
    }

    /** Where the CLI keeps the transcripts of sessions run in {@code cwd}. */
    public Path projectDir(Path cwd) {
        return configDir.resolve("projects").resolve(TranscriptPaths.projectDirName(cwd.toString()));
    }

    public Path projectDir() {
        return projectDir(workspace);
    }

    /** The transcript of a session run in the workspace. */
    public Path transcript(String sessionId) {
        return projectDir().resolve(sessionId + ".jsonl");
    }

    /** The transcripts written so far for the workspace. */
    public List<Path> transcripts() {
        if (!Files.isDirectory(projectDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(projectDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code claude <args>} in the workspace with exactly {@link #environment()}. */
    public ProcessBuilder processBuilder(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(CliPeer.executable().toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workspace.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder;
    }

    /**
     * Live processes started from this home: those whose environment names its config dir (the CLI
     * and the tools it spawns inherit it) or whose cwd is inside it. Tools run by the CLI sit in
     * their own session, so this finds them even when they outlive the CLI.
     */
    public List<ProcessHandle> strayProcesses() {
        byte[] marker = ("CLAUDE_CONFIG_DIR=" + configDir + "\0").getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.pid() != self && p.isAlive())
                    .filter(p -> environContains(p.pid(), marker) || cwdInside(p.pid()))
                    .toList();
        }
    }

    /** Kills stray processes (with a warning: a test should have stopped them), then deletes everything. */
    @Override
    public void close() {
        List<ProcessHandle> strays = strayProcesses();
        if (!strays.isEmpty()) {
            System.err.println("[claude-test-home] killing processes left running: "
                    + strays.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList());
            strays.forEach(ProcessHandle::destroyForcibly);
            strays.forEach(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join());
        }
        deleteTree(root);
    }

    private JsonObject claudeJson(boolean trusted) {
        JsonObject.Builder json = JsonObject.builder()
                .put("hasCompletedOnboarding", true)
                .put("customApiKeyResponses", JsonObject.builder()
                        .put("approved", JsonArray.of(JsonValue.of(API_KEY.substring(API_KEY.length() - 20))))
                        .put("rejected", JsonArray.EMPTY)
                        .build());
        if (trusted) {
            json.put("projects", JsonObject.builder()
                    .put(workspace.toString(), JsonObject.builder().put("hasTrustDialogAccepted", true).build())
                    .build());
        }
        return json.build();
    }

    private static void writePrivate(Path file, JsonObject content) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, Json.writeUtf8(content), StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static boolean environContains(long pid, byte[] marker) {
        try {
            byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
            // Entries are NUL-separated; check the marker starts an entry.
            for (int i = 0; i + marker.length <= environ.length; i++) {
                if ((i == 0 || environ[i - 1] == 0)
                        && Arrays.equals(environ, i, i + marker.length, marker, 0, marker.length)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | SecurityException e) {
            return false; // gone, or not ours to read
        }
    }

    private boolean cwdInside(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).startsWith(root);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete test home " + dir, e);
        }
    }
}
