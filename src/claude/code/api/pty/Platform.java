package claude.code.api.pty;

import java.util.Locale;

/**
 * Every per-OS number the PTY code needs, in one place.
 *
 * <p>Linux values hold for glibc on both x86_64 and aarch64 (same ioctl numbers, open flags,
 * signal numbers, struct sizes and {@code siginfo_t} layout). Every value here was checked with
 * {@code _Static_assert}s against the glibc 2.36 headers of both architectures (gcc and
 * aarch64-linux-gnu-gcc; the C file is not shipped). The tests have run on x86_64 only.
 *
 * <p>macOS is not supported, and the values it would need are written down here so that a port
 * starts from facts (taken from the macOS SDK headers, not run on a Mac):
 *
 * <pre>
 *   TIOCSWINSZ 0x80087467   TIOCSCTTY 0x20007461   O_NOCTTY 0x20000   O_CLOEXEC 0x01000000
 *   O_NONBLOCK 0x4          EAGAIN 35              POSIX_SPAWN_SETSID 0x0400 (macOS 10.15+)
 *   POSIX_SPAWN_SETSIGDEF 0x04, SETSIGMASK 0x08    POSIX_SPAWN_CLOEXEC_DEFAULT 0x4000
 *   posix_spawnattr_t / posix_spawn_file_actions_t: one pointer each (8 bytes)
 *   sigset_t: 4 bytes      WNOWAIT 0x20, WEXITED 0x04, P_PID 1   siginfo_t.si_pid @12, si_status @20
 * </pre>
 *
 * What is missing there: {@code posix_spawn} with SETSID and an opened tty does <em>not</em>
 * give the child a controlling terminal on macOS; that needs {@code ioctl(0, TIOCSCTTY)} in
 * the child, which no spawn attribute or file action can do (it would take a tiny exec helper,
 * which this project does not ship). macOS also has no pidfd (kqueue {@code EVFILT_PROC} is the
 * equivalent), and no {@code addclosefrom_np} ({@code POSIX_SPAWN_CLOEXEC_DEFAULT} does that job).
 */
final class Platform {
    private Platform() {}

    /** Refuses, with a reason, to run anywhere these constants were not checked. */
    static void requireSupported() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            throw new UnsupportedOperationException("claude.code.api.pty supports Linux on x86_64 and aarch64, not "
                    + os + "/" + arch + " (macOS would need a TIOCSCTTY step that posix_spawn cannot do)");
        }
    }

    // open(2) flags
    static final int O_RDONLY = 0;
    static final int O_RDWR = 02;
    static final int O_NOCTTY = 0400;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;

    // fcntl(2)
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;

    // ioctl(2) on a tty
    static final long TIOCSWINSZ = 0x5414;
    /** ioctl(fd, FIONREAD, int*): bytes waiting to be read (on a terminal: in its line discipline). */
    static final long FIONREAD = 0x541B;
    /** ioctl(master, TIOCGPTPEER, flags): opens the slave of that master (Linux 4.13+). */
    static final long TIOCGPTPEER = 0x5441;

    // errno values we act on (the rest are only reported through strerror)
    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EAGAIN = 11;
    static final int EINVAL = 22;
    static final int ENOTTY = 25;
    static final int ENOSYS = 38;

    // posix_spawnattr_setflags
    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    static final short POSIX_SPAWN_SETSID = 0x80;

    // Opaque glibc structs: sizeof(posix_spawnattr_t) = 336, sizeof(posix_spawn_file_actions_t) = 80,
    // both 8-byte aligned (glibc's ABI fixes them). We allocate twice that: a margin that costs nothing.
    static final long SPAWNATTR_SIZE = 672;
    static final long FILE_ACTIONS_SIZE = 160;
    static final long SIGSET_SIZE = 128;
    /** Signals 1..64 (all of Linux's, _NSIG = 65) as the first 64-bit word of a sigset_t. */
    static final long SIGSET_FIRST_WORD_ALL = -1L;
    static final long OPAQUE_ALIGN = 16;

    // poll(2)
    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;
    static final long POLLFD_SIZE = 8; // struct pollfd { int fd; short events; short revents; }

    // waitid(2) / waitpid(2)
    static final int P_PID = 1;
    static final int WNOHANG = 1;
    static final int WEXITED = 4;
    static final int WNOWAIT = 0x01000000;
    static final long SIGINFO_SIZE = 128;
    static final long SIGINFO_CODE = 8;
    static final long SIGINFO_PID = 16;
    static final long SIGINFO_STATUS = 24;
    static final int CLD_EXITED = 1;

    /** pidfd_open(2) for a glibc older than 2.36, which has no wrapper; 434 on x86_64 and aarch64 alike. */
    static final long SYS_PIDFD_OPEN = 434;

    // signal numbers
    static final int SIGHUP = 1;
    static final int SIGINT = 2;
    static final int SIGQUIT = 3;
    static final int SIGKILL = 9;
    static final int SIGTERM = 15;
    static final int SIGWINCH = 28;

    /** Where the open file descriptors of this process are listed (the closefrom fallback reads it). */
    static final String SELF_FD_DIR = "/proc/self/fd";
}
