package claude.code.api.session;

import java.io.IOException;

/** Starts sessions. The real one spawns the CLI; unit tests of the pool pass fakes. */
@FunctionalInterface
public interface SessionFactory {

    /** Starts a session and returns once it is ready for its first prompt. */
    ClaudeSession open(SessionLaunch launch) throws IOException;
}
