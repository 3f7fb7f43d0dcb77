package claude.code.api.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Start-up screens of the real CLI, as recorded in {@code test/resources/screens/}, are told apart. */
class StartupScreenTest {
    static final Path SCREENS = Path.of(System.getProperty("project.dir", "."), "test/resources/screens");

    static String screen(String name) throws IOException {
        return Files.readString(SCREENS.resolve(name), StandardCharsets.UTF_8);
    }

    @Test
    void eachRecordedScreenIsRecognised() throws IOException {
        assertEquals(StartupScreen.TRUST_FOLDER, StartupScreen.classify(screen("trust-dialog.txt")));
        assertEquals(StartupScreen.BYPASS_PERMISSIONS, StartupScreen.classify(screen("bypass-dialog.txt")));
        assertEquals(StartupScreen.API_KEY, StartupScreen.classify(screen("api-key-dialog.txt")));
        assertEquals(StartupScreen.SETTINGS_ERROR, StartupScreen.classify(screen("settings-error.txt")));
        assertEquals(StartupScreen.RESUME_PICKER, StartupScreen.classify(screen("resume-picker.txt")));
        assertEquals(StartupScreen.THEME_PICKER, StartupScreen.classify(screen("theme-picker.txt")));
        assertEquals(StartupScreen.PRESS_ENTER, StartupScreen.classify(screen("security-notes.txt")));
        assertEquals(StartupScreen.READY, StartupScreen.classify(screen("prompt.txt")));
    }

    @Test
    void aPromptMarkerWithAPlainSpaceIsAHistoryLineNotReadiness() {
        assertEquals(StartupScreen.UNKNOWN, StartupScreen.classify("❯ please USE_TOOL\n● Running a command."));
        assertEquals(StartupScreen.READY, StartupScreen.classify("❯ please USE_TOOL\n❯\u00a0"));
    }

    @Test
    void aDialogDrawnOverThePromptIsADialog() throws IOException {
        assertEquals(StartupScreen.TRUST_FOLDER, StartupScreen.classify(screen("trust-dialog.txt") + "\n❯\u00a0"));
        assertEquals(StartupScreen.OTHER_DIALOG, StartupScreen.classify("Some new question\n ❯ Option A\n   Option B\n Enter to confirm · Esc to cancel"));
    }

    @Test
    void unknownAndEmptyScreensAreUnknown() {
        assertEquals(StartupScreen.UNKNOWN, StartupScreen.classify(""));
        assertEquals(StartupScreen.UNKNOWN, StartupScreen.classify("Claude Code's fullscreen renderer didn't finish starting last time"));
    }

    @Test
    void loginAndConnectionScreensAreRecognised() {
        assertEquals(StartupScreen.LOGIN, StartupScreen.classify("Unable to connect to Anthropic services\nFailed to connect to api.anthropic.com: ENOTFOUND"));
        assertEquals(StartupScreen.LOGIN, StartupScreen.classify(" Select login method:\n ❯ 1. Claude account with subscription"));
    }

    @Test
    void theDistanceToTheAcceptingOptionSaysWhichWayToMove() throws IOException {
        assertEquals(1, StartupScreen.distanceToOption(screen("trust-dialog.txt"), "Yes, I trust this folder"), "Down");
        assertEquals(1, StartupScreen.distanceToOption(screen("bypass-dialog.txt"), "Yes, I accept"), "Down");
        assertEquals(-1, StartupScreen.distanceToOption(screen("api-key-dialog.txt"), "Yes"), "Up: Yes is above");
        String moved = screen("trust-dialog.txt").replace(" ❯ No, exit", "   No, exit").replace("   Yes, I trust", " ❯ Yes, I trust");
        assertEquals(0, StartupScreen.distanceToOption(moved, "Yes, I trust this folder"), "on it: Enter");
    }

    @Test
    void theShortLabelYesDoesNotMatchLongerOptions() {
        String screen = "  Yes, and don't ask again\n  ❯ No (recommended)\n  Yes\n";
        assertEquals(1, StartupScreen.distanceToOption(screen, "Yes"));
    }

    @Test
    void aHalfDrawnDialogHasNoDistance() {
        assertThrows(IllegalStateException.class, () -> StartupScreen.distanceToOption(" Accessing workspace:\n", "Yes, I trust this folder"));
        assertThrows(IllegalStateException.class, () -> StartupScreen.distanceToOption(" ❯ No, exit\n", "Yes, I trust this folder"));
    }
}
