package claude.code.api.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.AssistantMessage;
import claude.code.api.events.Event;
import claude.code.api.events.UserMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths, tail and parser together, on a transcript the real CLI writes while the tail follows it. */
class RealCliTailTest {
    private static final long HANG_GUARD_SECONDS = 60;

    @TempDir
    Path tmp;

    @Test
    void aTailOpenedBeforeTheCliStartsDeliversThePromptAndTheApiErrorAsEvents() throws Exception {
        Path cwd = Files.createDirectories(tmp.resolve("w/project.one"));
        Map<String, String> env = PrintModeCli.environment(Files.createDirectories(tmp.resolve("home")),
                Files.createDirectories(tmp.resolve("config")));
        String sessionId = UUID.randomUUID().toString();
        TranscriptPaths paths = TranscriptPaths.forChild(env, cwd);
        RecordParser parser = new RecordParser(paths.transcript(sessionId), false);
        BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        TailSink sink = new TailSink() {
            @Override
            public void line(long offset, byte[] bytes, int off, int len) {
                switch (parser.parse(offset, bytes, off, len)) {
                    case ParsedRecord.Parsed(Event event) -> out.add(event);
                    case ParsedRecord.Invalid invalid -> out.add(invalid.error());
                    case ParsedRecord.Skipped skipped -> {}
                }
            }

            @Override
            public void problem(TailProblem problem) {
                out.add(problem);
            }
        };

        List<Object> received = new ArrayList<>();
        // Neither the project dir nor the transcript exists yet: the tail waits for both.
        try (TranscriptTail tail = TranscriptTail.open(paths.transcript(sessionId), 0, TailOptions.DEFAULTS, sink)) {
            String printed = PrintModeCli.run(cwd, env, "hello from the test", sessionId, tmp.resolve("cli.log"));
            while (received.isEmpty() || !(received.getLast() instanceof AssistantMessage m && m.isApiError())) {
                Object item = out.poll(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
                assertNotNull(item, "no API error record arrived; received " + received + "; the CLI printed " + printed);
                received.add(item);
            }
            assertTrue(tail.isRunning(), "the tail follows on after the turn");
        }

        assertTrue(received.stream().allMatch(Event.class::isInstance), "only events, no parse errors or problems: " + received);
        UserMessage prompt = assertInstanceOf(UserMessage.class, received.getFirst());
        assertTrue(prompt.prompt());
        assertEquals("hello from the test", prompt.text());
        AssistantMessage error = (AssistantMessage) received.getLast();
        assertEquals("connection_failed", error.apiError().type());
        assertTrue(error.apiError().message().startsWith("API Error: "), error.apiError().message());
    }
}
