package claude.code.api.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptEncoderTest {
    static final String START = "\u001b[200~", END = "\u001b[201~";

    /** The pasted pieces, decoded back from the key bytes. */
    static List<String> pieces(PromptEncoder.Encoded e) {
        String keys = new String(e.keys(), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < keys.length()) {
            assertTrue(keys.startsWith(START, i), "every piece is a bracketed paste");
            int end = keys.indexOf(END, i);
            out.add(keys.substring(i + START.length(), end));
            i = end + END.length();
        }
        return out;
    }

    @Test
    void plainTextIsOnePasteOfExactlyThatText() {
        PromptEncoder.Encoded e = PromptEncoder.encode("quotes \" ' ` back\\slash $HOME %s {x} ünï 日本 😀👍🏽");
        assertEquals(List.of("quotes \" ' ` back\\slash $HOME %s {x} ünï 日本 😀👍🏽"), pieces(e));
        assertFalse(e.neutralised());
    }

    @Test
    void aLeadingSlashCommandIsNeutralised() {
        for (String command : new String[] {"/logout", "/help me", "/clear", "  /config", "\n\n/help", "\u200b/help", "\u00a0/help"}) {
            PromptEncoder.Encoded e = PromptEncoder.encode(command);
            assertTrue(e.neutralised(), command);
            assertEquals(PromptEncoder.NEUTRALISER + command, e.text(), command);
        }
    }

    @Test
    void aLeadingBangIsNeutralised() {
        PromptEncoder.Encoded e = PromptEncoder.encode("!touch /tmp/x");
        assertTrue(e.neutralised());
        assertEquals("\u2800!touch /tmp/x", e.text());
    }

    @Test
    void anAtThatCouldStartAFileMentionGetsTheNeutraliser() {
        assertEquals("\u2800@/etc/passwd what", PromptEncoder.encode("@/etc/passwd what").text());
        assertEquals("look \u2800@a.txt and\n\u2800@b.txt (\u2800@c)", PromptEncoder.encode("look @a.txt and\n@b.txt (@c)").text());
        assertEquals("\u200b\u2800@/x", PromptEncoder.encode("\u200b@/x").text());
    }

    @Test
    void anAtInsideAWordIsLeftAlone() {
        assertEquals("mail me at a@b.com or x1@y", PromptEncoder.encode("mail me at a@b.com or x1@y").text());
    }

    @Test
    void slashesAndBangsElsewhereAreLeftAlone() {
        for (String text : new String[] {"hello\n/help", "a /b", "say !x", "\uff0fhelp", "\u2800/help"}) {
            PromptEncoder.Encoded e = PromptEncoder.encode(text);
            assertFalse(e.neutralised(), text);
            assertEquals(text, e.text());
        }
    }

    @Test
    void escapeAndControlCharactersCannotReachTheTerminal() {
        PromptEncoder.Encoded e = PromptEncoder.encode("a\u001b[201~\r!rm -rf x\u0003\u0004\u007f\u009b2J\u0007b");
        assertEquals("a[201~\n!rm -rf x2Jb", e.text());
        String keys = new String(e.keys(), StandardCharsets.UTF_8);
        assertEquals(2, keys.chars().filter(c -> c == 0x1b).count(), "only our own paste brackets contain ESC");
        assertFalse(keys.contains("\r"));
    }

    @Test
    void lineBreaksAndTabsAreNormalised() {
        assertEquals("a\nb\nc\n    d", PromptEncoder.encode("a\r\nb\rc\n\td").text());
    }

    @Test
    void loneSurrogatesBecomeReplacementCharacters() {
        assertEquals("a\uFFFDb", PromptEncoder.encode("a\ud800b").text());
    }

    @Test
    void longTextIsSplitIntoSmallPastesThatJoinToTheText() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 900; i++) text.append("line ").append(i).append(": ünï 日本 😀👍🏽 \"q\" \\\n");
        PromptEncoder.Encoded e = PromptEncoder.encode(text.toString());
        List<String> pieces = pieces(e);
        assertEquals(text.toString(), String.join("", pieces));
        for (String piece : pieces) {
            assertTrue(piece.length() <= PromptEncoder.MAX_PIECE + 1, "piece length " + piece.length());
            assertTrue(piece.chars().filter(c -> c == '\n').count() <= 2, "at most two line breaks per piece");
            assertFalse(Character.isLowSurrogate(piece.charAt(0)), "no surrogate pair is split");
        }
    }

    @Test
    void aLongSingleLineIsSplitBySize() {
        String text = "😀".repeat(1000);
        List<String> pieces = pieces(PromptEncoder.encode(text));
        assertTrue(pieces.size() >= 3);
        assertEquals(text, String.join("", pieces));
    }

    @Test
    void nothingVisibleIsRefused() {
        for (String empty : new String[] {"", "   ", "\n\n\t", "\u001b\u0003", "\u200b\u2060"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PromptEncoder.encode(empty));
            assertTrue(e.getMessage().contains("no visible text"), e.getMessage());
        }
    }

    @Test
    void theExpectedEchoFollowsTheClisOwnRules() {
        assertEquals("é a\u00a0b\nc", PromptEncoder.encode("e\u0301 a\u00a0b\u200b\u0085c  \n").expectedEcho());
    }

    @Test
    void theExpectedEchoKeepsJoinersWhereTheCliKeepsThem() {
        // Measured against the pinned CLI (docs/PROMPT-ENCODING.md): what the API and the transcript got.
        assertEquals("family 👨\u200d👩\u200d👧 end", PromptEncoder.encode("family 👨\u200d👩\u200d👧 end").expectedEcho());
        assertEquals("dev क्\u200dष x", PromptEncoder.encode("dev क्\u200dष x").expectedEcho());
        assertEquals("zwnj فا\u200cرسی x", PromptEncoder.encode("zwnj فا\u200cرسی x").expectedEcho());
        assertEquals("zwj ab", PromptEncoder.encode("zwj a\u200db").expectedEcho());
        assertEquals("tag 🏴\udb40\udc67\udb40\udc62\udb40\udc7f x",
                PromptEncoder.encode("tag 🏴\udb40\udc67\udb40\udc62\udb40\udc7f x").expectedEcho(), "emoji tag sequences stay");
    }

    @Test
    void theExpectedEchoTurnsLineAndParagraphSeparatorsIntoLineFeedsAndTrimsTrailingNbsp() {
        assertEquals("ls \n ps \n x", PromptEncoder.encode("ls \u2028 ps \u2029 x").expectedEcho());
        assertEquals("\u00a0lead and trail", PromptEncoder.encode("\u00a0lead and trail\u00a0 ").expectedEcho());
    }

    @Test
    void eachPasteFitsTheByteLimitAndEachWriteIsWholePastesWithinTheWriteLimit() {
        // CJK is 3 bytes a char: 700 chars would be 2,100 bytes, more than the kernel moves in one block.
        String text = "日本語のテキスト".repeat(400) + " 😀".repeat(500) + "\nshort line".repeat(300);
        PromptEncoder.Encoded e = PromptEncoder.encode(text);
        StringBuilder joined = new StringBuilder();
        for (byte[] write : e.writes()) {
            String w = new String(write, StandardCharsets.UTF_8);
            assertTrue(w.startsWith(START) && w.endsWith(END), "whole pastes only");
            assertTrue(write.length <= PromptEncoder.MAX_WRITE_BYTES, "write of " + write.length + " bytes");
        }
        for (String paste : pieces(e)) {
            assertTrue(paste.getBytes(StandardCharsets.UTF_8).length <= PromptEncoder.MAX_PIECE_BYTES, "paste " + paste);
            joined.append(paste);
        }
        assertEquals(text, joined.toString());
        assertTrue(e.writes().size() < pieces(e).size(), "short pastes share a write");
        assertEquals(new String(e.keys(), StandardCharsets.UTF_8), String.join("", e.writes().stream()
                .map(b -> new String(b, StandardCharsets.UTF_8)).toList()), "keys() is the writes in order");
        assertEquals(e.keys().length, e.byteCount(), "byteCount() counts the bytes of every write");
    }

    // --- attachments and image paths (docs/PROMPT-ENCODING.md#neutralising-file-mentions) -------------------

    @Test
    void attachmentReferencesGoInFrontAfterTheClientsMentionsAreNeutralised() {
        PromptEncoder.Encoded e = PromptEncoder.encode("@/etc/passwd look", List.of(java.nio.file.Path.of("/tmp/m/a.png"),
                java.nio.file.Path.of("/tmp/m/b.gif")));
        assertEquals("@/tmp/m/a.png @/tmp/m/b.gif \u2800@/etc/passwd look", e.text());
        assertEquals(e.text(), String.join("", pieces(e)));
    }

    @Test
    void aPromptOfOnlyAnAttachmentIsItsReference() {
        assertEquals("@/tmp/m/a.png", PromptEncoder.encode("  ", List.of(java.nio.file.Path.of("/tmp/m/a.png"))).text());
    }

    @Test
    void aStorePathWithASpaceIsQuotedAndOneWithAQuoteIsRefused() {
        assertEquals("@\"/tmp/my dir/a.png\" x", PromptEncoder.encode("x", List.of(java.nio.file.Path.of("/tmp/my dir/a.png"))).text());
        assertThrows(IllegalArgumentException.class, () -> PromptEncoder.encode("x", List.of(java.nio.file.Path.of("/tmp/a\".png"))));
        assertThrows(IllegalArgumentException.class, () -> PromptEncoder.encode("x", List.of(java.nio.file.Path.of("rel.png"))));
    }

    @Test
    void noPasteOfClientTextReadsAsAnImagePath() {
        for (String text : new String[] {"/tmp/x.png", "look\n/tmp/x.PNG", "\"/tmp/x.jpeg\"", "'/tmp/x.webp'  ", "/tmp/x.pn\\g",
                "a\nb\nc\n/tmp/x.gif\n", "x".repeat(699) + "/tmp/y.jpg"}) {
            PromptEncoder.Encoded e = PromptEncoder.encode(text);
            for (String piece : pieces(e)) {
                assertFalse(PromptEncoder.readAsImagePath(piece), () -> "a paste the CLI would attach: " + piece);
            }
            assertEquals(e.text(), String.join("", pieces(e)), "the text itself is unchanged");
        }
    }

    @Test
    void thePasteRuleMatchesWhatTheCliReadsAsAnImagePath() {
        assertTrue(PromptEncoder.readAsImagePath("  /tmp/x.png \n"));
        assertTrue(PromptEncoder.readAsImagePath("\"/tmp/x.JPG\""));
        assertTrue(PromptEncoder.readAsImagePath("/tmp/x.pn\\g"));
        assertFalse(PromptEncoder.readAsImagePath("/tmp/x.png is it"));
        assertFalse(PromptEncoder.readAsImagePath("/tmp/x.pn"));
    }
}
