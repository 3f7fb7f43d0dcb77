package claude.code.api.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.AssistantMessage;
import claude.code.api.events.Event;
import claude.code.api.events.SystemMessage;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.UserMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every line the real CLI wrote in the recorded transcripts parses: an event or a known skip, never an error. */
class RecordedTranscriptsTest {
    static final Path DIR = Path.of(System.getProperty("project.dir", "."), "test/resources/transcripts");

    static List<Event> events(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        RecordParser parser = new RecordParser(file, false);
        List<Event> events = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] != '\n') continue;
            switch (parser.parse(start, all, start, i - start)) {
                case ParsedRecord.Parsed p -> events.add(p.event());
                case ParsedRecord.Skipped s -> { }
                case ParsedRecord.Invalid bad -> throw new AssertionError(file.getFileName() + ": " + bad.error());
            }
            start = i + 1;
        }
        return events;
    }

    @TestFactory
    Stream<DynamicTest> everyRecordedLineParses() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            List<Path> jsonl = files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
            assertFalse(jsonl.isEmpty());
            return jsonl.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                    () -> assertFalse(events(f).isEmpty(), "some events")));
        }
    }

    @Test
    void aRecordedToolTurnPairsItsToolUseWithItsResult() throws IOException {
        List<Event> events = events(DIR.resolve("interactive-tool-use.jsonl"));
        String toolUseId = events.stream().filter(AssistantMessage.class::isInstance)
                .flatMap(e -> ((AssistantMessage) e).content().stream()).filter(ToolUseBlock.class::isInstance)
                .map(b -> ((ToolUseBlock) b).id()).findFirst().orElseThrow();
        assertTrue(events.stream().filter(UserMessage.class::isInstance)
                .flatMap(e -> ((UserMessage) e).content().stream())
                .anyMatch(b -> b instanceof ToolResultBlock r && r.toolUseId().equals(toolUseId)));
        assertTrue(events.stream().anyMatch(e -> e instanceof SystemMessage s && s.subtype().equals("turn_duration")));
    }

    @Test
    void aRecordedApiErrorIsFlagged() throws IOException {
        List<Event> events = events(DIR.resolve("interactive-api-error.jsonl"));
        AssistantMessage error = events.stream().filter(e -> e instanceof AssistantMessage a && a.isApiError())
                .map(AssistantMessage.class::cast).findFirst().orElseThrow();
        assertEquals("<synthetic>", error.model());
        assertTrue(error.text().startsWith("API Error"), error.text());
    }
}
