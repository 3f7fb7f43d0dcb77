package claude.code.api.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Test helper: what /proc says about processes, to check that everything started was reaped. */
final class Processes {
    private Processes() {}

    static final long SELF = ProcessHandle.current().pid();

    /** {@code state} and {@code ppid} from {@code /proc/<pid>/stat}; empty once the process is gone. */
    record Stat(long pid, char state, long ppid) {}

    static Optional<Stat> stat(long pid) {
        String line;
        try {
            line = Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // vanished while being read
        }
        String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        return Optional.of(new Stat(pid, f[0].charAt(0), Long.parseLong(f[1])));
    }

    /** Not running any more: gone, or a zombie (of whichever parent). */
    static boolean isDead(long pid) {
        return stat(pid).map(s -> s.state() == 'Z').orElse(true);
    }

    /** Reaped by this JVM: gone, or (its number reused) no longer our child. */
    static boolean isReaped(long pid) {
        return stat(pid).map(s -> s.ppid() != SELF).orElse(true);
    }

    /** Children of this JVM that exited and were never reaped. */
    static List<Long> zombieChildren() throws IOException {
        List<Long> zombies = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    stat(Long.parseLong(name)).filter(s -> s.ppid() == SELF && s.state() == 'Z')
                            .ifPresent(s -> zombies.add(s.pid()));
                }
            }
        }
        return zombies;
    }

    /** Waits until {@code condition} holds or {@code timeout} passes; returns whether it holds (a hang guard). */
    static boolean await(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Descriptors of this JVM by what sessions open (PTYs, pidfds, pipes, inotify, transcripts); sockets left out. */
    static java.util.Map<String, Long> sessionDescriptors() throws IOException {
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                String t;
                try {
                    t = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed meanwhile
                }
                String kind = t.equals("/dev/ptmx") || t.startsWith("/dev/pts/") ? "pty"
                        : t.contains("pidfd") ? "pidfd"
                        : t.startsWith("pipe:") ? "pipe"
                        : t.contains("inotify") ? "inotify"
                        : t.endsWith(".jsonl") ? "jsonl"
                        : null;
                if (kind != null) {
                    counts.merge(kind, 1L, Long::sum);
                }
            }
        }
        return counts;
    }
}
