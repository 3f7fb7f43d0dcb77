package claude.code.api.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.Message;
import claude.code.api.events.RedactedThinkingBlock;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.json.Json;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedTranscriptTest {
    static final String SESSION = "0b9e2f6c-3a53-4c1e-9d0a-6f1e2d3c4b5a";
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    static Supplier<String> counter() {
        AtomicInteger n = new AtomicInteger();
        return () -> "u" + n.incrementAndGet();
    }

    static final ToolUseBlock TOOL_USE = new ToolUseBlock("toolu_1", "Bash", (JsonObject) Json.parse("{\"command\":\"ls\"}"));

    @Test
    void recordsAreChainedFromTheFirstToTheLast() {
        List<JsonObject> records = SeedTranscript.records(SESSION,
                List.of(Message.user("My secret word is ALPHA-77."), Message.assistant("Got it: ALPHA-77.")),
                NOW, counter());
        assertEquals(2, records.size());
        assertEquals(JsonNull.INSTANCE, records.get(0).get("parentUuid"));
        assertEquals("u1", records.get(0).string("uuid"));
        assertEquals("u1", records.get(1).string("parentUuid"));
        assertEquals("user", records.get(0).string("type"));
        assertEquals("assistant", records.get(1).string("type"));
        assertEquals(Json.parse("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"My secret word is ALPHA-77.\"}]}"),
                records.get(0).object("message"));
        for (JsonObject r : records) {
            assertEquals(SESSION, r.string("sessionId"));
            assertEquals("2026-11-25T10:00:00Z", r.string("timestamp"));
            assertFalse(r.bool("isSidechain"));
        }
    }

    @Test
    void anImageIsSeededAsAnImageBlockOfTheUserRecordAsTheCliWritesAPastedImage() {
        claude.code.api.events.ImageBlock image = new claude.code.api.events.ImageBlock(
                new claude.code.api.events.MediaSource.Base64("image/png", "iVBORw0KGgo="));
        List<JsonObject> records = SeedTranscript.records(SESSION,
                List.of(Message.of(Message.Role.USER, image, new TextBlock("what is it")), Message.assistant("a cat")), NOW, counter());
        assertEquals(Json.parse("{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\","
                + "\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}},{\"type\":\"text\",\"text\":\"what is it\"}]}"),
                records.get(0).object("message"));
    }

    @Test
    void anAssistantMessageIsOneRecordPerBlockSharingItsMessageId() {
        ThinkingBlock thinking = new ThinkingBlock("hmm", "c2ln");
        List<JsonObject> records = SeedTranscript.records(SESSION, List.of(Message.user("q"),
                Message.assistant(thinking, new TextBlock("Running."), TOOL_USE),
                Message.user(new ToolResultBlock("toolu_1", new JsonString("a.txt"), null)),
                Message.assistant("done")), NOW, counter());
        assertEquals(6, records.size());
        List<JsonObject> first = records.subList(1, 4);
        String id = first.get(0).object("message").string("id");
        for (JsonObject r : first) {
            JsonObject message = r.object("message");
            assertEquals(id, message.string("id"));
            assertEquals("assistant", message.string("role"));
            assertEquals("tool_use", message.string("stop_reason"));
            assertEquals(1, message.array("content").size());
        }
        assertEquals(thinking.toJson(), first.get(0).object("message").array("content").get(0));
        for (JsonObject r : first) {
            assertEquals("<synthetic>", r.object("message").string("model"), "so the CLI keeps the thinking");
        }
        assertEquals(TOOL_USE.toJson(), first.get(2).object("message").array("content").get(0));
        JsonObject toolResult = records.get(4).object("message").array("content").object(0);
        assertEquals(Json.parse("{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"a.txt\"}"), toolResult);
        JsonObject last = records.get(5).object("message");
        assertEquals("end_turn", last.string("stop_reason"));
        assertFalse(last.has("model"), "no model: the resumed session keeps its own");
        assertFalse(id.equals(last.string("id")), "each assistant message has its own id");
        for (int i = 1; i < records.size(); i++) {
            assertEquals(records.get(i - 1).string("uuid"), records.get(i).string("parentUuid"));
        }
    }

    @Test
    void adjacentAssistantMessagesShareOneMessageId() {
        List<JsonObject> records = SeedTranscript.records(SESSION,
                List.of(Message.user("q"), Message.assistant("a"), Message.assistant(TOOL_USE)), NOW, counter());
        assertEquals(records.get(1).object("message").string("id"), records.get(2).object("message").string("id"));
    }

    @Test
    void thinkingWithoutASignatureIsLeftOutButRedactedThinkingIsKept() {
        List<JsonObject> records = SeedTranscript.records(SESSION, List.of(Message.user("q"),
                Message.assistant(new ThinkingBlock("unsigned", ""), new RedactedThinkingBlock("b3BhcXVl"),
                        new TextBlock("a"))), NOW, counter());
        assertEquals(3, records.size());
        assertEquals("redacted_thinking", records.get(1).object("message").array("content").object(0).string("type"));
    }

    @Test
    void theFileIsCreated0600WithOneRecordPerLineAndItsSizeReturned(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("projects").resolve("-w-x").resolve(SESSION + ".jsonl");
        List<Message> history = List.of(Message.user("hi"), Message.assistant("hello"));
        long size = SeedTranscript.write(file, SESSION, history);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(bytes.length, size);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n"));
        String[] lines = text.split("\n");
        assertEquals(2, lines.length);
        assertEquals("hello", ((JsonObject) Json.parse(lines[1])).object("message").array("content").object(0).string("text"));
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void anExistingTranscriptIsNeverOverwritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(SESSION + ".jsonl");
        Files.writeString(file, "keep");
        assertThrows(FileAlreadyExistsException.class, () -> SeedTranscript.write(file, SESSION, List.of(Message.user("x"))));
        assertEquals("keep", Files.readString(file));
    }

    @Test
    void theSessionIdMustBeAUuid(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class,
                () -> SeedTranscript.write(dir.resolve("x.jsonl"), "../../etc/passwd", List.of(Message.user("x"))));
    }
}
