package claude.code.api.session;

import claude.code.api.cli.ClaudeProcess;
import claude.code.api.cli.CliOptions;
import claude.code.api.failures.SessionStartException;
import claude.code.api.transcript.TranscriptPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The real {@link SessionFactory}: every session is a {@code claude} process started from one
 * {@link CliOptions} template (its session flags replaced per launch) over one base environment.
 *
 * <pre>{@code
 * SessionFactory sessions = new CliSessionFactory(CliOptions.of(LaunchOptions.builder(workdir).build()), System.getenv(),
 *         SessionSettings.DEFAULTS);
 * try (ClaudeSession s = sessions.open(new SessionLaunch(id, false, transcript, 0));
 *      EventStream turn = s.send("hello")) {
 *     turn.forEachRemaining(System.out::println);
 * }
 * }</pre>
 */
public final class CliSessionFactory implements SessionFactory {
    private final CliOptions template;
    private final Map<String, String> baseEnvironment;
    private final SessionSettings settings;

    /**
     * @param template every flag but the session's own ({@code sessionId}/{@code resumeSessionId} are replaced)
     * @param baseEnvironment what the child's environment starts from (see {@link CliOptions#environment(Map)})
     */
    public CliSessionFactory(CliOptions template, Map<String, String> baseEnvironment, SessionSettings settings) {
        this.template = Objects.requireNonNull(template, "template");
        this.baseEnvironment = Map.copyOf(Objects.requireNonNull(baseEnvironment, "baseEnvironment"));
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public SessionSettings settings() {
        return settings;
    }

    /**
     * Where the CLI will write the transcript of {@code sessionId}: computed from the child's own
     * environment and cwd, as the CLI computes it.
     */
    public Path transcriptOf(String sessionId) throws IOException {
        return paths(template.withSessionId(sessionId)).transcript(sessionId);
    }

    /**
     * Starts {@code claude --session-id <id>} (or {@code --resume <id>}) and returns once it shows
     * its prompt. The new session follows {@code launch.transcript()} from {@code launch.startOffset()}.
     *
     * @throws IllegalArgumentException if the session id is not a UUID, or {@code launch.transcript()}
     *     is not where the CLI will write (the session would wait for records that never come)
     * @throws claude.code.api.failures.SessionStartException if the CLI does not come up (screen quoted)
     */
    @Override
    public ClaudeSession open(SessionLaunch launch) throws IOException {
        Objects.requireNonNull(launch, "launch");
        String id = TranscriptPaths.requireSessionId(launch.sessionId());
        CliOptions options = launch.resume() ? template.withResumeSessionId(id) : template.withSessionId(id);
        TranscriptPaths paths = paths(options);
        Path expected = paths.transcript(id);
        if (!sameFile(expected, launch.transcript())) {
            throw new IllegalArgumentException("launch.transcript " + launch.transcript() + " is not where the CLI "
                    + "will write session " + id + ": " + expected);
        }
        if (launch.startOffset() < 0) {
            throw new IllegalArgumentException("launch.startOffset must be >= 0, got " + launch.startOffset());
        }
        ClaudeProcess process = ClaudeProcess.start(options, baseEnvironment, settings.process());
        try {
            return new CliSession(id, process, launch.transcript(), launch.startOffset(),
                    paths.sessionStatusFile(process.pid()), settings);
        } catch (RuntimeException | Error e) {
            process.close();
            throw e;
        }
    }

    private TranscriptPaths paths(CliOptions options) throws IOException {
        return TranscriptPaths.forChild(ClaudeProcess.childEnvironment(options, baseEnvironment),
                options.cwd());
    }

    private static boolean sameFile(Path a, Path b) throws IOException {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        Path da = a.toAbsolutePath().getParent();
        Path db = b.toAbsolutePath().getParent();
        return a.getFileName().equals(b.getFileName()) && Files.isDirectory(da) && Files.isDirectory(db)
                && Files.isSameFile(da, db);
    }
}
