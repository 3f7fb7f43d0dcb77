package claude.code.api.cli;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The screens the CLI (2.1.331) can show between spawn and its prompt, recognised from the
 * screen text ({@code docs/CLI-BEHAVIOUR.md#readiness}, {@code #dialogs} and {@code #fullscreen-strikes};
 * texts as {@link claude.code.api.terminal.TerminalScreen} renders them). Dialogs are checked before
 * the prompt marker, so a dialog drawn over a half-built screen is never taken for readiness.
 */
enum StartupScreen {
    /** Folder trust: "Quick safety check … ❯ No, exit / Yes, I trust this folder … Enter to confirm". */
    TRUST_FOLDER("the folder trust dialog", "Yes, I trust this folder"),
    /** Bypass-permissions warning: "❯ No, exit / Yes, I accept … Enter to confirm". */
    BYPASS_PERMISSIONS("the bypass-permissions confirmation", "Yes, I accept"),
    /** "Detected a custom API key in your environment … Yes / ❯ No (recommended)". */
    API_KEY("the API-key confirmation", "Yes"),
    /** "Settings Error … 1. Fix with Claude / 2. Exit and fix manually / 3. Continue without these settings". */
    SETTINGS_ERROR("the settings error dialog", null),
    /** Onboarding: "Choose the text style that looks best with your terminal". */
    THEME_PICKER("the onboarding text-style picker", null),
    /** Onboarding: "Security notes: … Press Enter to continue". */
    PRESS_ENTER("an onboarding notice (\"Press Enter to continue\")", null),
    /** The interactive "Resume session" picker ({@code --resume} with an id it cannot find). */
    RESUME_PICKER("the resume-session picker", null),
    /** Not logged in, or the API cannot be reached ("Unable to connect to Anthropic services", login menus). */
    LOGIN("a login or connection screen", null),
    /** Some other dialog waiting for a choice ("Enter to confirm" in its footer). */
    OTHER_DIALOG("a dialog", null),
    /** The prompt: {@code ❯} followed by a no-break space. */
    READY("the prompt", null),
    /** Anything else: the screen is still being built, or shows a notice that needs no answer. */
    UNKNOWN("an unknown screen", null);

    /** The prompt marker: history lines use a plain space after {@code ❯}, dialog pointers a cursor move. */
    static final String READY_MARKER = "\u276F\u00A0";
    static final String POINTER = "\u276F";

    private static final String CONFIRM_FOOTER = "Enter to confirm";
    private static final Pattern NUMBERED = Pattern.compile("^\\d+\\.\\s*");

    private final String description;
    private final String acceptLabel;

    StartupScreen(String description, String acceptLabel) {
        this.description = description;
        this.acceptLabel = acceptLabel;
    }

    /** What the screen is, for error messages. */
    String description() {
        return description;
    }

    /** The option that accepts, for the two-choice dialogs; {@code null} for the others. */
    String acceptLabel() {
        return acceptLabel;
    }

    static StartupScreen classify(String screen) {
        boolean confirm = screen.contains(CONFIRM_FOOTER);
        if (confirm && screen.contains("Yes, I trust this folder")) return TRUST_FOLDER;
        if (confirm && screen.contains("Bypass Permissions mode")) return BYPASS_PERMISSIONS;
        if (confirm && screen.contains("Detected a custom API key")) return API_KEY;
        if (screen.contains("Settings Error")) return SETTINGS_ERROR;
        if (screen.contains("Choose the text style")) return THEME_PICKER;
        if (screen.contains("Resume session") && screen.contains("Type to search")) return RESUME_PICKER;
        if (screen.contains("Unable to connect to Anthropic services") || screen.contains("Select login method")
                || screen.contains("Login with your Claude account")) {
            return LOGIN;
        }
        if (confirm) return OTHER_DIALOG;
        if (screen.contains("Press Enter to continue")) return PRESS_ENTER;
        if (screen.contains(READY_MARKER)) return READY;
        return UNKNOWN;
    }

    /**
     * Where the selection pointer of a list dialog stands relative to {@code label}: 0 when it is on
     * the option, negative when the option is above it (press Up), positive when below (press Down).
     *
     * @throws IllegalStateException when the screen shows no pointer or no such option
     */
    static int distanceToOption(String screen, String label) {
        List<String> lines = screen.lines().toList();
        int pointer = -1;
        int option = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            boolean pointed = line.startsWith(POINTER) && !line.startsWith(READY_MARKER);
            String text = pointed ? line.substring(POINTER.length()).strip() : line;
            text = NUMBERED.matcher(text).replaceFirst("");
            if (pointed) pointer = i;
            if (text.equals(label) || (label.length() > 3 && text.startsWith(label))) option = i;
        }
        if (pointer < 0 || option < 0) {
            throw new IllegalStateException("no " + (pointer < 0 ? "selection pointer" : "option \"" + label + "\"") + " on screen");
        }
        return option - pointer;
    }
}
