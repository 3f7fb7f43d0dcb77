package claude.code.api.transcript;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The open file descriptors of this process, from {@code /proc/self/fd} (Linux). */
final class ProcFds {
    private static final Path FD_DIR = Path.of("/proc/self/fd");

    private ProcFds() {}

    /** What each descriptor refers to, sorted, without the one used to list them. */
    static List<String> list() {
        List<String> targets = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FD_DIR)) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    boolean listing = target.startsWith("/proc/") && target.endsWith("/fd");
                    if (!listing) {
                        targets.add(target);
                    }
                } catch (NoSuchFileException e) {
                    // closed while listing (the listing's own descriptor, or another thread's)
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        targets.sort(null);
        return targets;
    }

    /** Open inotify instances: one per open WatchService on Linux. */
    static long inotifyCount() {
        return list().stream().filter("anon_inode:inotify"::equals).count();
    }
}
