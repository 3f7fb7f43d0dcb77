package claude.code.api.pty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Test helper: what /proc says about this JVM and its children. */
final class Procfs {
    private Procfs() {}

    static final long SELF = ProcessHandle.current().pid();

    /** {@code /proc/<pid>/stat} fields we look at. */
    record Stat(long pid, char state, long ppid, long pgrp, long session, int ttyNr, long tpgid) {}

    static Optional<Stat> stat(long pid) {
        String line;
        try {
            line = Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // vanished while being read
        }
        // "pid (comm) state ppid pgrp session tty_nr tpgid ..."; comm may hold spaces and parens.
        String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        return Optional.of(new Stat(pid, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]),
                Long.parseLong(f[3]), Integer.parseInt(f[4]), Long.parseLong(f[5])));
    }

    /** Every process whose parent is this JVM. */
    static List<Stat> childrenOfThisJvm() throws IOException {
        List<Stat> children = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                stat(Long.parseLong(name)).filter(s -> s.ppid() == SELF).ifPresent(children::add);
            }
        }
        return children;
    }

    static List<Stat> zombieChildren() throws IOException {
        return childrenOfThisJvm().stream().filter(s -> s.state() == 'Z').toList();
    }

    /** True if {@code pid} is not a live process any more (gone, or a zombie some other parent holds). */
    static boolean isGoneOrDead(long pid) {
        return stat(pid).map(s -> s.state() == 'Z' && s.ppid() != SELF).orElse(true);
    }

    /** True if {@code pid} is not our child any more: it was reaped (its number may have been reused). */
    static boolean notOurChild(long pid) {
        return stat(pid).map(s -> s.ppid() != SELF).orElse(true);
    }

    /**
     * Descriptors of the kinds the PTY layer opens: terminal masters and slaves, and pidfds. A
     * count over every descriptor of the JVM is not a leak check: other tests' servers, watchers
     * and processes close theirs asynchronously, so the total drifts while a test runs.
     */
    static long terminalFdCount() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(Procfs::linkTarget)
                    .filter(t -> t.equals("/dev/ptmx") || t.startsWith("/dev/pts/") || t.equals("anon_inode:[pidfd]"))
                    .count();
        }
    }

    private static String linkTarget(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return ""; // closed between listing and reading: not ours to count
        }
    }

    /** The {@code flags:} of one of our descriptors, from /proc/self/fdinfo (octal open flags). */
    static int fdFlags(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) return Integer.parseInt(line.substring(6).trim(), 8);
        }
        throw new IOException("no flags in /proc/self/fdinfo/" + fd);
    }
}
