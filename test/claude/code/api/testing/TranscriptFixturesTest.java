package claude.code.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The recorded fixtures hold what their README says, so a re-recording cannot silently change them. */
class TranscriptFixturesTest {

    private static final Path DIR = Path.of(System.getProperty("project.dir", "."), "test/resources/transcripts");

    @Test
    void everyFixtureIsOneSessionOfJsonObjectsWithStablePaths() throws IOException {
        List<Path> files;
        try (var list = Files.list(DIR)) {
            files = list.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        assertEquals(11, files.size(), files.toString());
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            assertFalse(text.matches("(?s).*claude-test-home-[0-9].*"), file + " still holds a temp path");
            List<JsonObject> records = records(file.getFileName().toString());
            assertEquals(1, records.stream().map(r -> r.string("sessionId", "")).filter(s -> !s.isEmpty())
                    .distinct().count(), file + " holds one session");
            assertTrue(records.stream().anyMatch(r -> "/tmp/claude-test-home/workspace".equals(r.string("cwd", null))));
        }
    }

    @Test
    void printModeWritesNoTurnDuration() throws IOException {
        for (String name : List.of("print-plain", "print-tool-use", "print-thinking", "print-redacted-thinking")) {
            List<JsonObject> records = records(name + ".jsonl");
            assertEquals(0, records.stream().filter(TranscriptRecorder.TURN_DURATION).count(), name);
            assertEquals("end_turn", conversation(records).getLast().object("message").string("stop_reason"), name);
        }
    }

    @Test
    void toolTurnSplitsTheAssistantMessageIntoOneRecordPerBlock() throws IOException {
        List<JsonObject> turn = conversation(records("interactive-tool-use.jsonl"));
        assertEquals(List.of("user:string", "assistant:text", "assistant:tool_use", "user:tool_result", "assistant:text"),
                turn.stream().map(TranscriptFixturesTest::shape).toList());
        assertEquals(turn.get(1).object("message").string("id"), turn.get(2).object("message").string("id"));
        JsonObject toolUse = turn.get(2).object("message").array("content").object(0);
        JsonObject result = turn.get(3).object("message").array("content").object(0);
        assertEquals(toolUse.string("id"), result.string("tool_use_id"));
        assertEquals("mock-tool-output", result.string("content"));
        assertEquals(1, records("interactive-tool-use.jsonl").stream().filter(TranscriptRecorder.TURN_DURATION).count());
    }

    @Test
    void thinkingKeepsItsSignature() throws IOException {
        JsonObject thinking = conversation(records("interactive-thinking.jsonl")).get(1).object("message").array("content").object(0);
        assertEquals("thinking", thinking.string("type"));
        assertEquals(MockReply.signatureOf(thinking.string("thinking")), thinking.string("signature"));
        assertEquals("redacted_thinking", conversation(records("print-redacted-thinking.jsonl")).get(1)
                .object("message").array("content").object(0).string("type"));
    }

    @Test
    void interactiveApiErrorEndsWithTheErrorRecordAndNoTurnDuration() throws IOException {
        List<JsonObject> records = records("interactive-api-error.jsonl");
        List<JsonObject> turn = conversation(records);
        JsonObject error = turn.get(1);
        assertTrue(error.bool("isApiErrorMessage"));
        assertEquals(500, error.integer("apiErrorStatus"));
        assertEquals("<synthetic>", error.object("message").string("model"));
        assertEquals(1, records.stream().filter(TranscriptRecorder.TURN_DURATION).count(), "only the turn after the error");
        assertTrue(records.stream().noneMatch(r -> "api_error".equals(r.string("subtype", null))));
        assertEquals("MOCK REPLY to: after error | nmsgs=2", text(turn.getLast()), "both prompts went in one message");
        assertEquals(1, records("print-api-error.jsonl").stream()
                .filter(r -> "api_error".equals(r.string("subtype", null))).count(), "print mode logs the retry");
    }

    @Test
    void interruptLeavesAPartialRecordAndNoTurnDuration() throws IOException {
        List<JsonObject> records = records("interactive-interrupted.jsonl");
        List<JsonObject> turn = conversation(records);
        JsonObject partial = turn.get(1);
        assertTrue(text(partial).startsWith("MOCK "), text(partial));
        assertEquals(JsonNull.INSTANCE, partial.object("message").get("stop_reason"));
        assertEquals("[Request interrupted by user]", text(turn.get(2)));
        assertEquals(1, records.stream().filter(TranscriptRecorder.TURN_DURATION).count(), "only the turn after");
        assertEquals(turn.get(2).string("uuid"), turn.get(3).string("parentUuid"), "the next prompt chains to the interrupt");
    }

    @Test
    void interruptedToolIsRejectedThenMarked() throws IOException {
        List<JsonObject> records = records("interactive-tool-interrupted.jsonl");
        List<JsonObject> turn = conversation(records);
        assertEquals(List.of("user:string", "assistant:text", "assistant:tool_use", "user:tool_result", "user:text"),
                turn.stream().map(TranscriptFixturesTest::shape).toList());
        JsonObject result = turn.get(3).object("message").array("content").object(0);
        assertTrue(result.bool("is_error"));
        assertEquals("User rejected tool use", turn.get(3).string("toolUseResult"));
        assertEquals("[Request interrupted by user for tool use]", text(turn.get(4)));
        assertTrue(records.stream().noneMatch(TranscriptRecorder.TURN_DURATION));
    }

    @Test
    void secondTurnChainsToTheFirst() throws IOException {
        List<JsonObject> records = records("interactive-plain.jsonl");
        Map<String, JsonObject> byUuid = records.stream().filter(r -> r.has("uuid"))
                .collect(Collectors.toMap(r -> r.string("uuid"), r -> r, (a, b) -> a));
        JsonObject second = conversation(records).get(2);
        assertEquals("second turn", second.object("message").string("content"));
        // Walking parentUuid back from the second prompt, without a gap, reaches the first one: the root.
        JsonObject r = second;
        while (r.findString("parentUuid").isPresent()) {
            String parent = r.string("parentUuid");
            r = byUuid.get(parent);
            assertNotNull(r, "no record has uuid " + parent);
        }
        assertEquals("hello there", r.object("message").string("content"));
    }

    // --- helpers -----------------------------------------------------------------------------------

    static List<JsonObject> records(String name) throws IOException {
        return Files.readAllLines(DIR.resolve(name), StandardCharsets.UTF_8).stream()
                .map(l -> (JsonObject) Json.parse(l)).toList();
    }

    /** The user and assistant records, in file order. */
    private static List<JsonObject> conversation(List<JsonObject> records) {
        return records.stream().filter(r -> List.of("user", "assistant").contains(r.string("type", ""))).toList();
    }

    private static String shape(JsonObject record) {
        var content = record.object("message").get("content");
        String kind = content instanceof JsonArray a ? a.object(0).string("type") : "string";
        return record.string("type") + ":" + kind;
    }

    private static String text(JsonObject record) {
        return record.object("message").array("content").object(0).string("text");
    }
}
