package claude.code.api;

import claude.code.api.session.SessionFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Opens the backend's test seam to tests in other packages (the gateway's): backends on fake sessions. */
public final class TestBackends {
    private TestBackends() {}

    /**
     * A backend whose sessions come from {@code sessions}; seed transcripts go below
     * {@code configDir} (as {@code CLAUDE_CONFIG_DIR}), never into the real home.
     */
    public static ClaudeCodeBackend withSessions(BackendOptions options, SessionFactory sessions, Path configDir) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("CLAUDE_CONFIG_DIR", configDir.toString());
        return new ClaudeCodeBackend(options, sessions, env, System::nanoTime);
    }
}
