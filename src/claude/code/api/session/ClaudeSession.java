package claude.code.api.session;

import claude.code.api.events.EventStream;

/** One live CLI conversation. Thread-safe; one turn at a time. */
public interface ClaudeSession extends AutoCloseable {

    /** The CLI's session id (a UUID), also the transcript's file name. */
    String sessionId();

    /** The CLI's process id. */
    long pid();

    /** The process is running and can take a turn. */
    boolean isAlive();

    /**
     * Types {@code prompt} into the CLI and returns the turn's events, the last one a result.
     * Closing the stream before its end interrupts the turn.
     *
     * @throws IllegalStateException while another turn of this session is running, or after close
     */
    EventStream send(String prompt);

    /** The terminal screen as plain text (for error messages and the admin page). */
    String screen();

    /** Stops the CLI gracefully (hang-up), kills it after a grace period, and reaps it. Idempotent. */
    @Override
    void close();
}
