package claude.code.api.transcript;

import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where the {@code claude} CLI keeps the files of one child process: its transcripts
 * ({@code <config>/projects/<project-dir>/<session-id>.jsonl}) and its status file
 * ({@code <config>/sessions/<pid>.json}).
 *
 * <p>Everything is computed from the <em>child's</em> environment and working directory, the
 * way CLI 2.1.331 computes it (measured; see {@code docs/CLI-BEHAVIOUR.md#project-dir}), because the child,
 * not this JVM, decides where it writes:
 * <ul>
 *   <li>config dir: {@code CLAUDE_CONFIG_DIR} when set (even empty: then it is the cwd), relative
 *       values resolved against the cwd, Unicode-normalised to NFC; else {@code $HOME/.claude}, with
 *       the account's home directory when {@code HOME} is unset or empty;
 *   <li>project dir name: {@code CLAUDE_CODE_PROJECT_DIR_NAME} when {@code CLAUDE_CONFIG_DIR} is set
 *       to a non-empty value and the name is valid, else {@link #projectDirName(String)} of the cwd's
 *       real path.
 * </ul>
 * Session ids are checked to be canonical UUIDs before any path is built from them, so text from a
 * client can never name a file.
 */
public final class TranscriptPaths {
    /** The CLI keeps names up to this length whole; longer ones are cut and suffixed with a hash. */
    static final int MAX_NAME_LENGTH = 200;

    // The CLI's check on CLAUDE_CODE_PROJECT_DIR_NAME; names failing it are ignored, not rejected.
    private static final Pattern PROJECT_NAME_OVERRIDE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern WINDOWS_RESERVED = Pattern.compile("con|prn|aux|nul|com[0-9]|lpt[0-9]", Pattern.CASE_INSENSITIVE);

    private final Path configDir;
    private final Path cwd;
    private final String projectDirName;

    private TranscriptPaths(Path configDir, Path cwd, String projectDirName) {
        this.configDir = configDir;
        this.cwd = cwd;
        this.projectDirName = projectDirName;
    }

    /**
     * The paths of a child started with environment {@code childEnv} in directory {@code cwd}.
     *
     * @param childEnv the child's complete environment (not this JVM's)
     * @param cwd the child's working directory; it must exist (its real path names the project)
     * @throws IOException if {@code cwd} does not exist or cannot be resolved
     */
    public static TranscriptPaths forChild(Map<String, String> childEnv, Path cwd) throws IOException {
        Objects.requireNonNull(childEnv, "childEnv");
        Path realCwd = cwd.toRealPath();
        String override = childEnv.get("CLAUDE_CONFIG_DIR");
        String config = override != null ? override : home(childEnv) + "/.claude";
        // The CLI normalises the config path to NFC (measured: an NFD CLAUDE_CONFIG_DIR gets an NFC twin)
        // and, like any process, resolves a relative one against its cwd.
        Path configDir = realCwd.resolve(Normalizer.normalize(config, Normalizer.Form.NFC)).normalize();
        String name = projectNameOverride(childEnv);
        return new TranscriptPaths(configDir, realCwd, name != null ? name : projectDirName(realCwd.toString()));
    }

    /** The config dir, e.g. {@code ~/.claude}. */
    public Path configDir() {
        return configDir;
    }

    /** The real path of the child's working directory. */
    public Path cwd() {
        return cwd;
    }

    /** {@code <config>/projects/<name>}: where the child's transcripts go, and where {@code --resume} looks. */
    public Path projectDir() {
        return configDir.resolve("projects").resolve(projectDirName);
    }

    /**
     * {@code <config>/projects/<name>/<sessionId>.jsonl}.
     *
     * @throws IllegalArgumentException if {@code sessionId} is not a canonical UUID
     */
    public Path transcript(String sessionId) {
        return projectDir().resolve(requireSessionId(sessionId) + ".jsonl");
    }

    /** {@code <config>/sessions/<pid>.json}: the child's status ({@code busy}/{@code idle}) while it runs. */
    public Path sessionStatusFile(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive, got " + pid);
        }
        return configDir.resolve("sessions").resolve(pid + ".json");
    }

    /**
     * The CLI's project directory name of a real path: every UTF-16 unit outside {@code [A-Za-z0-9]}
     * becomes {@code -} (JavaScript's {@code s.replace(/[^a-zA-Z0-9]/g, '-')}, so an emoji, a surrogate
     * pair, gives two); a result over 200 chars is cut to 200 and suffixed with {@code -} and the
     * base-36 absolute value of the <em>original</em> path's {@link String#hashCode()} (the CLI computes
     * the same 32-bit hash; {@code Math.abs} in JavaScript has no overflow, hence the long).
     */
    public static String projectDirName(String realPath) {
        char[] name = new char[realPath.length()];
        for (int i = 0; i < name.length; i++) {
            char c = realPath.charAt(i);
            boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            name[i] = keep ? c : '-';
        }
        if (name.length <= MAX_NAME_LENGTH) {
            return new String(name);
        }
        return new String(name, 0, MAX_NAME_LENGTH) + "-" + Long.toString(Math.abs((long) realPath.hashCode()), 36);
    }

    /**
     * Returns {@code sessionId} if it is a UUID in canonical form (36 chars, lower-case hex,
     * hyphens at 8-13-18-23), the form the CLI uses for file names.
     *
     * @throws IllegalArgumentException otherwise, without echoing more than a short excerpt of the input
     */
    public static String requireSessionId(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        if (sessionId.length() == 36) {
            try {
                if (UUID.fromString(sessionId).toString().equals(sessionId)) {
                    return sessionId;
                }
            } catch (IllegalArgumentException e) {
                // fall through to the error below, which names the problem
            }
        }
        String excerpt = sessionId.length() <= 40 ? sessionId : sessionId.substring(0, 40) + "...";
        throw new IllegalArgumentException("session id is not a canonical lower-case UUID: \"" + excerpt + "\"");
    }

    private static String home(Map<String, String> childEnv) {
        String home = childEnv.get("HOME");
        // Measured: with HOME unset or empty the CLI uses the account's home (getpwuid), as user.home does.
        return home == null || home.isEmpty() ? System.getProperty("user.home") : home;
    }

    private static String projectNameOverride(Map<String, String> childEnv) {
        String config = childEnv.get("CLAUDE_CONFIG_DIR");
        String name = childEnv.get("CLAUDE_CODE_PROJECT_DIR_NAME");
        if (config == null || config.isEmpty() || name == null) {
            return null;
        }
        boolean valid = PROJECT_NAME_OVERRIDE.matcher(name).matches() && !WINDOWS_RESERVED.matcher(name).matches();
        return valid ? name : null;
    }

    @Override
    public String toString() {
        return "TranscriptPaths[" + projectDir() + "]";
    }
}
