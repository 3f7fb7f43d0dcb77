package claude.code.api.pty;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The few libc functions the PTY needs, bound through {@code java.lang.foreign}.
 *
 * <p>Conventions, so callers never see a raw errno: functions that report failure through
 * errno capture it ({@link Linker.Option#captureCallState}), retry on EINTR where a retry is
 * correct, and throw an {@link IOException} naming the call and the errno text, e.g.
 * {@code "posix_openpt: No such device (errno 19)"}. The two calls whose failures the poll loop
 * handles as normal events ({@link #read} and {@link #write} on a non-blocking fd) return
 * {@code -errno} instead of throwing, because EAGAIN and EIO are expected there and an exception
 * per event would be wasteful. Functions of the posix_spawn family return an error number
 * instead of setting errno; those are checked with {@link #check}.
 *
 * <p>Every call here must be non-blocking or short: a downcall pins the carrier of a virtual
 * thread for its duration. The one blocking call, {@link #poll}, runs only on the PTY poller's
 * platform thread; {@link #pollNow} has a zero timeout (it returns at once, after the kernel's own
 * short work: see {@link PtyProcess#unreadInput()}).
 *
 * <p>This is the only class that uses restricted FFM methods (downcall handles, one reinterpret of
 * a C string), hence the suppression. Running it needs {@code --enable-native-access} for this
 * module (or ALL-UNNAMED on the class path); the jar's manifest says so for {@code java -jar}.
 * On JDK 21, where this API is a preview, it also needs {@code --enable-preview}; the source uses
 * only what 21's preview and 22's final API share (see {@link NativeMemory}).
 */
@SuppressWarnings("restricted")
final class LibC {
    private LibC() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    /**
     * errno is read by byte offset, not through a layout VarHandle: such a handle takes an extra
     * base-offset coordinate on JDK 22 and none on 21, so no one call to it works on both.
     */
    private static final long ERRNO_OFFSET = CAPTURE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    static {
        Platform.requireSupported();
    }

    private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsupportedOperationException("libc has no " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    private static MethodHandle bindOptional(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LIBC.find(name).map(symbol -> LINKER.downcallHandle(symbol, fd, options)).orElse(null);
    }

    // --- errno-setting calls ------------------------------------------------------------------
    private static final MethodHandle POSIX_OPENPT =
            bind("posix_openpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle GRANTPT =
            bind("grantpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle UNLOCKPT =
            bind("unlockpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle FCNTL_INT = bind("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_PTR = bind("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_INT = bind("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle OPEN = bind("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle PIPE2 =
            bind("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle READ =
            bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle WRITE =
            bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle CLOSE =
            bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle POLL =
            bind("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle KILL =
            bind("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle WAITID = bind("waitid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle WAITPID =
            bind("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle SIGEMPTYSET =
            bind("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle SIGFILLSET =
            bind("sigfillset", FunctionDescriptor.of(JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    /** glibc 2.36+ has a wrapper; older glibc gets the raw syscall below. */
    private static final MethodHandle PIDFD_OPEN =
            bindOptional("pidfd_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle SYSCALL_2 = bind("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));

    // --- calls that return an error number -----------------------------------------------------
    private static final MethodHandle PTSNAME_R =
            bind("ptsname_r", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle STRERROR = bind("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle SPAWNATTR_INIT =
            bind("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SPAWNATTR_DESTROY =
            bind("posix_spawnattr_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SPAWNATTR_SETFLAGS =
            bind("posix_spawnattr_setflags", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final MethodHandle SPAWNATTR_SETSIGMASK =
            bind("posix_spawnattr_setsigmask", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SPAWNATTR_SETSIGDEFAULT =
            bind("posix_spawnattr_setsigdefault", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle FA_INIT =
            bind("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_DESTROY =
            bind("posix_spawn_file_actions_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_ADDOPEN = bind("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FA_ADDDUP2 = bind("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FA_ADDCLOSE = bind("posix_spawn_file_actions_addclose",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    /** glibc 2.29+. */
    private static final MethodHandle FA_ADDCHDIR = bindOptional("posix_spawn_file_actions_addchdir_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    /** glibc 2.34+; {@link Spawner} falls back to one addclose per open fd without it. */
    private static final MethodHandle FA_ADDCLOSEFROM = bindOptional("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle POSIX_SPAWN = bind("posix_spawn",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

    static boolean hasAddClosefrom() {
        return FA_ADDCLOSEFROM != null;
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** {@code "call: text (errno n)"}, the form of every failure this package reports. */
    static IOException error(String call, int errno) {
        return new IOException(call + ": " + strerror(errno) + " (errno " + errno + ")");
    }

    static String strerror(int errno) {
        try {
            // glibc's strerror is thread-safe since 2.32 (static strings, a thread-local buffer for
            // unknown numbers); we copy the text out at once.
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? "unknown error" : NativeMemory.readCString(text.reinterpret(1024));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** For the spawn family, which returns 0 or an error number. */
    static void check(String call, int result) throws IOException {
        if (result != 0) throw error(call, result);
    }

    private static int errno(MemorySegment capture) {
        return capture.get(JAVA_INT, ERRNO_OFFSET);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }

    // --- the calls -----------------------------------------------------------------------------

    static int posixOpenpt(int flags) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            int fd = (int) POSIX_OPENPT.invokeExact(capture, flags);
            if (fd < 0) throw error("posix_openpt", errno(capture));
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void grantpt(int fd) throws IOException {
        intCall("grantpt", GRANTPT, fd);
    }

    static void unlockpt(int fd) throws IOException {
        intCall("unlockpt", UNLOCKPT, fd);
    }

    private static void intCall(String name, MethodHandle handle, int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            if ((int) handle.invokeExact(capture, fd) != 0) throw error(name, errno(capture));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static String ptsname(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(128);
            check("ptsname_r", (int) PTSNAME_R.invokeExact(fd, buf, buf.byteSize()));
            return NativeMemory.readCString(buf);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** fcntl(fd, cmd, arg) for the integer-argument commands. */
    static int fcntl(int fd, int cmd, int arg) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            while (true) {
                int r = (int) FCNTL_INT.invokeExact(capture, fd, cmd, arg);
                if (r >= 0) return r;
                int errno = errno(capture);
                if (errno != Platform.EINTR) throw error("fcntl", errno);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** ioctl(fd, TIOCSWINSZ) with {@code struct winsize {rows, cols, xpixel, ypixel}}. */
    static void setWindowSize(int fd, int columns, int rows) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            MemorySegment ws = arena.allocate(8, 2);
            ws.set(JAVA_SHORT, 0, (short) rows);
            ws.set(JAVA_SHORT, 2, (short) columns);
            while (true) {
                int r = (int) IOCTL_PTR.invokeExact(capture, fd, Platform.TIOCSWINSZ, ws);
                if (r == 0) return;
                int errno = errno(capture);
                if (errno != Platform.EINTR) throw error("ioctl(TIOCSWINSZ)", errno);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * A new descriptor for the slave side of the terminal whose master is {@code master}, opened
     * read-only, O_NOCTTY (never becomes our controlling terminal), non-blocking and close-on-exec:
     * {@code ioctl(master, TIOCGPTPEER)} (Linux 4.13+; no path, so it works whatever /dev/pts is
     * mounted), else {@code open(ptsname(master))}.
     */
    static int openSlave(int master) throws IOException {
        int flags = Platform.O_RDONLY | Platform.O_NOCTTY | Platform.O_NONBLOCK | Platform.O_CLOEXEC;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            int errno;
            while (true) {
                int fd = (int) IOCTL_INT.invokeExact(capture, master, Platform.TIOCGPTPEER, flags);
                if (fd >= 0) return fd;
                errno = errno(capture);
                if (errno != Platform.EINTR) break;
            }
            if (errno != Platform.EINVAL && errno != Platform.ENOTTY) throw error("ioctl(TIOCGPTPEER)", errno);
            String slavePath = ptsname(master);
            MemorySegment path = NativeMemory.cString(arena, slavePath);
            while (true) {
                int fd = (int) OPEN.invokeExact(capture, path, flags, 0);
                if (fd >= 0) return fd;
                errno = errno(capture);
                if (errno != Platform.EINTR) throw error("open(" + slavePath + ")", errno);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** ioctl(fd, FIONREAD): the number of bytes a read on {@code fd} would find waiting. */
    static int bytesReadable(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            MemorySegment count = arena.allocate(JAVA_INT);
            while (true) {
                int r = (int) IOCTL_PTR.invokeExact(capture, fd, Platform.FIONREAD, count);
                if (r == 0) return count.get(JAVA_INT, 0);
                int errno = errno(capture);
                if (errno != Platform.EINTR) throw error("ioctl(FIONREAD)", errno);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** pipe2(flags); returns {read end, write end}. */
    static int[] pipe2(int flags) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            MemorySegment fds = NativeMemory.intArray(arena, 2);
            if ((int) PIPE2.invokeExact(capture, fds, flags) != 0) throw error("pipe2", errno(capture));
            return new int[] {NativeMemory.intAt(fds, 0), NativeMemory.intAt(fds, 1)};
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** read(2), EINTR retried; returns the count, or {@code -errno} (EAGAIN and EIO are normal on a master). */
    static long read(int fd, MemorySegment buf, long count) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            while (true) {
                long n = (long) READ.invokeExact(capture, fd, buf, count);
                if (n >= 0) return n;
                int errno = errno(capture);
                if (errno != Platform.EINTR) return -errno;
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** write(2), EINTR retried; returns the count, or {@code -errno}. */
    static long write(int fd, MemorySegment buf, long count) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            while (true) {
                long n = (long) WRITE.invokeExact(capture, fd, buf, count);
                if (n >= 0) return n;
                int errno = errno(capture);
                if (errno != Platform.EINTR) return -errno;
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * close(2). Never retried: on Linux the descriptor is released even when close reports
     * EINTR, and a retry could close a descriptor another thread has just been given.
     */
    static void close(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            if ((int) CLOSE.invokeExact(capture, fd) != 0) {
                int errno = errno(capture);
                if (errno != Platform.EINTR) throw error("close(" + fd + ")", errno);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** poll(2); returns the number of ready entries, 0 on timeout or EINTR (the caller loops anyway). */
    static int poll(MemorySegment fds, long count, int timeoutMillis) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            int n = (int) POLL.invokeExact(capture, fds, count, timeoutMillis);
            if (n >= 0) return n;
            int errno = errno(capture);
            if (errno == Platform.EINTR) return 0;
            throw error("poll", errno);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** poll(2) with a zero timeout, EINTR retried: the number of ready entries, 0 only if none is. */
    static int pollNow(MemorySegment fds, long count) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            while (true) {
                int n = (int) POLL.invokeExact(capture, fds, count, 0);
                if (n >= 0) return n;
                int errno = errno(capture);
                if (errno != Platform.EINTR) throw error("poll", errno);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * kill(2); a negative pid addresses a process group. Returns false on ESRCH (no such process
     * or group left), which callers racing with an exit must expect.
     */
    static boolean kill(int pid, int signal) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            if ((int) KILL.invokeExact(capture, pid, signal) == 0) return true;
            int errno = errno(capture);
            if (errno == Platform.ESRCH) return false;
            throw error("kill(" + pid + ", " + signal + ")", errno);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Has our child {@code pid} terminated? Uses {@code waitid(P_PID, pid, WEXITED|WNOHANG|WNOWAIT)}:
     * the status is read but the child is <em>not</em> reaped, so its pid (and so its process
     * group id) cannot be reused until {@link #reap} is called.
     *
     * @return the exit code (the status, or 128 + signal number), or -1 while it still runs
     */
    static int peekExit(int pid) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            MemorySegment info = arena.allocate(Platform.SIGINFO_SIZE, 8);
            int options = Platform.WEXITED | Platform.WNOHANG | Platform.WNOWAIT;
            while (true) {
                int r = (int) WAITID.invokeExact(capture, Platform.P_PID, pid, info, options);
                if (r == 0) break;
                int errno = errno(capture);
                if (errno != Platform.EINTR) throw error("waitid(" + pid + ")", errno);
            }
            if (info.get(JAVA_INT, Platform.SIGINFO_PID) != pid) return -1; // WNOHANG: no change yet
            int code = info.get(JAVA_INT, Platform.SIGINFO_CODE);
            int status = info.get(JAVA_INT, Platform.SIGINFO_STATUS);
            return code == Platform.CLD_EXITED ? status : 128 + status; // CLD_KILLED / CLD_DUMPED: status is the signal
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** waitpid(pid, WNOHANG) on our own child only (never -1); true once it is reaped. */
    static boolean reap(int pid) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            MemorySegment status = arena.allocate(JAVA_INT);
            while (true) {
                int r = (int) WAITPID.invokeExact(capture, pid, status, Platform.WNOHANG);
                if (r >= 0) return r == pid;
                int errno = errno(capture);
                if (errno != Platform.EINTR) throw error("waitpid(" + pid + ")", errno);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * pidfd_open(pid, 0): a descriptor that polls readable when the process terminates (Linux
     * 5.3+, always close-on-exec). Returns -1 where the kernel has no pidfd (ENOSYS); the caller
     * then polls {@link #peekExit} on a timer instead.
     */
    static int pidfdOpen(int pid) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            int fd = PIDFD_OPEN != null
                    ? (int) PIDFD_OPEN.invokeExact(capture, pid, 0)
                    : (int) (long) SYSCALL_2.invokeExact(capture, Platform.SYS_PIDFD_OPEN, (long) pid, 0L);
            if (fd >= 0) return fd;
            int errno = errno(capture);
            if (errno == Platform.ENOSYS) return -1;
            throw error("pidfd_open(" + pid + ")", errno);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // --- posix_spawn ---------------------------------------------------------------------------

    static void sigemptyset(MemorySegment set) throws IOException {
        sigset("sigemptyset", SIGEMPTYSET, set);
    }

    static void sigfillset(MemorySegment set) throws IOException {
        sigset("sigfillset", SIGFILLSET, set);
    }

    private static void sigset(String name, MethodHandle handle, MemorySegment set) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            if ((int) handle.invokeExact(capture, set) != 0) throw error(name, errno(capture));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void spawnattrInit(MemorySegment attr) throws IOException {
        try {
            check("posix_spawnattr_init", (int) SPAWNATTR_INIT.invokeExact(attr));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void spawnattrDestroy(MemorySegment attr) {
        try {
            int ignored = (int) SPAWNATTR_DESTROY.invokeExact(attr); // glibc: always 0
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void spawnattrSetflags(MemorySegment attr, short flags) throws IOException {
        try {
            check("posix_spawnattr_setflags", (int) SPAWNATTR_SETFLAGS.invokeExact(attr, flags));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void spawnattrSetsigmask(MemorySegment attr, MemorySegment set) throws IOException {
        try {
            check("posix_spawnattr_setsigmask", (int) SPAWNATTR_SETSIGMASK.invokeExact(attr, set));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void spawnattrSetsigdefault(MemorySegment attr, MemorySegment set) throws IOException {
        try {
            check("posix_spawnattr_setsigdefault", (int) SPAWNATTR_SETSIGDEFAULT.invokeExact(attr, set));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void fileActionsInit(MemorySegment fa) throws IOException {
        try {
            check("posix_spawn_file_actions_init", (int) FA_INIT.invokeExact(fa));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void fileActionsDestroy(MemorySegment fa) {
        try {
            int ignored = (int) FA_DESTROY.invokeExact(fa); // frees the action list; glibc: always 0
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void fileActionsAddopen(MemorySegment fa, int fd, MemorySegment path, int flags, int mode)
            throws IOException {
        try {
            check("posix_spawn_file_actions_addopen", (int) FA_ADDOPEN.invokeExact(fa, fd, path, flags, mode));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void fileActionsAdddup2(MemorySegment fa, int fd, int newfd) throws IOException {
        try {
            check("posix_spawn_file_actions_adddup2", (int) FA_ADDDUP2.invokeExact(fa, fd, newfd));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void fileActionsAddclose(MemorySegment fa, int fd) throws IOException {
        try {
            check("posix_spawn_file_actions_addclose", (int) FA_ADDCLOSE.invokeExact(fa, fd));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Requires {@link #hasAddClosefrom()}. */
    static void fileActionsAddclosefrom(MemorySegment fa, int lowfd) throws IOException {
        try {
            check("posix_spawn_file_actions_addclosefrom_np", (int) FA_ADDCLOSEFROM.invokeExact(fa, lowfd));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void fileActionsAddchdir(MemorySegment fa, MemorySegment path) throws IOException {
        if (FA_ADDCHDIR == null) {
            throw new IOException("posix_spawn_file_actions_addchdir_np: not in this libc (glibc 2.29+ needed)");
        }
        try {
            check("posix_spawn_file_actions_addchdir_np", (int) FA_ADDCHDIR.invokeExact(fa, path));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** posix_spawn; returns the child's pid. glibc reports exec failures (ENOENT, EACCES) here too. */
    static int posixSpawn(String what, MemorySegment path, MemorySegment fileActions, MemorySegment attr,
            MemorySegment argv, MemorySegment envp) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pid = arena.allocate(JAVA_INT);
            check("posix_spawn(" + what + ")", (int) POSIX_SPAWN.invokeExact(pid, path, fileActions, attr, argv, envp));
            return pid.get(JAVA_INT, 0);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
