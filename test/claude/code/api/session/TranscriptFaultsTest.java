package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.cli.PromptEncoder;
import claude.code.api.events.AssistantMessage;
import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.MessageParseError;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.UserMessage;
import claude.code.api.json.Json;
import claude.code.api.transcript.RecordParser;
import claude.code.api.transcript.TailOptions;
import claude.code.api.transcript.TailProblem;
import claude.code.api.transcript.TranscriptTail;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad transcripts on the path a session uses (file -> {@link TranscriptTail} -> {@link RecordParser}
 * -> {@link TranscriptFeed} -> {@link Turn}), with the test playing the CLI that writes the file:
 * every unreadable line reaches the parse-error callback with its byte offset and the turn goes on
 * with every other record; a transcript cut short or replaced under the watcher ends the turn with an
 * error that says so, after every record it held.
 */
@Timeout(60)
class TranscriptFaultsTest {
    static final String ID = "00000000-0000-4000-8000-000000000003";
    static final int TEN_MB = 10 << 20;

    @TempDir
    Path dir;
    Path file;
    final BlockingQueue<SessionSignal> signals = new LinkedBlockingQueue<>();
    final List<MessageParseError> parseErrors = new CopyOnWriteArrayList<>();
    final AtomicReference<TailProblem> tailProblem = new AtomicReference<>();
    final SessionSettings settings = SessionSettings.builder().enterRetryInterval(Duration.ofMillis(50))
            .submitTimeout(Duration.ofSeconds(20)).interruptTimeout(Duration.ofSeconds(10)).build();
    TranscriptTail tail;

    /** The CLI: on the first Enter it runs {@code onPrompt}; other keys do nothing. */
    final class Cli extends IdleTerminal {
        final AtomicBoolean prompted = new AtomicBoolean();
        final Runnable onPrompt;

        Cli(Runnable onPrompt) {
            this.onPrompt = onPrompt;
        }

        @Override
        public void pressEnter() {
            if (prompted.compareAndSet(false, true)) {
                Thread.ofVirtual().start(onPrompt);
            }
        }
    }

    EventStream turn(Runnable onPrompt) throws IOException {
        file = dir.resolve(ID + ".jsonl");
        Files.createFile(file);
        tail = TranscriptTail.open(file, 0, TailOptions.DEFAULTS.withFileWaitTimeout(Duration.ofSeconds(20)),
                new TranscriptFeed(ID, new RecordParser(file, false), signals, parseErrors::add, tailProblem::set));
        Turn turn = new Turn(ID, 4242, new Cli(onPrompt), signals, Optional::empty, settings, PromptEncoder.encode("hello"));
        turn.start();
        return turn.events();
    }

    @AfterEach
    void closeTail() {
        if (tail != null) {
            tail.close();
        }
    }

    static byte[] line(String json) {
        return (json + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] echo(String text) {
        return line("{\"type\":\"user\",\"uuid\":\"u1\",\"message\":{\"role\":\"user\",\"content\":" + Json.quote(text) + "}}");
    }

    static byte[] assistant(String uuid, String text) {
        return line("{\"type\":\"assistant\",\"uuid\":\"" + uuid + "\",\"message\":{\"id\":\"msg_" + uuid + "\",\"model\":\"m\","
                + "\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":" + Json.quote(text) + "}],"
                + "\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}");
    }

    static byte[] turnDuration() {
        return line("{\"type\":\"system\",\"subtype\":\"turn_duration\",\"uuid\":\"s1\",\"durationMs\":12}");
    }

    /** Appends {@code bytes} in pieces of 64 KiB, as a writer flushing a long line would. */
    void append(byte[] bytes) {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
            for (int at = 0; at < bytes.length; at += 65536) {
                out.write(bytes, at, Math.min(65536, bytes.length - at));
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Event> drain(EventStream stream) {
        List<Event> events = new ArrayList<>();
        stream.forEachRemaining(events::add);
        return events;
    }

    /** The first {@code n} events (fewer if the stream ends first), the rest left in the stream. */
    static List<Event> first(int n, EventStream stream) {
        List<Event> events = new ArrayList<>();
        while (events.size() < n && stream.hasNext()) {
            events.add(stream.next());
        }
        return events;
    }

    /** An event as the assertions compare it: its text (long ones by length), else its kind. */
    static String text(Event e) {
        String text = switch (e) {
            case AssistantMessage a -> a.text();
            case UserMessage u -> u.text();
            default -> e.getClass().getSimpleName();
        };
        return text.length() > 100 ? text.length() + " chars of " + text.charAt(0) : text;
    }

    @Test
    void everyUnreadableLineGoesToTheCallbackWithItsOffsetAndTheTurnKeepsEveryOtherRecord() throws Exception {
        String bigText = "x".repeat(TEN_MB);
        ByteArrayOutputStream script = new ByteArrayOutputStream();
        List<Long> badOffsets = new ArrayList<>();
        script.write(echo("hello"));
        script.write(assistant("a1", "one"));
        badOffsets.add((long) script.size());
        script.write(line("{not json at all"));
        badOffsets.add((long) script.size());
        byte[] cut = assistant("a2", "cut short");
        script.write(cut, 0, cut.length / 2); // a record whose writer stopped half way, then the next one
        script.write('\n');
        badOffsets.add((long) script.size());
        script.write(invalidUtf8Record());
        script.write(line("{\"type\":\"a-record-type-from-a-future-cli\",\"uuid\":\"f1\",\"payload\":{\"x\":[1,2,3]}}"));
        script.write(assistant("a3", "two"));
        badOffsets.add((long) script.size());
        String unterminated = "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"" + bigText;
        script.write(line(unterminated)); // a 10 MB record cut before its closing quote
        script.write(assistant("a4", bigText));
        script.write(assistant("a5", "three"));
        script.write(turnDuration());
        byte[] all = script.toByteArray();

        List<Event> events = drain(turn(() -> {
            append(all);
            append("{\"type\":\"assistant\",\"message\":".getBytes(StandardCharsets.UTF_8)); // a final line without its end
        }));

        assertEquals(List.of("hello", "one", "two", TEN_MB + " chars of x", "three", "SystemMessage", "ResultMessage"), events.stream().map(TranscriptFaultsTest::text).toList(),
                "every readable record, in order, none twice");
        ResultMessage result = assertInstanceOf(ResultMessage.class, events.getLast());
        assertFalse(result.isError(), result.toString());
        assertEquals("three", result.finalText());
        assertEquals(badOffsets, parseErrors.stream().map(MessageParseError::offset).toList(), parseErrors.toString());
        for (MessageParseError e : parseErrors) {
            assertEquals(file, e.file());
            assertTrue(e.reason().startsWith("not valid JSON: "), e.reason());
            assertTrue(e.reason().contains("offset"), () -> "names the byte offset within the line: " + e.reason());
        }
        assertTrue(parseErrors.get(2).reason().contains("invalid UTF-8"), parseErrors.get(2).reason());
        assertTrue(unterminated.equals(parseErrors.get(3).line()), "the 10 MB line is reported whole");
        assertEquals(null, tailProblem.get(), "the tail goes on");
    }

    /** An assistant record whose text holds the bytes FF FE: not UTF-8. */
    static byte[] invalidUtf8Record() {
        byte[] r = assistant("bad", "bad ??");
        for (int i = 0; i < r.length - 1; i++) {
            if (r[i] == '?' && r[i + 1] == '?') {
                r[i] = (byte) 0xFF;
                r[i + 1] = (byte) 0xFE;
                break;
            }
        }
        return r;
    }

    @Test
    void aTranscriptTruncatedUnderTheWatcherEndsTheTurnWithAnErrorAfterEveryRecordItHeld() throws Exception {
        EventStream stream = turn(() -> {
            append(echo("hello"));
            append(assistant("a1", "one"));
        });
        List<Event> events = first(2, stream);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        stream.forEachRemaining(events::add);
        assertEquals(List.of("hello", "one", "ResultMessage"), events.stream().map(TranscriptFaultsTest::text).toList());
        ResultMessage result = (ResultMessage) events.getLast();
        assertTrue(result.isError());
        assertTrue(result.errorText().contains("can no longer be followed") && result.errorText().contains("truncated"),
                result.errorText());
        assertEquals(TailProblem.Kind.TRUNCATED, tailProblem.get().kind());
        assertEquals(List.of(), parseErrors);
    }

    @Test
    void aTranscriptReplacedUnderTheWatcherEndsTheTurnWithAnErrorAfterEveryRecordTheOldFileHeld() throws Exception {
        EventStream stream = turn(() -> {
            append(echo("hello"));
            append(assistant("a1", "one"));
        });
        List<Event> events = first(2, stream);
        Path other = dir.resolve("other.jsonl");
        Files.write(other, assistant("x1", "from another file"));
        Files.move(other, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        stream.forEachRemaining(events::add);
        assertEquals(List.of("hello", "one", "ResultMessage"), events.stream().map(TranscriptFaultsTest::text).toList(),
                "nothing of the new file is read as this session's");
        ResultMessage result = (ResultMessage) events.getLast();
        assertTrue(result.isError());
        assertTrue(result.errorText().contains("replaced"), result.errorText());
        assertEquals(TailProblem.Kind.REPLACED, tailProblem.get().kind());
    }

    @Test
    void aParseErrorCallbackThatThrowsNeitherStopsTheTailNorTheTurn() throws Exception {
        file = dir.resolve(ID + ".jsonl");
        Files.createFile(file);
        tail = TranscriptTail.open(file, 0, TailOptions.DEFAULTS, new TranscriptFeed(ID, new RecordParser(file, false), signals,
                e -> {
                    throw new IllegalStateException("a broken callback");
                }, tailProblem::set));
        Turn turn = new Turn(ID, 4242, new Cli(() -> {
            append(echo("hello"));
            append(line("garbage"));
            append(assistant("a1", "after the garbage"));
            append(turnDuration());
        }), signals, Optional::empty, settings, PromptEncoder.encode("hello"));
        turn.start();
        List<Event> events = drain(turn.events());
        assertEquals(List.of("hello", "after the garbage", "SystemMessage", "ResultMessage"), events.stream().map(TranscriptFaultsTest::text).toList());
        assertFalse(((ResultMessage) events.getLast()).isError());
    }
}
