package claude.code.api.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A private watcher per test, so the process-wide one is untouched. */
class DirectoryWatcherTest {
    private static final long HANG_GUARD_SECONDS = 10;

    @TempDir
    Path dir;

    private final DirectoryWatcher watcher = new DirectoryWatcher(FileSystems.getDefault());
    private final List<DirectoryWatcher.Subscription> subscriptions = new ArrayList<>();

    private DirectoryWatcher.Subscription subscribe(Path directory, String fileName, Runnable wake) throws IOException {
        DirectoryWatcher.Subscription s = watcher.subscribe(directory, Path.of(fileName), wake);
        subscriptions.add(s);
        return s;
    }

    @AfterEach
    void theWatcherStopsWithItsLastSubscription() {
        subscriptions.forEach(DirectoryWatcher.Subscription::close);
        assertFalse(watcher.isRunning(), "the watch service outlived its last subscription");
    }

    @Test
    void onlyTheSubscribersOfTheChangedFileAreWoken() throws Exception {
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        CountDownLatch c = new CountDownLatch(1);
        subscribe(dir, "a.jsonl", a::incrementAndGet);
        subscribe(dir, "b.jsonl", b::incrementAndGet);
        subscribe(dir, "c.jsonl", c::countDown);
        Files.writeString(dir.resolve("a.jsonl"), "x\n");
        Files.writeString(dir.resolve("c.jsonl"), "x\n");
        // Events are dispatched in order: once c is woken, a's event has been handled too.
        assertTrue(c.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
        assertTrue(a.get() >= 1, "a was woken");
        assertEquals(0, b.get(), "b's file did not change");
    }

    @Test
    void eachDirectoryIsRegisteredOnceAndTheServiceClosesWithTheLastSubscription() throws Exception {
        var first = subscribe(dir, "a.jsonl", () -> {});
        var second = subscribe(dir, "b.jsonl", () -> {});
        assertEquals(1, watcher.watchedDirectories());
        assertEquals(1, watcher.servicesCreated());
        first.close();
        assertTrue(watcher.isRunning(), "b still needs the service");
        second.close();
        assertFalse(watcher.isRunning());
        assertEquals(0, watcher.watchedDirectories());
    }

    @Test
    void twoSpellingsOfOneDirectoryShareOneRegistration() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        subscribe(real, "a.jsonl", () -> {});
        subscribe(link, "a.jsonl", () -> {});
        subscribe(real.resolve("../real"), "a.jsonl", () -> {});
        assertEquals(1, watcher.watchedDirectories());
    }

    @Test
    void aDirectoryThatDoesNotExistCannotBeSubscribedAndLeavesNothingRunning() {
        assertThrows(NoSuchFileException.class, () -> subscribe(dir.resolve("missing"), "a", () -> {}));
        assertFalse(watcher.isRunning());
    }

    @Test
    void aSubscriberThatThrowsDoesNotSilenceTheOthers() throws Exception {
        CountDownLatch woken = new CountDownLatch(2);
        subscribe(dir, "a.jsonl", () -> {
            throw new IllegalStateException("a subscriber's bug (logged; expected in this test)");
        });
        subscribe(dir, "a.jsonl", woken::countDown);
        Files.writeString(dir.resolve("a.jsonl"), "1\n");
        Files.writeString(dir.resolve("b.jsonl"), "other\n");
        Files.writeString(dir.resolve("a.jsonl"), "2\n");
        assertTrue(woken.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS), "the dispatcher survived the first failure");
    }

    @Test
    void closingASubscriptionTwiceIsHarmless() throws Exception {
        var first = subscribe(dir, "a.jsonl", () -> {});
        subscribe(dir, "a.jsonl", () -> {});
        first.close();
        first.close();
        assertTrue(watcher.isRunning(), "the second subscription (same file, same kind of callback) keeps the service");
    }

    @Test
    void aDirectoryRemovedAndMadeAgainIsWatchedAgain() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("project"));
        subscribe(sub, "a.jsonl", () -> {}); // keeps the registration alive across the removal
        Files.delete(sub);
        Files.createDirectories(sub);
        // The service learns of the removal asynchronously; until then a new subscription reuses
        // the old registration, so retry until one is woken (each try is a hang-guarded wait).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_SECONDS);
        boolean woken = false;
        for (int i = 0; !woken && System.nanoTime() < deadline; i++) {
            CountDownLatch latch = new CountDownLatch(1);
            var fresh = subscribe(sub, "b" + i + ".jsonl", latch::countDown);
            Files.writeString(sub.resolve("b" + i + ".jsonl"), "x\n");
            woken = latch.await(100, TimeUnit.MILLISECONDS);
            fresh.close();
        }
        assertTrue(woken, "no event from the directory made again");
        assertEquals(1, watcher.watchedDirectories());
    }
}
