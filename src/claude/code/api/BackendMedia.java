package claude.code.api;

import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.ImageBlock;
import claude.code.api.events.MediaCheck;
import claude.code.api.events.MediaSource;
import claude.code.api.events.ResultMessage;
import claude.code.api.media.MediaStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A backend's client images on disk: one {@link MediaStore} (made at the first image, removed by
 * {@link #close()}), a file per image of a turn, removed when that turn ends. The CLI keeps an
 * attached image in its own history once the prompt is sent (measured: the next turn's request
 * still held it after the file was deleted, docs/CLI-BEHAVIOUR.md#images), so a file is needed only
 * while its turn runs.
 */
final class BackendMedia implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BackendMedia.class.getName());

    private final Path root;
    private final ReentrantLock lock = new ReentrantLock();
    private MediaStore store; // guarded by lock
    private boolean closed; // guarded by lock

    /** @param root where the store's directory is made (the JVM's temporary directory) */
    BackendMedia(Path root) {
        this.root = root;
    }

    /** The store's directory, once an image was written. */
    Optional<Path> directory() {
        lock.lock();
        try {
            return Optional.ofNullable(store).map(MediaStore::directory);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes each image (already checked by {@link Conversation#of}) to a new private file.
     *
     * @return the files, in the order of {@code images}
     */
    List<Path> write(List<ImageBlock> images) throws IOException {
        if (images.isEmpty()) {
            return List.of();
        }
        List<Path> files = new ArrayList<>(images.size());
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the backend is closed");
            }
            if (store == null) {
                store = MediaStore.create(root);
            }
            try {
                for (int i = 0; i < images.size(); i++) {
                    ImageBlock image = images.get(i);
                    byte[] bytes = MediaCheck.decode(image, "image " + i);
                    files.add(store.write(bytes, ((MediaSource.Base64) image.source()).mediaType()));
                }
            } catch (IOException | RuntimeException e) {
                remove(files);
                throw e;
            }
        } finally {
            lock.unlock();
        }
        return List.copyOf(files);
    }

    /** Removes the files of a turn that no longer needs them. */
    void remove(List<Path> files) {
        if (files.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            if (store == null || closed) {
                return; // close() removed them
            }
            for (Path file : files) {
                try {
                    store.remove(file);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not remove a media file: " + e.getMessage());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code turn}, removing {@code files} when its result has been read or it is closed. */
    EventStream removingAfter(EventStream turn, List<Path> files) {
        if (files.isEmpty()) {
            return turn;
        }
        AtomicBoolean removed = new AtomicBoolean();
        Runnable removeOnce = () -> {
            if (removed.compareAndSet(false, true)) {
                remove(files);
            }
        };
        return new EventStream() {
            @Override
            public boolean hasNext() {
                boolean more = turn.hasNext();
                if (!more) {
                    removeOnce.run();
                }
                return more;
            }

            @Override
            public Event next() {
                Event event = turn.next();
                if (event instanceof ResultMessage) {
                    removeOnce.run();
                }
                return event;
            }

            @Override
            public boolean awaitNext(Duration timeout) {
                return turn.awaitNext(timeout);
            }

            @Override
            public void close() {
                try {
                    turn.close();
                } finally {
                    removeOnce.run();
                }
            }
        };
    }

    /** Removes the store's directory and every file in it. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (store != null) {
                store.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
