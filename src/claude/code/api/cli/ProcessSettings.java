package claude.code.api.cli;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link ClaudeProcess} starts and stops the CLI.
 *
 * @param startupTimeout how long start-up may take, dialogs included, before it fails with the
 *     screen quoted (the prompt normally shows 0.3-0.5 s after spawn)
 * @param dialogs which start-up dialogs to answer
 * @param apiMaxRetries {@code CLAUDE_CODE_MAX_RETRIES} for the child: how often the CLI retries a
 *     failed API call before it gives up with an error record. Its own default (10, with backoff:
 *     about 3 minutes of retries) turns an API outage into a long hang; a small number makes it an
 *     error result within seconds. Negative: leave the CLI's default. A value in
 *     {@link CliOptions#extraEnv()} wins over this one.
 * @param closeGrace how long {@link ClaudeProcess#close()} waits for the CLI to exit after the
 *     hang-up (it normally takes well under 0.5 s) before it kills the process group
 */
public record ProcessSettings(Duration startupTimeout, DialogPolicy dialogs, int apiMaxRetries, Duration closeGrace) {

    public static final ProcessSettings DEFAULTS =
            new ProcessSettings(Duration.ofSeconds(30), DialogPolicy.DEFAULT, 2, Duration.ofSeconds(3));

    public ProcessSettings {
        requirePositive("startupTimeout", startupTimeout);
        Objects.requireNonNull(dialogs, "dialogs");
        requirePositive("closeGrace", closeGrace);
    }

    public ProcessSettings withStartupTimeout(Duration v) {
        return new ProcessSettings(v, dialogs, apiMaxRetries, closeGrace);
    }

    public ProcessSettings withDialogs(DialogPolicy v) {
        return new ProcessSettings(startupTimeout, v, apiMaxRetries, closeGrace);
    }

    public ProcessSettings withApiMaxRetries(int v) {
        return new ProcessSettings(startupTimeout, dialogs, v, closeGrace);
    }

    public ProcessSettings withCloseGrace(Duration v) {
        return new ProcessSettings(startupTimeout, dialogs, apiMaxRetries, v);
    }

    static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
