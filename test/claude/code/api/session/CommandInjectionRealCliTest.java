package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.cli.PromptEncoder;
import claude.code.api.events.ResultMessage;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Client text that the TUI would run as a shell command ({@code !…}) or a slash command
 * ({@code /…}) reaches the model as plain text instead, with the neutraliser U+2800 in front, and
 * nothing runs. One session serves every test; it starts with a message the later tests look for
 * in the history.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class CommandInjectionRealCliTest {
    private static final String FIRST = "remember the word PELICAN";
    private static final char NEUTRALISER = '\u2800';

    private LiveCli cli;
    private ClaudeSession session;

    @BeforeAll
    void openOneSession() throws Exception {
        cli = new LiveCli();
        session = cli.open();
        assertFalse(session.send(FIRST).result().isError());
    }

    @AfterAll
    void closeIt() {
        if (cli != null) {
            cli.close();
        }
    }

    /** Sends the text; returns the request it produced. */
    private RecordedRequest send(String text) {
        ResultMessage result = session.send(text).result();
        assertFalse(result.isError(), result.toString());
        return cli.lastRequest(session);
    }

    private static boolean historyContains(RecordedRequest request, String text) {
        List<JsonObject> messages = request.messages();
        return messages.subList(0, messages.size() - 1).stream().anyMatch(m -> Json.write(m).contains(text));
    }

    @Test
    void aShellCommandRunsNothingAndArrivesAsText() throws Exception {
        Path file = cli.home.workspace().resolve("injected-" + System.nanoTime());
        RecordedRequest request = send("!touch " + file);
        assertEquals(NEUTRALISER + "!touch " + file, request.promptText());
        assertFalse(Files.exists(file), "the shell never ran");
    }

    @Test
    void aShellCommandAfterLeadingWhitespaceRunsNothingEither() throws Exception {
        Path file = cli.home.workspace().resolve("injected-ws-" + System.nanoTime());
        RecordedRequest request = send("  \n!touch " + file);
        assertTrue(request.promptText().endsWith("!touch " + file), request.promptText());
        assertFalse(Files.exists(file));
    }

    @Test
    void logoutIsNotRunAndTheSessionStaysLoggedIn() throws Exception {
        RecordedRequest request = send("/logout");
        assertEquals(NEUTRALISER + "/logout", request.promptText());
        RecordedRequest next = send("still there?");
        assertEquals("still there?", next.promptText());
        assertEquals(ClaudeTestHome.API_KEY, next.header("x-api-key").orElse(""), "still using the same credentials");
    }

    @Test
    void helpIsNotShown() throws Exception {
        RecordedRequest request = send("/help me");
        assertEquals(NEUTRALISER + "/help me", request.promptText());
        assertFalse(session.screen().contains("Shortcuts"), session.screen());
    }

    @Test
    void clearDoesNotClearTheConversation() throws Exception {
        RecordedRequest clear = send("/clear");
        assertEquals(NEUTRALISER + "/clear", clear.promptText());
        RecordedRequest after = send("what was the word?");
        assertTrue(historyContains(after, "PELICAN"), "the earlier messages are still sent");
        assertTrue(historyContains(after, NEUTRALISER + "/clear"), "and so is the neutralised command");
    }

    @Test
    void aSlashCommandAfterWhitespaceOrNewlinesIsNotRunEither() throws Exception {
        String text = "\n\n  /compact everything";
        RecordedRequest request = send(text);
        assertEquals(PromptEncoder.encode(text).expectedEcho(), request.promptText());
        assertTrue(request.promptText().startsWith(String.valueOf(NEUTRALISER)), request.promptText());
        assertTrue(historyContains(send("and now?"), "PELICAN"), "nothing was compacted away");
    }
}
