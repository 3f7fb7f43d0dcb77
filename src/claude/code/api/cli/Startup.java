package claude.code.api.cli;

import claude.code.api.failures.SessionStartException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Brings a freshly spawned CLI to its prompt by watching the screen, never by sleeping: it
 * answers the start-up dialogs the {@link DialogPolicy} allows, one key at a time, each only once
 * the screen shows what the key acts on, and fails with the screen quoted when the CLI exits,
 * shows a screen it must not answer, or is not ready in time.
 *
 * <p>The two-choice dialogs (trust, bypass, API key) default to "No", and a wrong Enter makes the
 * CLI exit ({@code docs/CLI-BEHAVIOUR.md#dialogs}). Measured: the dialog's selection is reset
 * about 130-240 ms after it is first drawn, so a Down sent earlier moves the pointer to "Yes" and
 * then it jumps back to "No" with no other sign on screen; an Enter then exits. Hence: the first
 * key only once the dialog has been up for {@link #DIALOG_SETTLE}, Enter only once the pointer has
 * stayed on the accepting option for {@link #POINTER_SETTLE}, and a pointer that jumps back is
 * simply moved again. Enter is sent at most once per dialog, since a second one would land on
 * whatever comes next.
 */
final class Startup {
    private static final System.Logger LOG = System.getLogger(Startup.class.getName());

    /** A dialog is read only once its frame has stopped changing for this long (a frame may arrive in pieces). */
    private static final Duration SETTLE = Duration.ofMillis(40);
    /** No key before a dialog has been on screen this long (its selection is reset after ~130-240 ms). */
    static final Duration DIALOG_SETTLE = Duration.ofMillis(500);
    /** Enter only once the pointer has stayed on the accepting option this long. */
    static final Duration POINTER_SETTLE = Duration.ofMillis(300);
    /** How often the screen is looked at while a dialog is up (waiting for the settle times). */
    private static final Duration DIALOG_TICK = Duration.ofMillis(50);
    /** After a navigation key with no visible effect, it is sent again after this long. */
    private static final Duration KEY_RETRY = Duration.ofSeconds(1);
    /** How long an answered dialog may stay on screen before start-up fails. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    static final byte[] ENTER = {'\r'};
    static final byte[] UP = "\u001b[A".getBytes(StandardCharsets.US_ASCII);
    static final byte[] DOWN = "\u001b[B".getBytes(StandardCharsets.US_ASCII);

    /** Writes keys to the terminal. */
    interface Keyboard {
        void type(byte[] keys) throws IOException;
    }

    private final TerminalMirror mirror;
    private final Keyboard keyboard;
    private final BooleanSupplier alive;
    private final DialogPolicy policy;
    private final String what;

    // The dialog whose Enter was sent, until another screen shows: never answered twice, since a
    // second Enter would land on whatever comes next (and on a dialog, pick "No, exit").
    private StartupScreen answered;
    private long answeredAt;
    private StartupScreen shown;
    private long shownSince;
    private long pointerOnSince = -1;
    private long lastKeyVersion = -1;
    private long lastKeyAt;

    /**
     * @param what names the process in errors, e.g. {@code "claude (pid 123)"}
     */
    Startup(TerminalMirror mirror, Keyboard keyboard, BooleanSupplier alive, DialogPolicy policy, String what) {
        this.mirror = mirror;
        this.keyboard = keyboard;
        this.alive = alive;
        this.policy = policy;
        this.what = what;
    }

    /**
     * Returns once the prompt shows.
     *
     * @throws SessionStartException with the screen when start-up cannot succeed; the exit code is left
     *     to the caller, which owns the process
     */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long seen = -1;
        while (true) {
            long version = mirror.version();
            String screen = mirror.text();
            StartupScreen kind = StartupScreen.classify(screen);
            if (kind == StartupScreen.READY) {
                return;
            }
            if (!alive.getAsBoolean() || mirror.ended()) {
                throw new SessionStartException(what + " exited during start-up", screen, null, null);
            }
            if (kind != shown) {
                shown = kind;
                shownSince = System.nanoTime();
                pointerOnSince = -1;
            }
            if (answered != null && kind != answered) {
                answered = null;
            }
            if (version != seen && kind != StartupScreen.UNKNOWN && kind != StartupScreen.OTHER_DIALOG) {
                // A recognised screen: act only once its frame is complete.
                if (mirror.awaitChange(version, SETTLE) != version) {
                    continue;
                }
                seen = version;
                LOG.log(System.Logger.Level.DEBUG, "{0}: start-up screen {1}", what, kind);
            }
            respond(kind, screen, version);
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw new SessionStartException(what + " did not show its prompt within " + timeout + " (it shows "
                        + kind.description() + ")", screen, null, null);
            }
            long tick = kind == StartupScreen.UNKNOWN || kind == StartupScreen.OTHER_DIALOG
                    ? KEY_RETRY.toNanos() / 4 : DIALOG_TICK.toNanos();
            long wait = Math.min(deadline - now, tick);
            mirror.awaitChange(version, Duration.ofNanos(wait));
        }
    }

    private void respond(StartupScreen kind, String screen, long version) throws IOException {
        switch (kind) {
            case TRUST_FOLDER -> choose(kind, screen, version, policy.trustWorkspace(),
                    "the dialog policy does not trust the working directory (trust it in the CLI's config "
                            + "beforehand, or allow DialogPolicy.trustWorkspace)");
            case BYPASS_PERMISSIONS -> choose(kind, screen, version, policy.acceptBypassPermissions(),
                    "the dialog policy does not accept bypass-permissions mode (pre-accept it with settings.json "
                            + "{\"skipDangerousModePermissionPrompt\": true}, or allow DialogPolicy.acceptBypassPermissions)");
            case API_KEY -> choose(kind, screen, version, policy.approveApiKey(),
                    "the dialog policy does not approve API keys (list the key's last 20 characters under "
                            + "customApiKeyResponses.approved in the CLI's config, or allow DialogPolicy.approveApiKey)");
            case THEME_PICKER, PRESS_ENTER -> {
                if (!policy.completeOnboarding()) {
                    throw fail(kind, screen, "the dialog policy does not complete onboarding (set hasCompletedOnboarding "
                            + "in the CLI's config, or allow DialogPolicy.completeOnboarding)");
                }
                // Enter takes the highlighted default; sent again if lost, which is harmless here.
                if (shownFor() >= DIALOG_SETTLE.toNanos() && (answered != kind || sinceKey() >= KEY_RETRY.toNanos())) {
                    answered = null;
                    answer(kind, version);
                }
            }
            case SETTINGS_ERROR -> throw fail(kind, screen, "its settings are invalid");
            case RESUME_PICKER -> throw fail(kind, screen, "--resume did not name a session it can resume here");
            case LOGIN -> throw fail(kind, screen, "it is not logged in or cannot reach its API");
            case OTHER_DIALOG, UNKNOWN, READY -> {
                // wait: the screen is still being drawn, or shows a notice that needs no answer
            }
        }
    }

    /** Moves the pointer to the accepting option of a two-choice dialog, then confirms it. */
    private void choose(StartupScreen kind, String screen, long version, boolean allowed, String refusal) throws IOException {
        if (!allowed) {
            throw fail(kind, screen, refusal);
        }
        if (answered == kind) {
            checkAnswerTaken(kind, screen);
            return;
        }
        if (shownFor() < DIALOG_SETTLE.toNanos()) {
            return;
        }
        int distance;
        try {
            distance = StartupScreen.distanceToOption(screen, kind.acceptLabel());
        } catch (IllegalStateException e) {
            return; // not fully drawn yet
        }
        long now = System.nanoTime();
        if (distance != 0) {
            pointerOnSince = -1;
            if (version != lastKeyVersion || sinceKey() >= KEY_RETRY.toNanos()) {
                key(distance < 0 ? UP : DOWN, version);
            }
        } else if (pointerOnSince < 0) {
            pointerOnSince = now;
        } else if (now - pointerOnSince >= POINTER_SETTLE.toNanos()) {
            answer(kind, version);
        }
    }

    private long shownFor() {
        return System.nanoTime() - shownSince;
    }

    private long sinceKey() {
        return System.nanoTime() - lastKeyAt;
    }

    private void answer(StartupScreen kind, long version) throws IOException {
        if (answered == kind) {
            checkAnswerTaken(kind, mirror.text());
            return;
        }
        LOG.log(System.Logger.Level.INFO, "{0}: answering {1}", what, kind.description());
        key(ENTER, version);
        answered = kind;
        answeredAt = System.nanoTime();
    }

    private void checkAnswerTaken(StartupScreen kind, String screen) throws SessionStartException {
        if (System.nanoTime() - answeredAt > ANSWER_TIMEOUT.toNanos()) {
            throw fail(kind, screen, "it was answered but is still shown after " + ANSWER_TIMEOUT);
        }
    }

    private void key(byte[] keys, long version) throws IOException {
        keyboard.type(keys);
        lastKeyVersion = version;
        lastKeyAt = System.nanoTime();
    }

    private SessionStartException fail(StartupScreen kind, String screen, String why) {
        return new SessionStartException(what + " stopped at " + kind.description() + ": " + why, screen, null, null);
    }
}
