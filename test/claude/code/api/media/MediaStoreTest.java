package claude.code.api.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaStoreTest {
    @TempDir
    Path root;

    @Test
    void theDirectoryIsPrivateAndUnderTheBackendsTempRoot() throws IOException {
        try (MediaStore store = MediaStore.create(root)) {
            assertEquals(root, store.directory().getParent());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.directory())));
        }
    }

    @Test
    void aFileHoldsTheBytesIsPrivateAndHasARandomNameWithTheExtensionOfItsMediaType() throws IOException {
        byte[] bytes = {(byte) 0x89, 'P', 'N', 'G', 0};
        try (MediaStore store = MediaStore.create(root)) {
            Path a = store.write(bytes, "image/png");
            Path b = store.write(bytes, "image/png");
            assertTrue(a.isAbsolute());
            assertEquals(store.directory(), a.getParent());
            assertTrue(a.getFileName().toString().matches("[0-9a-f]{32}\\.png"), a.toString());
            assertNotEquals(a, b);
            assertArrayEquals(bytes, Files.readAllBytes(a));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(a)));
            assertTrue(store.write(bytes, "image/jpeg").toString().endsWith(".jpg"));
            assertTrue(store.write(bytes, "application/pdf").toString().endsWith(".pdf"));
        }
    }

    @Test
    void aMediaTypeOutsideTheTableNeverBecomesPartOfAName() throws IOException {
        try (MediaStore store = MediaStore.create(root)) {
            for (String hostile : new String[] {"image/../../etc/passwd", "../x", "image/png/../../y", "image/svg+xml", ""}) {
                assertThrows(IllegalArgumentException.class, () -> store.write(new byte[] {1}, hostile), hostile);
            }
            try (var entries = Files.list(store.directory())) {
                assertEquals(0, entries.count());
            }
        }
        try (var entries = Files.list(root)) {
            assertEquals(0, entries.count());
        }
    }

    @Test
    void aSymlinkPlantedAtTheNextNameIsNotFollowed() throws IOException {
        Path target = Files.writeString(root.resolve("outside.txt"), "keep");
        try (MediaStore store = MediaStore.create(root, () -> "planted")) {
            Files.createSymbolicLink(store.directory().resolve("planted.png"), target);
            assertThrows(FileAlreadyExistsException.class, () -> store.write(new byte[] {1, 2}, "image/png"));
            assertEquals("keep", Files.readString(target, StandardCharsets.UTF_8));
        }
        assertEquals("keep", Files.readString(target), "close removes the link, not its target");
    }

    @Test
    void aDirectoryReplacedByASymlinkIsNotWrittenThrough() throws IOException {
        Path elsewhere = Files.createDirectory(root.resolve("elsewhere"));
        MediaStore store = MediaStore.create(root);
        Files.delete(store.directory());
        Files.createSymbolicLink(store.directory(), elsewhere);
        assertThrows(IOException.class, () -> store.write(new byte[] {1}, "image/png"));
        store.close();
        assertTrue(Files.isDirectory(elsewhere));
        assertFalse(Files.exists(store.directory(), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void removeDeletesAFileTheStoreWroteAndNothingElse() throws IOException {
        Path other = Files.writeString(root.resolve("other.png"), "x");
        try (MediaStore store = MediaStore.create(root)) {
            Path file = store.write(new byte[] {1}, "image/gif");
            store.remove(file);
            assertFalse(Files.exists(file));
            store.remove(other);
            assertTrue(Files.exists(other));
        }
    }

    @Test
    void closeRemovesEveryFileAndTheDirectory() throws IOException {
        MediaStore store = MediaStore.create(root);
        Path a = store.write(new byte[] {1}, "image/webp");
        Files.createSymbolicLink(store.directory().resolve("planted"), root);
        store.close();
        assertFalse(Files.exists(a));
        assertFalse(Files.exists(store.directory(), LinkOption.NOFOLLOW_LINKS));
        assertThrows(IllegalStateException.class, () -> store.write(new byte[] {1}, "image/png"));
        assertTrue(Files.isDirectory(root));
    }
}
