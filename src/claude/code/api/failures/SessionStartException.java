package claude.code.api.failures;

import java.util.OptionalInt;

/**
 * A new CLI session could not be started: the process could not be spawned, it exited during
 * start-up, it showed a screen the backend must not or cannot answer, or it did not show its
 * prompt within the start-up timeout. The message says which and quotes the screen (it may hold
 * more than a client should see); {@link #reason()}, {@link #screen()} and {@link #exitCode()}
 * give them separately.
 */
public final class SessionStartException extends BackendException {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final String screen;
    private final Integer exitCode;

    /**
     * @param reason what went wrong, without the screen
     * @param screen the terminal screen at the failure, or empty (nothing was started)
     * @param exitCode the CLI's exit status, or {@code null} when it did not exit by itself
     * @param cause the I/O failure behind it, or {@code null}
     */
    public SessionStartException(String reason, String screen, Integer exitCode, Throwable cause) {
        super("starting a claude session failed: " + reason
                + (screen == null || screen.isBlank() ? "" : "; the screen shows:\n" + screen), cause);
        this.reason = reason;
        this.screen = screen == null ? "" : screen;
        this.exitCode = exitCode;
    }

    /** What went wrong, without the screen (the exit status is named when there is one). */
    public String reason() {
        return reason;
    }

    /** The terminal screen when start-up failed (empty when nothing was started). */
    public String screen() {
        return screen;
    }

    /** The CLI's exit status, when it exited during start-up. */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }
}
