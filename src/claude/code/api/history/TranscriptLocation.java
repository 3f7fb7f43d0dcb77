package claude.code.api.history;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Where the CLI keeps a session's transcript: {@code <config>/projects/<project>/<session-id>.jsonl}
 * (notes §1). {@code <config>} is {@code $CLAUDE_CONFIG_DIR}, else {@code $HOME/.claude};
 * {@code <project>} is the cwd's real path with every UTF-16 unit outside {@code [A-Za-z0-9]}
 * replaced by {@code -}, cut to 200 characters plus {@code -} and the base-36 absolute
 * {@code String.hashCode} of the path when longer.
 */
public final class TranscriptLocation {
    static final int MAX_NAME = 200;

    private TranscriptLocation() {}

    /** The CLI's config directory under the environment the CLI will run with. */
    public static Path configDir(Map<String, String> env) {
        String dir = env.get("CLAUDE_CONFIG_DIR");
        if (dir != null && !dir.isEmpty()) {
            return Path.of(dir);
        }
        String home = env.get("HOME");
        return Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"), ".claude");
    }

    /** The project directory name for a cwd given as its real path. */
    public static String projectDirName(String realPath) {
        StringBuilder name = new StringBuilder(realPath.length());
        for (int i = 0; i < realPath.length(); i++) {
            char c = realPath.charAt(i);
            boolean keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            name.append(keep ? c : '-');
        }
        if (name.length() <= MAX_NAME) {
            return name.toString();
        }
        long hash = Math.abs((long) realPath.hashCode()); // JS Math.abs of an int32: no overflow at MIN_VALUE
        return name.substring(0, MAX_NAME) + "-" + Long.toString(hash, 36);
    }

    /**
     * The transcript of {@code sessionId} for a CLI started in {@code cwd}.
     *
     * @throws IOException when the cwd's real path cannot be resolved
     * @throws IllegalArgumentException when {@code sessionId} is not a lowercase UUID
     */
    public static Path transcript(Path configDir, Path cwd, String sessionId) throws IOException {
        requireSessionId(sessionId);
        String real = cwd.toRealPath().toString();
        return configDir.resolve("projects").resolve(projectDirName(real)).resolve(sessionId + ".jsonl");
    }

    /** Session ids become file names: only a canonical lowercase UUID is accepted. */
    public static String requireSessionId(String sessionId) {
        boolean ok;
        try {
            ok = UUID.fromString(sessionId).toString().equals(sessionId);
        } catch (IllegalArgumentException | NullPointerException e) {
            ok = false;
        }
        if (!ok) {
            throw new IllegalArgumentException("not a lowercase UUID session id: " + sessionId);
        }
        return sessionId;
    }
}
