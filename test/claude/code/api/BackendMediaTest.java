package claude.code.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.EventStream;
import claude.code.api.events.ImageBlock;
import claude.code.api.events.MediaSource;
import claude.code.api.events.Message;
import claude.code.api.events.DocumentBlock;
import claude.code.api.events.TextBlock;
import claude.code.api.options.HistoryMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend's client images on fake sessions: private files in one store, attached, then removed. */
class BackendMediaTest {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3};
    static final byte[] GIF = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0};

    @TempDir
    Path tmp;
    final FakeSessions fake = new FakeSessions();
    ClaudeCodeBackend backend;

    ClaudeCodeBackend backend(HistoryMode mode) throws IOException {
        Path cwd = Files.createDirectories(tmp.resolve("work"));
        backend = new ClaudeCodeBackend(BackendOptions.builder(cwd).extraEnv("CLAUDE_CONFIG_DIR", tmp.resolve("config").toString())
                .historyMode(mode).maxSessions(2).acquireTimeout(Duration.ZERO).build(), fake, Map.of("HOME", tmp.toString()),
                System::nanoTime);
        return backend;
    }

    @AfterEach
    void close() {
        if (backend != null) {
            backend.close();
        }
    }

    static ImageBlock image(String mediaType, byte[] bytes) {
        return new ImageBlock(new MediaSource.Base64(mediaType, Base64.getEncoder().encodeToString(bytes)));
    }

    static void drain(EventStream turn) {
        try (turn) {
            turn.forEachRemaining(e -> {});
        }
    }

    @Test
    void eachImageOfTheNewTurnIsAttachedAsAPrivateFileOfTheStoreInOrder() throws IOException {
        drain(backend(HistoryMode.NATIVE_JSONL).complete(List.of(Message.of(Message.Role.USER, new TextBlock("before"),
                image("image/png", PNG), image("image/gif", GIF), new TextBlock("after")))));
        List<FakeSessions.AttachedFile> files = fake.sessions.getFirst().attached.getFirst();
        Path store = backend.mediaDirectory().orElseThrow();
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
        assertEquals(2, files.size());
        assertArrayEquals(PNG, files.get(0).bytes());
        assertArrayEquals(GIF, files.get(1).bytes());
        for (FakeSessions.AttachedFile f : files) {
            assertEquals("rw-------", f.permissions());
            assertEquals(store, f.path().getParent());
            assertTrue(f.path().getFileName().toString().matches("[0-9a-f]{32}\\.(png|gif)"), f.path().toString());
        }
        assertEquals("before\n\nafter", fake.sessions.getFirst().prompts.getFirst(), "the text goes as typed, the images as files");
    }

    @Test
    void theFilesAreRemovedWhenTheTurnEndsAndTheStoreWhenTheBackendCloses() throws IOException {
        ClaudeCodeBackend b = backend(HistoryMode.NATIVE_JSONL);
        drain(b.complete(List.of(Message.of(Message.Role.USER, image("image/png", PNG), new TextBlock("what is it")))));
        Path file = fake.sessions.getFirst().attached.getFirst().getFirst().path();
        assertFalse(Files.exists(file), "removed once the turn ended");
        Path store = b.mediaDirectory().orElseThrow();
        try (var left = Files.list(store)) {
            assertEquals(List.of(), left.toList());
        }
        b.close();
        assertFalse(Files.exists(store), "the store is gone after close()");
    }

    @Test
    void aTurnClosedBeforeItsEndRemovesItsFilesToo() throws IOException {
        fake.gate = new java.util.concurrent.CountDownLatch(1);
        EventStream turn = backend(HistoryMode.NATIVE_JSONL).complete(List.of(Message.of(Message.Role.USER,
                image("image/png", PNG), new TextBlock("slow"))));
        Path file = fake.sessions.getFirst().attached.getFirst().getFirst().path();
        assertTrue(Files.exists(file), "kept while the turn runs");
        turn.close();
        assertFalse(Files.exists(file));
    }

    @Test
    void anImageWithoutTextIsSentAsItsAttachmentAlone() throws IOException {
        drain(backend(HistoryMode.NATIVE_JSONL).complete(List.of(Message.of(Message.Role.USER, image("image/png", PNG)))));
        assertEquals(1, fake.sessions.getFirst().attached.getFirst().size());
        assertEquals("", fake.sessions.getFirst().prompts.getFirst());
    }

    @Test
    void withoutTheRelayADocumentInTheNewTurnIsRefusedNamingTheBlockAndWhatWouldCarryIt() throws IOException {
        ClaudeCodeBackend b = backend(HistoryMode.NATIVE_JSONL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.complete(List.of(
                Message.user("read this"), Message.assistant("ok"), Message.of(Message.Role.USER, new TextBlock("here"),
                        new DocumentBlock(new MediaSource.Base64("application/pdf", "JVBERi0xLjQK"))))));
        assertTrue(e.getMessage().startsWith("messages[2].content[1]: document blocks cannot be typed into the Claude Code CLI"), e.getMessage());
        assertTrue(e.getMessage().contains("through the model-API relay (it puts the block into the CLI's request), "
                + "which is off here"), e.getMessage());
        assertEquals(0, fake.launches.size());
    }

    static final DocumentBlock PDF = new DocumentBlock(new MediaSource.Base64("application/pdf", "JVBERi0xLjQK"));

    @Test
    void aDocumentEarlierInTheHistoryIsSeededAsADocumentBlock() throws IOException {
        drain(backend(HistoryMode.NATIVE_JSONL).complete(List.of(Message.of(Message.Role.USER, PDF, new TextBlock("read this")),
                Message.assistant("done"), Message.user("what did it say?"))));
        assertTrue(fake.launches.getFirst().resume());
        String seed = Files.readString(fake.launches.getFirst().transcript());
        assertTrue(seed.contains("{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\","
                + "\"data\":\"JVBERi0xLjQK\"}}"), seed);
    }

    @Test
    void withConcatMessageADocumentInTheHistoryIsRefusedNamingTheBlock() throws IOException {
        ClaudeCodeBackend b = backend(HistoryMode.CONCAT_MESSAGE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.complete(List.of(
                Message.of(Message.Role.USER, new TextBlock("read this"), PDF), Message.assistant("done"), Message.user("and?"))));
        assertTrue(e.getMessage().startsWith("messages[0].content[1]: document blocks cannot be typed into the Claude Code CLI"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(the history is typed with concat_message; native_jsonl seeds it)"), e.getMessage());
        assertEquals(0, fake.launches.size());
    }

    @Test
    void concatMessageModeAttachesTheHistorysImagesAheadOfTheNewTurnsAndNamesThemInTheText() throws IOException {
        drain(backend(HistoryMode.CONCAT_MESSAGE).complete(List.of(
                Message.of(Message.Role.USER, image("image/gif", GIF), new TextBlock("remember this")),
                Message.assistant("I will."),
                Message.of(Message.Role.USER, new TextBlock("and this one"), image("image/png", PNG)))));
        List<FakeSessions.AttachedFile> files = fake.sessions.getFirst().attached.getFirst();
        assertEquals(2, files.size());
        assertArrayEquals(GIF, files.get(0).bytes());
        assertArrayEquals(PNG, files.get(1).bytes());
        String prompt = fake.sessions.getFirst().prompts.getFirst();
        assertTrue(prompt.contains("<user>\n[image #1: attached to this message]\nremember this\n</user>"), prompt);
    }
}
