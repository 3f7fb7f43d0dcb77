package claude.code.api.cli;

import java.io.IOException;
import java.util.OptionalInt;

/**
 * The CLI could not be brought to its prompt: it exited, showed a screen we must not or cannot
 * answer, or stayed on an unknown screen past the start-up timeout. The message says which, and
 * quotes the screen; {@link #screen()} and {@link #exitCode()} give them separately.
 */
public final class CliStartException extends IOException {
    private final String reason;
    private final String screen;
    private final Integer exitCode;

    /**
     * @param reason what went wrong, without the screen
     * @param screen the screen text, or empty
     * @param exitCode the exit status, or {@code null} when the CLI did not exit by itself
     */
    public CliStartException(String reason, String screen, Integer exitCode) {
        super(reason + (screen == null || screen.isBlank() ? "" : "; the screen shows:\n" + screen));
        this.reason = reason;
        this.screen = screen == null ? "" : screen;
        this.exitCode = exitCode;
    }

    /** The message without the screen. */
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
