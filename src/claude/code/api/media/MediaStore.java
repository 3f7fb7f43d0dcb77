package claude.code.api.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A backend's private directory of client media (images, PDFs) written so the CLI can read them
 * by path. Nothing a client sends reaches a path: names are random and the extension comes from a
 * fixed table of media types. The directory is created 0700 and each file 0600 at creation (never
 * widened first and narrowed after), a file is written only where nothing exists (so a planted
 * symlink is never followed), and {@link #close()} removes every entry and the directory.
 */
public final class MediaStore implements AutoCloseable {
    private static final Map<String, String> EXTENSIONS = Map.of("image/png", ".png", "image/jpeg", ".jpg",
            "image/gif", ".gif", "image/webp", ".webp", "application/pdf", ".pdf");
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final Supplier<String> names;
    private final Set<Path> written = new LinkedHashSet<>();
    private boolean closed;

    private MediaStore(Path directory, Supplier<String> names) {
        this.directory = directory;
        this.names = names;
    }

    /** A new store in a fresh directory under {@code tempRoot} (the backend's own temp root). */
    public static MediaStore create(Path tempRoot) throws IOException {
        return create(tempRoot, MediaStore::randomName);
    }

    /** As {@link #create(Path)}, naming files by {@code names} (tests plant entries at the next name). */
    static MediaStore create(Path tempRoot, Supplier<String> names) throws IOException {
        Path directory = Files.createDirectory(tempRoot.resolve("media-" + randomName()), DIRECTORY);
        return new MediaStore(directory, names);
    }

    /** The store's directory. */
    public Path directory() {
        return directory;
    }

    /**
     * Writes {@code bytes} to a new file of this store.
     *
     * @return the file's absolute path, with the extension of {@code mediaType}
     * @throws IllegalArgumentException when {@code mediaType} is not one of the media types of {@link claude.code.api.events.MediaCheck}
     * @throws IOException when the file cannot be created new (e.g. something was planted at its name)
     */
    public synchronized Path write(byte[] bytes, String mediaType) throws IOException {
        if (closed) {
            throw new IllegalStateException("the media store is closed");
        }
        String extension = EXTENSIONS.get(mediaType);
        if (extension == null) {
            throw new IllegalArgumentException("no file extension for media type " + mediaType);
        }
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the media directory is no longer a directory: " + directory);
        }
        Path file = directory.resolve(names.get() + extension);
        // CREATE_NEW fails on any existing entry, a symlink included, so nothing is ever followed
        try (SeekableByteChannel out = Files.newByteChannel(file, Set.<OpenOption>of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), FILE)) {
            written.add(file);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        } catch (IOException | RuntimeException e) {
            if (written.remove(file)) {
                Files.deleteIfExists(file);
            }
            throw e;
        }
        return file.toAbsolutePath();
    }

    /** Removes a file this store wrote (a turn no longer needs it); other paths are left alone. */
    public synchronized void remove(Path file) throws IOException {
        if (written.remove(file)) {
            Files.deleteIfExists(file);
        }
    }

    /** Removes every entry of the directory (links themselves, never their targets) and the directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        written.clear();
        try {
            if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                    for (Path entry : entries) {
                        Files.deleteIfExists(entry); // delete does not follow a symlink
                    }
                }
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the media directory " + directory, e);
        }
    }

    private static String randomName() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
