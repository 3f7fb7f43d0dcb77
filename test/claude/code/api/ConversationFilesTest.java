package claude.code.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.EventStream;
import claude.code.api.events.Message;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client text never chooses a file: whatever a history holds, the only files the backend writes
 * below the CLI's config directory are seed transcripts named by a random UUID in the project
 * directory of the (canonical) cwd, each private to the user.
 */
class ConversationFilesTest {
    static final Pattern UUID_JSONL = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\\.jsonl");

    @TempDir
    Path tmp;

    @Test
    void hostileHistoriesOnlyEverWritePrivateUuidNamedTranscriptsInTheProjectDirectory() throws IOException {
        Path real = Files.createDirectory(tmp.resolve("work"));
        Path cwd = Files.createSymbolicLink(tmp.resolve("link-to-work"), real);
        Path configDir = tmp.resolve("config");
        FakeSessions fake = new FakeSessions();
        List<String> hostile = List.of("../../../../etc/passwd", "/tmp/evil.jsonl", "..\\..\\x", "\u0000", "!rm -rf ~", "/exit",
                "00000000-0000-4000-8000-000000000000.jsonl", "~/.claude/projects/x", "a\nb\r\n{\"type\":\"user\"}");
        BackendOptions options = BackendOptions.builder(cwd).extraEnv("CLAUDE_CONFIG_DIR", configDir.toString()).maxSessions(2)
                .acquireTimeout(Duration.ZERO).build();
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options, fake, Map.of("HOME", tmp.toString()), System::nanoTime)) {
            for (String h : hostile) {
                ToolUseBlock use = new ToolUseBlock(h, h, JsonObject.builder().put("file_path", h).build());
                ToolResultBlock result = new ToolResultBlock(h, new JsonString(h), true);
                List<Message> history = List.of(Message.user(h), Message.of(Message.Role.ASSISTANT, new TextBlock(h), use),
                        Message.of(Message.Role.USER, result, new TextBlock(h)), Message.assistant(h), Message.user("next " + h));
                try (EventStream turn = backend.complete(history)) {
                    turn.result();
                }
            }
        }
        assertEquals(hostile.size(), fake.launches.size());
        assertTrue(fake.launches.stream().allMatch(l -> l.resume()), "every history was seeded");
        Path projects = configDir.resolve("projects");
        try (Stream<Path> all = Files.walk(configDir)) {
            for (Path p : all.toList()) {
                if (Files.isDirectory(p)) {
                    assertTrue(p.equals(configDir) || p.equals(projects) || p.getParent().equals(projects), "unexpected directory " + p);
                    continue;
                }
                assertEquals(projects, p.getParent().getParent(), "a transcript in a project directory: " + p);
                assertTrue(p.getParent().getFileName().toString().contains("work") && !p.getParent().getFileName().toString()
                        .contains("link"), "the project directory is the real cwd's, through the symlink: " + p.getParent());
                assertTrue(UUID_JSONL.matcher(p.getFileName().toString()).matches(), "named by a UUID: " + p);
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
                assertTrue(Files.readString(p).lines().allMatch(line -> Json.parse(line) instanceof JsonObject),
                        "each line one JSON record, whatever the text held: " + p);
            }
        }
        try (Stream<Path> transcripts = Files.walk(projects)) {
            assertEquals(hostile.size(), transcripts.filter(Files::isRegularFile).count(), "one file per seeded session");
        }
        try (Stream<Path> outside = Files.list(tmp)) {
            assertEquals(List.of("config", "link-to-work", "work"), outside.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (Stream<Path> work = Files.list(real)) {
            assertEquals(0, work.count(), "nothing written into the cwd");
        }
    }
}
