package claude.code.api.transcript;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One {@link WatchService} for the whole process, shared by every {@link TranscriptTail}: a tail
 * subscribes to a file name in a directory and is woken when the directory reports an event for
 * that name. A session therefore costs no thread here; the process pays for one watch service (on
 * Linux one inotify descriptor and the JDK's one poller thread) plus one virtual thread that
 * dispatches its events, and only while at least one subscription is open.
 *
 * <p>Directories are registered once and reference-counted; the last subscription to close drops
 * the registration, and the last one overall closes the watch service and ends the dispatcher, so
 * nothing is left running when no tail is open.
 *
 * <p>Events are only hints: they may be coalesced, dropped ({@code OVERFLOW}) or, on some file
 * systems, never come. Subscribers must re-check the file themselves and poll as a fallback.
 */
final class DirectoryWatcher {
    private static final DirectoryWatcher SHARED = new DirectoryWatcher(FileSystems.getDefault());
    // A hang guard only: a closed watch service wakes the dispatcher at once.
    private static final Duration DISPATCHER_EXIT_TIMEOUT = Duration.ofSeconds(5);

    private final FileSystem fileSystem;
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock. The key map is also read, without the lock, by the dispatcher.
    private WatchService service;
    private Thread dispatcher;
    private final Map<Path, Directory> directories = new HashMap<>();
    private final Map<WatchKey, Directory> byKey = new ConcurrentHashMap<>();
    private int servicesCreated;

    DirectoryWatcher(FileSystem fileSystem) {
        this.fileSystem = fileSystem;
    }

    /** The process-wide instance. */
    static DirectoryWatcher shared() {
        return SHARED;
    }

    /** An open interest in one file name of a directory; closing it is idempotent. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Calls {@code wake} (on the dispatcher thread; it must return at once) whenever the directory
     * reports an event for {@code fileName}, or an overflow.
     *
     * @param directory an existing directory
     * @throws java.nio.file.NoSuchFileException if the directory does not exist (yet)
     * @throws IOException if it cannot be watched
     */
    Subscription subscribe(Path directory, Path fileName, Runnable wake) throws IOException {
        // The real path: the watch service keys directories by inode, so two spellings of one
        // directory must share one entry, or cancelling one would silence the other.
        Path dir = directory.toRealPath();
        Path name = fileName.getFileName();
        lock.lock();
        try {
            Directory entry = directories.get(dir);
            if (entry == null) {
                entry = new Directory(dir, register(dir));
                directories.put(dir, entry);
                byKey.put(entry.key, entry);
            } else if (!entry.key.isValid()) {
                // The directory was removed (which cancels its key) and made again: watch the new one.
                byKey.remove(entry.key);
                entry.key = register(dir);
                byKey.put(entry.key, entry);
            }
            Listener listener = new Listener(name, wake);
            entry.add(listener);
            Directory subscribed = entry;
            return () -> unsubscribe(subscribed, listener);
        } finally {
            lock.unlock();
        }
    }

    /** Directories currently registered (for tests and metrics). */
    int watchedDirectories() {
        lock.lock();
        try {
            return directories.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a watch service is open (for tests and metrics). */
    boolean isRunning() {
        lock.lock();
        try {
            return service != null;
        } finally {
            lock.unlock();
        }
    }

    /** How many watch services this instance has opened over its life (for tests). */
    int servicesCreated() {
        lock.lock();
        try {
            return servicesCreated;
        } finally {
            lock.unlock();
        }
    }

    private void unsubscribe(Directory entry, Listener listener) {
        Thread stopped = null;
        lock.lock();
        try {
            if (!entry.remove(listener) || !entry.isEmpty()) {
                return;
            }
            entry.key.cancel();
            byKey.remove(entry.key);
            directories.remove(entry.path);
            stopped = stopServiceIfIdle();
        } finally {
            lock.unlock();
        }
        // Joined outside the lock: the dispatcher may be waiting for it.
        if (stopped != null && stopped != Thread.currentThread()) {
            try {
                stopped.join(DISPATCHER_EXIT_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the dispatcher ends on its own; keep the caller's interrupt
            }
        }
    }

    private WatchKey register(Path dir) throws IOException {
        WatchService ws = ensureService();
        try {
            return dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | RuntimeException e) {
            stopServiceIfIdle(); // its dispatcher ends by itself once the service is closed
            throw e;
        }
    }

    private WatchService ensureService() throws IOException {
        if (service == null) {
            WatchService ws = fileSystem.newWatchService();
            service = ws;
            servicesCreated++;
            dispatcher = Thread.ofVirtual().name("transcript-watch-dispatcher").start(() -> dispatch(ws));
        }
        return service;
    }

    /** Closes the watch service when nothing is watched; returns the dispatcher to join, if any. */
    private Thread stopServiceIfIdle() {
        if (!directories.isEmpty() || service == null) {
            return null;
        }
        try {
            service.close();
        } catch (IOException e) {
            // The service is unusable either way; a new one is opened on the next subscription.
            System.getLogger(DirectoryWatcher.class.getName()).log(System.Logger.Level.WARNING,
                    "closing the transcript watch service failed", e);
        }
        Thread stopped = dispatcher;
        service = null;
        dispatcher = null;
        return stopped;
    }

    private void dispatch(WatchService ws) {
        try {
            while (true) {
                WatchKey key = ws.take();
                List<WatchEvent<?>> events = key.pollEvents();
                // Reset before waking anyone so that events raised while they read are queued again.
                key.reset();
                Directory entry = byKey.get(key);
                if (entry != null) {
                    for (WatchEvent<?> event : events) {
                        if (event.context() instanceof Path name) {
                            entry.wake(name);
                        } else {
                            entry.wakeAll(); // OVERFLOW: events were lost, every subscriber re-checks
                        }
                    }
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed by stopServiceIfIdle: nothing is watched any more
        }
    }

    /** One subscription; compared by identity, so the same callback may subscribe twice. */
    private static final class Listener {
        private final Path fileName;
        private final Runnable wake;

        Listener(Path fileName, Runnable wake) {
            this.fileName = fileName;
            this.wake = wake;
        }

        Path fileName() {
            return fileName;
        }

        /** Runs the callback; one that throws must not end the dispatcher that serves every tail. */
        void wakeQuietly() {
            try {
                wake.run();
            } catch (RuntimeException e) {
                System.getLogger(DirectoryWatcher.class.getName()).log(System.Logger.Level.ERROR,
                        "a watch subscriber for " + fileName + " failed", e);
            }
        }
    }

    /** A registered directory and its subscribers, by file name. */
    private static final class Directory {
        final Path path;
        WatchKey key; // guarded by the watcher's lock
        private final Map<Path, Set<Listener>> byName = new ConcurrentHashMap<>();
        private int count; // guarded by the watcher's lock

        Directory(Path path, WatchKey key) {
            this.path = path;
            this.key = key;
        }

        void add(Listener listener) {
            byName.computeIfAbsent(listener.fileName(), n -> new CopyOnWriteArraySet<>()).add(listener);
            count++;
        }

        boolean remove(Listener listener) {
            Set<Listener> set = byName.get(listener.fileName());
            if (set == null || !set.remove(listener)) {
                return false;
            }
            if (set.isEmpty()) {
                byName.remove(listener.fileName());
            }
            count--;
            return true;
        }

        boolean isEmpty() {
            return count == 0;
        }

        void wake(Path name) {
            Set<Listener> set = byName.get(name);
            if (set != null) {
                set.forEach(Listener::wakeQuietly);
            }
        }

        void wakeAll() {
            byName.values().forEach(set -> set.forEach(Listener::wakeQuietly));
        }
    }
}
