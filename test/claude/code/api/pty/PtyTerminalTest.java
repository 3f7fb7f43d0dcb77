package claude.code.api.pty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.testing.Procfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The child really is in a terminal: tty, controlling terminal, session, size, signals from keys. */
@Timeout(60)
class PtyTerminalTest {
    static final String PATH = "/usr/bin:/bin";

    static PtySpec sh(String script, String... args) {
        String[] command = new String[3 + args.length];
        command[0] = "/bin/sh";
        command[1] = "-c";
        command[2] = script;
        System.arraycopy(args, 0, command, 3, args.length);
        return PtySpec.of(command).withEnv("PATH", PATH);
    }

    @Test
    void childSeesATerminalOnStdinStdoutAndStderr() throws Exception {
        try (PtyProcess p = PtyProcess.start(sh("tty; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo all-three-are-ttys"))) {
            String out = Capture.of(p).awaitEnd();
            assertTrue(out.matches("(?s)/dev/pts/\\d+\nall-three-are-ttys\n"), out);
            assertEquals(0, p.waitFor());
        }
    }

    @Test
    void childIsSessionLeaderWithThePtyAsControllingTerminal() throws Exception {
        PtySpec spec = sh("echo \"tty=$(tty)\"; ps -o pid=,sid=,pgid=,tpgid=,tty= -p $$; echo end; read wait_for_us");
        try (PtyProcess p = PtyProcess.start(spec)) {
            Capture out = Capture.of(p);
            String text = out.await("end\n");
            Matcher tty = Pattern.compile("tty=/dev/(pts/\\d+)").matcher(text);
            assertTrue(tty.find(), text);
            String[] ps = text.lines().filter(l -> l.contains("pts/")).filter(l -> !l.startsWith("tty=")).findFirst()
                    .orElseThrow(() -> new AssertionError("no ps line in: " + text)).trim().split("\\s+");
            long pid = p.pid();
            assertEquals(String.valueOf(pid), ps[0], "ps describes our child");
            assertEquals(String.valueOf(pid), ps[1], "the child leads its own session");
            assertEquals(String.valueOf(pid), ps[2], "the child leads its own process group");
            assertEquals(String.valueOf(pid), ps[3], "its group is the terminal's foreground group");
            assertEquals(tty.group(1), ps[4], "the pty is its controlling terminal");

            // The kernel's own view, while it still runs.
            Procfs.Stat stat = Procfs.stat(pid).orElseThrow();
            assertEquals(pid, stat.session());
            assertEquals(pid, stat.pgrp());
            assertEquals(pid, stat.tpgid());
            assertNotEquals(0, stat.ttyNr(), "has a controlling terminal");
            p.write("\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(0, p.waitFor());
        }
    }

    @Test
    void sttySizeMatchesTheSpec() throws Exception {
        try (PtyProcess p = PtyProcess.start(sh("stty size").withSize(132, 43))) {
            assertEquals("43 132\n", Capture.of(p).awaitEnd());
        }
    }

    @Test
    void resizeChangesTheSizeAndTheChildSeesSigwinch() throws Exception {
        PtySpec spec = sh("trap 'echo \"winch $(stty size)\"' WINCH; echo \"initial $(stty size)\"; while :; do sleep 0.05; done")
                .withSize(80, 24);
        try (PtyProcess p = PtyProcess.start(spec)) {
            Capture out = Capture.of(p);
            out.await("initial 24 80\n");
            p.resize(100, 30);
            out.await("winch 30 100\n");
            p.resize(40, 12);
            out.await("winch 12 40\n");
        }
    }

    @Test
    void typingCtrlCInterruptsTheForegroundProcessGroup() throws Exception {
        // ISIG turns ^C into SIGINT for the terminal's foreground group: only a controlling terminal does that.
        try (PtyProcess p = PtyProcess.start(sh("echo running; exec sleep 100"))) {
            Capture.of(p).await("running");
            p.write(new byte[] {3});
            assertEquals(128 + 2, p.waitFor(Capture.GUARD).orElseThrow());
        }
    }

    @Test
    void writesArriveCompleteAndInOrderEvenWhenTheInputQueueFills(@TempDir Path dir) throws Exception {
        // The terminal's input queue holds 4 KiB: 200 KB of typing makes write() wait for POLLOUT many times.
        byte[] data = new byte[200_000];
        Random random = new Random(42);
        for (int i = 0; i < data.length; i++) data[i] = (byte) ('!' + random.nextInt(94)); // printable, no specials
        Path received = dir.resolve("received");
        PtySpec spec = sh("stty raw -echo -iexten; echo ready; head -c " + data.length + " > \"$0\"; echo written", received.toString());
        try (PtyProcess p = PtyProcess.start(spec)) {
            Capture out = Capture.of(p);
            out.await("ready");
            p.write(data);
            out.await("written");
            assertEquals(0, p.waitFor(Capture.GUARD).orElseThrow());
            assertArrayEquals(data, Files.readAllBytes(received));
        }
    }

    @Test
    void childStartsWithNoBlockedAndNoIgnoredSignals() throws Exception {
        try (PtyProcess p = PtyProcess.start(PtySpec.of("/usr/bin/grep", "-E", "^Sig(Blk|Ign):", "/proc/self/status"))) {
            String out = Capture.of(p).awaitEnd();
            assertEquals("SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n", out);
        }
    }
}
