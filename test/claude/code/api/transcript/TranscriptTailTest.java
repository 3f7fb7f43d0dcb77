package claude.code.api.transcript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import claude.code.api.testing.Procfs;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriptTailTest {
    /** Hang guard for every wait; never a timing assertion. */
    private static final long HANG_GUARD_SECONDS = 10;
    private static final TailOptions FAST_POLL = TailOptions.DEFAULTS.withPollInterval(Duration.ofMillis(20));

    @TempDir
    Path dir;

    private final List<TranscriptTail> tails = new ArrayList<>();

    @AfterEach
    void closeEveryTailAndCheckTheWatcherStopped() {
        tails.forEach(TranscriptTail::close);
        tails.forEach(t -> assertFalse(t.isRunning(), t + " still running after close"));
        assertFalse(DirectoryWatcher.shared().isRunning(), "the shared watch service outlived its last tail");
    }

    // --- what a test sees ----------------------------------------------------------------------

    record Line(long offset, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Collects lines and problems, in order. */
    static final class Recorder implements TailSink {
        final BlockingQueue<Object> items = new LinkedBlockingQueue<>();

        @Override
        public void line(long offset, byte[] bytes, int off, int len) {
            items.add(new Line(offset, Arrays.copyOfRange(bytes, off, off + len)));
        }

        @Override
        public void problem(TailProblem problem) {
            items.add(problem);
        }

        Object next() throws InterruptedException {
            Object item = items.poll(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
            assertNotNull(item, "nothing arrived within the hang guard");
            return item;
        }

        Line nextLine() throws InterruptedException {
            Object item = next();
            if (item instanceof TailProblem p) {
                fail("expected a line, got " + p);
            }
            return (Line) item;
        }

        TailProblem nextProblem() throws InterruptedException {
            return assertInstanceOf(TailProblem.class, next());
        }
    }

    private TranscriptTail open(Path file, long offset, TailOptions options, TailSink sink) {
        TranscriptTail tail = TranscriptTail.open(file, offset, options, sink);
        tails.add(tail);
        return tail;
    }

    private static void append(Path file, String text) throws IOException {
        append(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void append(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void awaitStopped(TranscriptTail tail) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_SECONDS);
        while (tail.isRunning()) {
            assertTrue(System.nanoTime() < deadline, "the tail did not stop after its problem");
            Thread.sleep(5);
        }
    }

    // --- lines ----------------------------------------------------------------------------------

    @Test
    void appendedLinesArriveInOrderWithTheirFileOffsets() throws Exception {
        Path file = dir.resolve("t.jsonl");
        append(file, "");
        Recorder sink = new Recorder();
        open(file, 0, FAST_POLL, sink);
        append(file, "{\"a\":1}\n");
        append(file, "{\"b\":2}\n");
        Line first = sink.nextLine();
        Line second = sink.nextLine();
        assertEquals("{\"a\":1}", first.text());
        assertEquals(0, first.offset());
        assertEquals("{\"b\":2}", second.text());
        assertEquals(8, second.offset());
    }

    @Test
    void aPartialLineIsKeptUntilItsNewlineArrives() throws Exception {
        Path file = dir.resolve("t.jsonl");
        Recorder sink = new Recorder();
        TranscriptTail tail = open(file, 0, FAST_POLL, sink);
        append(file, "first\npar");
        assertEquals("first", sink.nextLine().text());
        assertEquals(6, tail.position(), "the position stops before the partial line");
        append(file, "tial\n");
        Line line = sink.nextLine();
        assertEquals("partial", line.text());
        assertEquals(6, line.offset());
        assertEquals(14, tail.position());
    }

    @Test
    void aUtf8CharacterSplitAcrossTwoWritesArrivesWhole() throws Exception {
        Path file = dir.resolve("t.jsonl");
        byte[] nichi = "日".getBytes(StandardCharsets.UTF_8); // E6 97 A5
        Recorder sink = new Recorder();
        open(file, 0, FAST_POLL, sink);
        append(file, new byte[] {'x', '\n', '"', nichi[0], nichi[1]});
        assertEquals("x", sink.nextLine().text());
        append(file, new byte[] {nichi[2], '"', '\n'});
        assertEquals("\"日\"", sink.nextLine().text());
    }

    @Test
    void manyLinesInOneWriteAllArriveWithExactOffsets() throws Exception {
        Path file = dir.resolve("t.jsonl");
        StringBuilder text = new StringBuilder();
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            offsets.add((long) text.length());
            text.append("{\"n\":").append(i).append(",\"pad\":\"").append("p".repeat(i % 97)).append("\"}\n");
        }
        Recorder sink = new Recorder();
        open(file, 0, FAST_POLL, sink);
        append(file, text.toString());
        for (int i = 0; i < 10_000; i++) {
            Line line = sink.nextLine();
            assertEquals(offsets.get(i), line.offset(), "line " + i);
            assertTrue(line.text().startsWith("{\"n\":" + i + ","), line.text());
        }
    }

    @Test
    void aTenMegabyteLineWrittenInPiecesArrivesWhole() throws Exception {
        Path file = dir.resolve("t.jsonl");
        Recorder sink = new Recorder();
        open(file, 0, FAST_POLL, sink);
        byte[] big = new byte[10 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        for (int off = 0; off < big.length; off += 1 << 20) {
            append(file, Arrays.copyOfRange(big, off, off + (1 << 20)));
        }
        append(file, "\nafter\n");
        Line line = sink.nextLine();
        assertEquals(0, line.offset());
        assertArrayEquals(big, line.bytes());
        Line after = sink.nextLine();
        assertEquals("after", after.text());
        assertEquals(big.length + 1, after.offset());
    }

    @Test
    void aStartOffsetInTheMiddleSkipsTheLinesBeforeIt() throws Exception {
        Path file = dir.resolve("t.jsonl");
        append(file, "seed1\nseed2\n");
        Recorder sink = new Recorder();
        open(file, 6, FAST_POLL, sink);
        append(file, "new\n");
        Line first = sink.nextLine();
        assertEquals("seed2", first.text());
        assertEquals(6, first.offset());
        Line second = sink.nextLine();
        assertEquals("new", second.text());
        assertEquals(12, second.offset());
    }

    @Test
    void emptyLinesArriveAsEmptyLines() throws Exception {
        // The CLI writes a lone "\n" first when a seed lacks its final newline; the parser skips it.
        Path file = dir.resolve("t.jsonl");
        append(file, "{}");
        Recorder sink = new Recorder();
        open(file, 2, FAST_POLL, sink);
        append(file, "\n{\"x\":1}\n");
        assertEquals(0, sink.nextLine().bytes().length);
        assertEquals("{\"x\":1}", sink.nextLine().text());
    }

    @Test
    void withAnHourLongPollTheWatchEventAloneDeliversLines() throws Exception {
        Path file = dir.resolve("t.jsonl");
        Recorder sink = new Recorder();
        open(file, 0, TailOptions.DEFAULTS.withPollInterval(Duration.ofHours(1)), sink);
        // The file does not exist yet either: its creation, too, is seen through the watch service.
        awaitSubscribed();
        append(file, "woken\n");
        assertEquals("woken", sink.nextLine().text());
        append(file, "again\n");
        assertEquals("again", sink.nextLine().text());
    }

    // --- the file appearing, or not --------------------------------------------------------------

    @Test
    void aFileThatDoesNotExistYetIsFollowedOnceCreated() throws Exception {
        Path file = dir.resolve("later.jsonl");
        Recorder sink = new Recorder();
        open(file, 0, FAST_POLL, sink);
        append(file, "hello\n");
        assertEquals("hello", sink.nextLine().text());
    }

    @Test
    void aFileInADirectoryThatDoesNotExistYetIsFollowedOnceBothAreCreated() throws Exception {
        Path file = dir.resolve("projects/-w-new/s.jsonl");
        Recorder sink = new Recorder();
        open(file, 0, FAST_POLL, sink);
        Files.createDirectories(file.getParent());
        append(file, "hello\n");
        assertEquals("hello", sink.nextLine().text());
        append(file, "more\n");
        assertEquals("more", sink.nextLine().text());
    }

    @Test
    void aFileThatNeverAppearsIsReportedAfterTheFileWaitTimeout() throws Exception {
        Path file = dir.resolve("never.jsonl");
        Recorder sink = new Recorder();
        TranscriptTail tail = open(file, 0, FAST_POLL.withFileWaitTimeout(Duration.ofMillis(200)), sink);
        TailProblem problem = sink.nextProblem();
        assertEquals(TailProblem.Kind.FILE_NEVER_APPEARED, problem.kind());
        assertEquals(tail.file(), problem.file());
        assertTrue(problem.message().contains("did not appear within PT0.2S"), problem.message());
        awaitStopped(tail);
    }

    // --- the file changing under the tail ----------------------------------------------------------

    @Test
    void truncationIsReportedAndEndsTheTail() throws Exception {
        Path file = dir.resolve("t.jsonl");
        Recorder sink = new Recorder();
        TranscriptTail tail = open(file, 0, FAST_POLL, sink);
        append(file, "a\nb\n");
        sink.nextLine();
        sink.nextLine();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(1);
        }
        TailProblem problem = sink.nextProblem();
        assertEquals(TailProblem.Kind.TRUNCATED, problem.kind());
        assertEquals(4, problem.offset());
        assertTrue(problem.message().contains("truncated to 1 bytes after 4 bytes were read"), problem.message());
        awaitStopped(tail);
        append(file, "c\n");
        assertTrue(sink.items.isEmpty(), "nothing after the problem: " + sink.items);
    }

    @Test
    void aStartOffsetBeyondTheEndOfTheFileIsReportedAsTruncation() throws Exception {
        Path file = dir.resolve("t.jsonl");
        append(file, "short\n");
        Recorder sink = new Recorder();
        open(file, 100, FAST_POLL, sink);
        TailProblem problem = sink.nextProblem();
        assertEquals(TailProblem.Kind.TRUNCATED, problem.kind());
        assertTrue(problem.message().contains("is 6 bytes, shorter than the start offset 100"), problem.message());
    }

    @Test
    void aReplacedFileIsReportedAfterTheLinesTheOldOneStillHeld() throws Exception {
        Path file = dir.resolve("t.jsonl");
        Recorder sink = new Recorder();
        TranscriptTail tail = open(file, 0, FAST_POLL, sink);
        append(file, "old1\n");
        assertEquals("old1", sink.nextLine().text());
        append(file, "old2\npartial");
        Path replacement = dir.resolve("t.jsonl.new");
        append(replacement, "new1\n");
        Files.move(replacement, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertEquals("old2", sink.nextLine().text());
        TailProblem problem = sink.nextProblem();
        assertEquals(TailProblem.Kind.REPLACED, problem.kind());
        assertEquals(10, problem.offset(), "every line before the offset was handed out");
        assertTrue(problem.message().contains("replaced by another file; its last 7 bytes had no final newline"),
                problem.message());
        awaitStopped(tail);
    }

    @Test
    void aRemovedFileIsReportedAsReplaced() throws Exception {
        Path file = dir.resolve("t.jsonl");
        Recorder sink = new Recorder();
        open(file, 0, FAST_POLL, sink);
        append(file, "x\n");
        sink.nextLine();
        Files.delete(file);
        TailProblem problem = sink.nextProblem();
        assertEquals(TailProblem.Kind.REPLACED, problem.kind());
        assertTrue(problem.message().contains("was removed or renamed"), problem.message());
    }

    @Test
    void aLineLongerThanTheLimitIsReportedWithItsOffset() throws Exception {
        Path file = dir.resolve("t.jsonl");
        Recorder sink = new Recorder();
        open(file, 0, FAST_POLL.withMaxLineBytes(1000), sink);
        append(file, "ok\n" + "z".repeat(5000));
        assertEquals("ok", sink.nextLine().text());
        TailProblem problem = sink.nextProblem();
        assertEquals(TailProblem.Kind.LINE_TOO_LONG, problem.kind());
        assertEquals(3, problem.offset());
    }

    @Test
    void aLineOfExactlyTheLimitIsAccepted() throws Exception {
        Path file = dir.resolve("t.jsonl");
        Recorder sink = new Recorder();
        open(file, 0, FAST_POLL.withMaxLineBytes(1000), sink);
        append(file, "y".repeat(1000) + "\n");
        assertEquals(1000, sink.nextLine().bytes().length);
    }

    // --- the sink ----------------------------------------------------------------------------------

    @Test
    void aSinkThatThrowsEndsTheTailWithAProblemNamingTheLine() throws Exception {
        Path file = dir.resolve("t.jsonl");
        BlockingQueue<TailProblem> problems = new LinkedBlockingQueue<>();
        List<String> lines = new ArrayList<>();
        TranscriptTail tail = open(file, 0, FAST_POLL, new TailSink() {
            @Override
            public void line(long offset, byte[] bytes, int off, int len) {
                lines.add(new String(bytes, off, len, StandardCharsets.UTF_8));
                throw new IllegalStateException("boom");
            }

            @Override
            public void problem(TailProblem problem) {
                problems.add(problem);
            }
        });
        append(file, "one\ntwo\n");
        TailProblem problem = problems.poll(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        assertNotNull(problem);
        assertEquals(TailProblem.Kind.SINK_FAILED, problem.kind());
        assertEquals(0, problem.offset());
        assertEquals("boom", problem.cause().getMessage());
        awaitStopped(tail);
        assertEquals(List.of("one"), lines, "no line after the failing one");
    }

    @Test
    void closeFromInsideTheSinkStopsTheTail() throws Exception {
        Path file = dir.resolve("t.jsonl");
        List<String> lines = new ArrayList<>();
        TranscriptTail[] self = new TranscriptTail[1];
        CountDownLatch opened = new CountDownLatch(1);
        self[0] = open(file, 0, FAST_POLL, new TailSink() {
            @Override
            public void line(long offset, byte[] bytes, int off, int len) {
                lines.add(new String(bytes, off, len, StandardCharsets.UTF_8));
                awaitQuietly(opened);
                self[0].close();
            }

            @Override
            public void problem(TailProblem problem) {
                lines.add("problem: " + problem);
            }
        });
        opened.countDown();
        append(file, "one\ntwo\n");
        awaitStopped(self[0]);
        assertEquals(List.of("one"), lines);
    }

    @Test
    void closeInterruptsASinkBlockedOnItsConsumer() throws Exception {
        Path file = dir.resolve("t.jsonl");
        CountDownLatch blocked = new CountDownLatch(1);
        TranscriptTail tail = open(file, 0, FAST_POLL, new TailSink() {
            @Override
            public void line(long offset, byte[] bytes, int off, int len) {
                blocked.countDown();
                try {
                    new CountDownLatch(1).await(); // a consumer that never takes
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void problem(TailProblem problem) {}
        });
        append(file, "x\n");
        assertTrue(blocked.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
        tail.close();
        assertFalse(tail.isRunning());
    }

    // --- resources -----------------------------------------------------------------------------------

    @Test
    void closeReleasesTheFileTheWatchAndTheThread() throws Exception {
        Path file = dir.resolve("t.jsonl");
        List<String> fdsBefore = Procfs.descriptors();
        Recorder sink = new Recorder();
        TranscriptTail tail = open(file, 0, FAST_POLL, sink);
        append(file, "x\n");
        sink.nextLine();
        assertEquals(1, Procfs.inotifyCount(), "the shared watch service is open while a tail runs");
        assertTrue(Procfs.descriptors().contains(file.toRealPath().toString()), "the tail holds the file open");

        tail.close();

        assertFalse(tail.isRunning());
        assertFalse(DirectoryWatcher.shared().isRunning());
        assertEquals(0, DirectoryWatcher.shared().watchedDirectories());
        assertEquals(fdsBefore, Procfs.descriptors(), "every descriptor the tail opened is closed");
        awaitNoWatchServiceThread();
    }

    @Test
    void aHundredTailsInOneDirectoryShareOneWatchServiceAndNoPlatformThreadEach() throws Exception {
        int before = DirectoryWatcher.shared().servicesCreated();
        long threadsBefore = platformThreads();
        List<Recorder> sinks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Recorder sink = new Recorder();
            sinks.add(sink);
            open(dir.resolve("s" + i + ".jsonl"), 0, FAST_POLL, sink);
        }
        Path other = Files.createDirectories(dir.resolve("other"));
        Recorder otherSink = new Recorder();
        open(other.resolve("s.jsonl"), 0, FAST_POLL, otherSink);
        for (int i = 0; i < 100; i++) {
            append(dir.resolve("s" + i + ".jsonl"), "line of " + i + "\n");
        }
        append(other.resolve("s.jsonl"), "other\n");
        for (int i = 0; i < 100; i++) {
            assertEquals("line of " + i, sinks.get(i).nextLine().text());
        }
        assertEquals("other", otherSink.nextLine().text());
        // The JDK's poller, perhaps a carrier thread or two; measured: exactly one more.
        assertTrue(platformThreads() - threadsBefore <= 4, "platform threads: " + threadsBefore + " -> " + platformThreads());

        assertEquals(before + 1, DirectoryWatcher.shared().servicesCreated(), "one watch service for all tails");
        assertEquals(2, DirectoryWatcher.shared().watchedDirectories(), "each directory registered once");
        assertEquals(1, Procfs.inotifyCount(), "one inotify descriptor in the process");
        assertEquals(1, watchServiceThreads(), "one platform thread (the JDK's watch poller) for all tails");

        tails.forEach(TranscriptTail::close);
        assertEquals(0, Procfs.inotifyCount());
        awaitNoWatchServiceThread();
    }

    /** Every platform thread of the process, the JVM's own included ({@code /proc/self/task}). */
    private static long platformThreads() throws IOException {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.count();
        }
    }

    private static long watchServiceThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("FileSystemWatchService") && t.isAlive()).count();
    }

    /** The JDK's poller thread ends just after the watch service's close() returns. */
    private static void awaitNoWatchServiceThread() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_SECONDS);
        while (watchServiceThreads() > 0) {
            assertTrue(System.nanoTime() < deadline, "the watch service's thread is still running");
            Thread.sleep(5);
        }
    }

    private static void awaitSubscribed() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_SECONDS);
        while (DirectoryWatcher.shared().watchedDirectories() == 0) {
            assertTrue(System.nanoTime() < deadline, "the tail never subscribed to its directory");
            Thread.sleep(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
