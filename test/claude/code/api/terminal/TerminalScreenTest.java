package claude.code.api.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalScreenTest {
    static final String ESC = "\u001b";

    static TerminalScreen screen(int columns, int rows, String output) {
        TerminalScreen s = new TerminalScreen(columns, rows);
        s.feed(output.getBytes(StandardCharsets.UTF_8));
        return s;
    }

    @Test
    void plainLinesWithCrLf() {
        assertEquals("hello\nworld", screen(20, 5, "hello\r\nworld\r\n").text());
    }

    @Test
    void cursorColumnMovesBecomeSpaces() {
        // how the CLI draws "Enter to confirm": words separated by ESC[<col>G
        assertEquals(" Enter to confirm", screen(40, 3, " Enter" + ESC + "[8Gto" + ESC + "[11Gconfirm").text());
    }

    @Test
    void absolutePositioningAndRelativeMoves() {
        String out = ESC + "[3;5Hx" + ESC + "[1;1Ha" + ESC + "[2Bb" + ESC + "[3Cc" + ESC + "[2Dd" + ESC + "[Ae";
        assertEquals("a\n     e\n b  dc", screen(12, 4, out).text());
    }

    @Test
    void eraseLineAndDisplay() {
        assertEquals("ab", screen(10, 3, "abcdef" + ESC + "[3G" + ESC + "[K").text());
        assertEquals("   def", screen(10, 3, "abcdef" + ESC + "[3G" + ESC + "[1K").text());
        assertEquals("", screen(10, 3, "abc\r\ndef" + ESC + "[2J").text());
        assertEquals("abc\nd", screen(10, 3, "abc\r\ndef" + ESC + "[2;2H" + ESC + "[J").text());
    }

    @Test
    void alternateScreenHidesAndRestoresTheMainScreen() {
        TerminalScreen s = screen(20, 4, "shell$ claude\r\n" + ESC + "[?1049h" + ESC + "[H" + "TUI frame");
        assertEquals("TUI frame", s.text());
        s.feed((ESC + "[?1049l" + "Resume this session").getBytes(StandardCharsets.UTF_8));
        assertEquals("shell$ claude\nResume this session", s.text());
    }

    @Test
    void autowrapAtTheLastColumn() {
        assertEquals("abcde\nfg", screen(5, 3, "abcdefg").text());
        assertEquals("abcde\nx", screen(5, 3, "abcde\r\nx").text());
    }

    @Test
    void scrollingKeepsABoundedScrollback() {
        TerminalScreen s = new TerminalScreen(10, 2, 2);
        s.feed("1\r\n2\r\n3\r\n4\r\n5".getBytes(StandardCharsets.UTF_8));
        assertEquals("4\n5", s.text());
        assertEquals("2\n3\n4\n5", s.textWithScrollback());
    }

    @Test
    void scrollRegionScrollsOnlyInside() {
        String out = "head\r\n" + ESC + "[2;3r" + ESC + "[3;1Ha\r\nb\r\nc" + ESC + "[4;1Hfoot";
        assertEquals("head\nb\nc\nfoot", screen(10, 4, out).text());
    }

    @Test
    void insertAndDeleteCharactersAndLines() {
        assertEquals("axbc", screen(10, 2, "abc" + ESC + "[2G" + ESC + "[@x").text());
        assertEquals("ac", screen(10, 2, "abc" + ESC + "[2G" + ESC + "[P").text());
        assertEquals("1\n\n2", screen(10, 3, "1\r\n2" + ESC + "[2;1H" + ESC + "[L").text());
        assertEquals("1\n3", screen(10, 3, "1\r\n2\r\n3" + ESC + "[2;1H" + ESC + "[M").text());
    }

    @Test
    void wideCharactersAndEmojiTakeTwoCells() {
        assertEquals("日本x", screen(10, 2, "日本" + ESC + "[5Gx").text());
        assertEquals("😀👍x", screen(10, 2, "😀👍🏽x").text(), "the skin-tone modifier joins its emoji and is not drawn");
    }

    @Test
    void theReadyMarkerSurvives() {
        assertEquals("❯\u00A0", screen(10, 2, "❯\u00A0" + ESC + "[7m " + ESC + "[27m").text());
    }

    @Test
    void utf8SplitAcrossFeeds() {
        TerminalScreen s = new TerminalScreen(10, 2);
        byte[] bytes = "é❯".getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) s.feed(new byte[] {b});
        assertEquals("é❯", s.text());
    }

    @Test
    void titlesQueriesAndModesDrawNothing() {
        String out = ESC + "]0;✳ Claude Code\u0007" + ESC + "[?2004h" + ESC + "[>0q" + ESC + "[?u" + ESC + "]7501;?\u0007"
                + ESC + "[c" + ESC + "P1$r0m" + ESC + "\\" + ESC + "[1;31mred" + ESC + "[0m" + ESC + "(B";
        assertEquals("red", screen(20, 2, out).text());
    }

    @Test
    void saveAndRestoreCursor() {
        assertEquals("ab\n c", screen(10, 3, "a" + ESC + "7" + "\r\n c" + ESC + "8" + "b").text());
    }

    @Test
    void longStringSequencesAndParameterListsAreSkippedWithoutBuffering() {
        TerminalScreen s = new TerminalScreen(10, 2);
        s.feed((ESC + "]0;" + "x".repeat(100_000) + "\u0007ok").getBytes(StandardCharsets.UTF_8));
        s.feed((ESC + "[" + "1;".repeat(10_000) + "m!").getBytes(StandardCharsets.UTF_8));
        assertEquals("ok!", s.text());
    }

    @Test
    void resizeKeepsTopLeftContent() {
        TerminalScreen s = screen(10, 3, "abcdefghij\r\nline2\r\nline3");
        s.resize(4, 2);
        assertEquals("abcd\nline", s.text());
        assertThrows(IllegalArgumentException.class, () -> s.resize(0, 5));
    }
}
