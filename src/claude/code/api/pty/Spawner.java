package claude.code.api.pty;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Opens a pseudo-terminal and starts a child on it with {@code posix_spawn} — no fork of the JVM.
 *
 * <p><b>The master</b> comes from {@code posix_openpt(O_RDWR|O_NOCTTY|O_CLOEXEC)}: close-on-exec from
 * the first instant, so no process spawned concurrently by another thread (a {@code ProcessBuilder},
 * another PTY) can inherit it. We never open the slave in the JVM at all: the child opens it by path
 * as a file action. That avoids {@code openpty}'s window in which both of its descriptors exist
 * without FD_CLOEXEC, and there is no parent slave descriptor to forget (one would keep the master
 * from ever reading EOF).
 *
 * <p><b>The child</b> is set up entirely by spawn attributes and file actions, which glibc carries out
 * in the child between its clone and its exec:
 * <ul>
 *   <li>{@code POSIX_SPAWN_SETSID}: a new session, so the child is session and process-group leader
 *       (pgid == pid, which lets us signal the whole group) and has no controlling terminal yet;
 *   <li>open the slave path as fd 0 without O_NOCTTY: a session leader without a controlling
 *       terminal that opens a tty acquires it (Linux), then dup2 0 to 1 and 2;
 *   <li>{@code POSIX_SPAWN_SETSIGMASK} with an empty mask and {@code POSIX_SPAWN_SETSIGDEF} with every
 *       signal (glibc's internal ones included): the JVM's blocked and ignored signals do not leak
 *       into the child;
 *   <li>{@code addchdir_np} for the working directory;
 *   <li>{@code addclosefrom_np(3)} so the child inherits none of the JVM's descriptors (the JDK opens
 *       many without close-on-exec). Without it (glibc before 2.34) we list /proc/self/fd at spawn
 *       time and add one close per descriptor from 3 up. That fallback has a window: a descriptor
 *       another thread opens without O_CLOEXEC between the listing and the spawn reaches the child.
 *       (glibc ignores a close action on a descriptor that is already closed.)
 * </ul>
 */
final class Spawner {
    private Spawner() {}

    /** glibc's execvp default when the environment has no PATH. */
    static final String DEFAULT_PATH = "/bin:/usr/bin";

    record Spawned(int pid, int master, String slavePath) {}

    /**
     * @param useClosefrom false forces the /proc/self/fd fallback (tests use this to exercise it here)
     */
    static Spawned spawn(PtySpec spec, boolean useClosefrom) throws IOException {
        Map<String, String> env = spec.effectiveEnvironment();
        String program = resolveProgram(spec.command().getFirst(), env.getOrDefault("PATH", DEFAULT_PATH), spec.directory());
        if (!Files.isDirectory(spec.directory())) {
            throw new IOException("posix_spawn(" + spec.command().getFirst() + "): working directory "
                    + spec.directory() + " is not a directory");
        }
        int master = LibC.posixOpenpt(Platform.O_RDWR | Platform.O_NOCTTY | Platform.O_CLOEXEC);
        try {
            LibC.grantpt(master);
            LibC.unlockpt(master);
            String slave = LibC.ptsname(master);
            // Set before the child exists, so its very first look at the terminal sees the right size.
            LibC.setWindowSize(master, spec.columns(), spec.rows());
            // Non-blocking: the poll loop must never block in read, and writers must never block in
            // write (that would pin a virtual thread's carrier) — they wait for POLLOUT instead.
            LibC.fcntl(master, Platform.F_SETFL, LibC.fcntl(master, Platform.F_GETFL, 0) | Platform.O_NONBLOCK);
            int pid = spawnOn(slave, program, spec, env, useClosefrom && LibC.hasAddClosefrom());
            return new Spawned(pid, master, slave);
        } catch (IOException | RuntimeException | Error e) {
            try {
                LibC.close(master);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static int spawnOn(String slave, String program, PtySpec spec, Map<String, String> env,
            boolean closefrom) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(Platform.SPAWNATTR_SIZE, Platform.OPAQUE_ALIGN);
            MemorySegment actions = arena.allocate(Platform.FILE_ACTIONS_SIZE, Platform.OPAQUE_ALIGN);
            LibC.spawnattrInit(attr);
            try {
                LibC.fileActionsInit(actions);
                try {
                    LibC.spawnattrSetflags(attr, (short) (Platform.POSIX_SPAWN_SETSID
                            | Platform.POSIX_SPAWN_SETSIGMASK | Platform.POSIX_SPAWN_SETSIGDEF));
                    MemorySegment noSignals = arena.allocate(Platform.SIGSET_SIZE, 8);
                    LibC.sigemptyset(noSignals);
                    LibC.spawnattrSetsigmask(attr, noSignals);
                    MemorySegment allSignals = arena.allocate(Platform.SIGSET_SIZE, 8);
                    LibC.sigfillset(allSignals);
                    // glibc's sigfillset leaves out its two internal signals (32, 33), and its posix_spawn
                    // then sets exactly those to SIG_IGN in the child — an ignored disposition survives
                    // exec. Adding them by hand (on Linux, signal n is bit n-1 of the set's first word)
                    // makes the child start with every disposition at its default.
                    allSignals.set(JAVA_LONG, 0, allSignals.get(JAVA_LONG, 0) | Platform.SIGSET_FIRST_WORD_ALL);
                    LibC.spawnattrSetsigdefault(attr, allSignals);

                    LibC.fileActionsAddopen(actions, 0, NativeMemory.cString(arena, slave), Platform.O_RDWR, 0);
                    LibC.fileActionsAdddup2(actions, 0, 1);
                    LibC.fileActionsAdddup2(actions, 0, 2);
                    LibC.fileActionsAddchdir(actions, NativeMemory.cString(arena, spec.directory().toString()));
                    if (closefrom) {
                        LibC.fileActionsAddclosefrom(actions, 3);
                    } else {
                        for (int fd : openDescriptors()) {
                            if (fd > 2) LibC.fileActionsAddclose(actions, fd);
                        }
                    }
                    MemorySegment argv = NativeMemory.cStringArray(arena, spec.command());
                    List<String> envStrings = new ArrayList<>(env.size());
                    env.forEach((k, v) -> envStrings.add(k + "=" + v));
                    MemorySegment envp = NativeMemory.cStringArray(arena, envStrings);
                    return LibC.posixSpawn(spec.command().getFirst(), NativeMemory.cString(arena, program), actions, attr, argv, envp);
                } finally {
                    LibC.fileActionsDestroy(actions);
                }
            } finally {
                LibC.spawnattrDestroy(attr);
            }
        }
    }

    /** The descriptors open in this process now (the listing's own descriptor included; it is closed by then). */
    static List<Integer> openDescriptors() throws IOException {
        List<Integer> fds = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of(Platform.SELF_FD_DIR))) {
            for (Path p : dir) fds.add(Integer.parseInt(p.getFileName().toString()));
        }
        return fds;
    }

    /**
     * The program to execute. A name with a slash is used as given (relative to the child's working
     * directory, since the chdir action runs before the exec); a bare name is searched on the child's
     * PATH here in Java — like execvp, but against the child's environment, not the JVM's, and with
     * an error that says what was searched.
     */
    static String resolveProgram(String name, String path, Path directory) throws IOException {
        if (name.indexOf('/') >= 0) return name;
        for (String entry : path.split(":", -1)) {
            Path candidate = directory.resolve(entry.isEmpty() ? "." : entry).resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate.toString();
        }
        throw new IOException("posix_spawn(" + name + "): no executable named " + name + " on PATH " + path);
    }
}
