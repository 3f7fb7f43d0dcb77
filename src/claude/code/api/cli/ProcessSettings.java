package claude.code.api.cli;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link ClaudeProcess} starts and stops the CLI.
 *
 * @param startupTimeout how long start-up may take, dialogs included, before it fails with the
 *     screen quoted (the prompt normally shows 0.3-0.5 s after spawn)
 * @param dialogs which start-up dialogs to answer
 * @param closeGrace how long {@link ClaudeProcess#close()} waits for the CLI to exit after the
 *     hang-up (it normally takes well under 0.5 s) before it kills the process group
 */
public record ProcessSettings(Duration startupTimeout, DialogPolicy dialogs, Duration closeGrace) {

    public static final ProcessSettings DEFAULTS =
            new ProcessSettings(Duration.ofSeconds(30), DialogPolicy.DEFAULT, Duration.ofSeconds(3));

    public ProcessSettings {
        requirePositive("startupTimeout", startupTimeout);
        Objects.requireNonNull(dialogs, "dialogs");
        requirePositive("closeGrace", closeGrace);
    }

    public ProcessSettings withStartupTimeout(Duration v) {
        return new ProcessSettings(v, dialogs, closeGrace);
    }

    public ProcessSettings withDialogs(DialogPolicy v) {
        return new ProcessSettings(startupTimeout, v, closeGrace);
    }

    public ProcessSettings withCloseGrace(Duration v) {
        return new ProcessSettings(startupTimeout, dialogs, v);
    }

    static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
