package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.cli.PromptEncoder;
import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.UserMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Text typed into the real CLI reaches the model as sent: one kind of text per test, each checked
 * on the request body the mock received (and on the echo the transcript recorded). One session
 * serves every test; each test looks only at its own turn.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class PromptDeliveryRealCliTest {
    private LiveCli cli;
    private ClaudeSession session;

    @BeforeAll
    void openOneSession() throws Exception {
        cli = new LiveCli();
        session = cli.open();
    }

    @AfterAll
    void closeIt() {
        if (cli != null) {
            cli.close();
        }
    }

    /** Sends {@code text} and returns what the API received as the user's text. */
    private String delivered(String text) throws InterruptedException {
        List<Event> events = new ArrayList<>();
        try (EventStream stream = session.send(text)) {
            stream.forEachRemaining(events::add);
        }
        ResultMessage result = (ResultMessage) events.getLast();
        assertFalse(result.isError(), result.toString());
        String received = cli.lastRequest(session).promptText();
        UserMessage echo = (UserMessage) events.getFirst();
        assertEquals(received, echo.text(), "the transcript's echo is what the API got");
        assertEquals(PromptEncoder.encode(text).expectedEcho(), received, "the encoder predicts what arrives");
        return received;
    }

    @Test
    void unicodeAndEmojiArriveExactly() throws Exception {
        String text = "ünïcödé — 日本語のテキスト, Ελληνικά, עברית, emoji 😀👍🏽 and a family 👨‍👩‍👧";
        assertEquals(text, delivered(text));
    }

    @Test
    void quotesBackslashesAndShellOrFormatSyntaxArriveExactly() throws Exception {
        String text = "quotes \" ' ` back\\slash \\n $HOME ${PATH} $(whoami) %s %d {x} <tag> & | ; > /dev/null";
        assertEquals(text, delivered(text));
    }

    @Test
    void multiLineTextArrivesExactly() throws Exception {
        String text = "first line\nsecond line\n\nfourth line after a blank one\n  indented fifth\nsixth";
        assertEquals(text, delivered(text));
    }

    @Test
    void leadingSpacesAreKeptAndTrailingOnesTrimmedAsTheCliDoes() throws Exception {
        assertEquals("   indented text", delivered("   indented text   "));
    }

    @Test
    void sixtyKilobytesArriveExactlyAndUnwrapped() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 62_000; i++) {
            text.append("line ").append(i).append(": \"quoted\" back\\slash $HOME %s {x} ünï 日本 😀👍🏽\n");
        }
        text.append("the end");
        String received = delivered(text.toString());
        assertEquals(text.toString(), received);
        assertFalse(received.contains("<pasted_content"), "small pastes: no wrapper");
    }

    @Test
    void tabsBecomeFourSpacesAndCrLfAndCrBecomeLf() throws Exception {
        assertEquals("a    b\nc\nd", delivered("a\tb\r\nc\rd"));
    }

    @Test
    void invisibleFormatCharactersAreDroppedAsTheCliDoes() throws Exception {
        String received = delivered("zw\u200bsp soft\u00adhyphen \u2066bidi\u2069 nbsp\u00a0kept line\u2028sep");
        assertEquals("zwsp softhyphen bidi nbsp\u00a0kept line\nsep", received);
    }

    @Test
    void controlCharactersAndEscapeAreRemoved() throws Exception {
        // ESC could end the paste early and inject keys; it and the other controls are dropped.
        String received = delivered("bell\u0007 back\u0008 esc\u001b[201~ after");
        assertEquals("bell back esc[201~ after", received);
        assertTrue(session.isAlive());
    }
}
