package claude.code.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Test helper: what /proc (Linux) says about this JVM, its children and its descriptors. */
public final class Procfs {
    private Procfs() {}

    public static final long SELF = ProcessHandle.current().pid();

    /** The {@code /proc/<pid>/stat} fields the tests look at. */
    public record Stat(long pid, char state, long ppid, long pgrp, long session, int ttyNr, long tpgid) {}

    /** Empty once the process is gone. */
    public static Optional<Stat> stat(long pid) {
        String line;
        try {
            line = Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException e) {
            return Optional.empty(); // gone, or vanished while being read
        }
        // "pid (comm) state ppid pgrp session tty_nr tpgid ..."; comm may hold spaces and parens.
        String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        return Optional.of(new Stat(pid, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]),
                Long.parseLong(f[3]), Integer.parseInt(f[4]), Long.parseLong(f[5])));
    }

    /** Every process whose parent is this JVM. */
    public static List<Stat> childrenOfThisJvm() throws IOException {
        List<Stat> children = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    stat(Long.parseLong(name)).filter(s -> s.ppid() == SELF).ifPresent(children::add);
                }
            }
        }
        return children;
    }

    /** The pids of children of this JVM that exited and were never reaped. */
    public static List<Long> zombieChildren() throws IOException {
        return childrenOfThisJvm().stream().filter(s -> s.state() == 'Z').map(Stat::pid).toList();
    }

    /** Not running any more: gone, or a zombie (of whichever parent). */
    public static boolean isDead(long pid) {
        return stat(pid).map(s -> s.state() == 'Z').orElse(true);
    }

    /** Not our child any more: it was reaped (its number may have been reused). */
    public static boolean notOurChild(long pid) {
        return stat(pid).map(s -> s.ppid() != SELF).orElse(true);
    }

    /** Waits until {@code condition} holds or {@code timeout} passes; returns whether it holds (a hang guard). */
    public static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** What each descriptor of this JVM refers to, sorted, without the one used to list them. */
    public static List<String> descriptors() {
        List<String> targets = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (!(target.startsWith("/proc/") && target.endsWith("/fd"))) {
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

    /**
     * Descriptors by what sessions open: {@code pty} (masters and slaves), {@code pidfd},
     * {@code pipe}, {@code inotify} (one per WatchService), {@code jsonl} (transcripts). Sockets
     * and the rest are left out: a count over every descriptor of the JVM is not a leak check,
     * since other tests' servers and processes close theirs asynchronously.
     */
    public static Map<String, Long> sessionDescriptors() {
        Map<String, Long> counts = new TreeMap<>();
        for (String t : descriptors()) {
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
        return counts;
    }

    /** Descriptors of the kinds the PTY layer opens: terminal masters and slaves, and pidfds. */
    public static long terminalFdCount() {
        Map<String, Long> counts = sessionDescriptors();
        return counts.getOrDefault("pty", 0L) + counts.getOrDefault("pidfd", 0L);
    }

    /** Open inotify instances: one per open WatchService on Linux. */
    public static long inotifyCount() {
        return sessionDescriptors().getOrDefault("inotify", 0L);
    }

    /** The {@code flags:} of one of our descriptors, from /proc/self/fdinfo (octal open flags). */
    public static int fdFlags(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) {
                return Integer.parseInt(line.substring(6).trim(), 8);
            }
        }
        throw new IOException("no flags in /proc/self/fdinfo/" + fd);
    }
}
