package claude.code.api.pty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.testing.Procfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the child starts with: its environment, directory and arguments, exactly; and clear failures. */
@Timeout(60)
class PtySpawnTest {

    @Test
    void environmentIsExactlyWhatWasGiven() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GREETING", "hello world");
        env.put("UNICODE", "ünïcödé 😀");
        env.put("EMPTY", "");
        env.put("QUOTES", "it's \"quoted\"");
        try (PtyProcess p = PtyProcess.start(PtySpec.of("/usr/bin/env").withEnvironment(env))) {
            Set<String> lines = Capture.of(p).awaitEnd().lines().collect(Collectors.toSet());
            assertEquals(Set.of("GREETING=hello world", "UNICODE=ünïcödé 😀", "EMPTY=", "QUOTES=it's \"quoted\""), lines);
        }
    }

    @Test
    void nothingIsInheritedByDefault() throws Exception {
        try (PtyProcess p = PtyProcess.start(PtySpec.of("/usr/bin/env"))) {
            assertEquals("", Capture.of(p).awaitEnd());
        }
    }

    @Test
    void inheritedEnvironmentIsTheJvmsWithTheGivenOverrides() throws Exception {
        PtySpec spec = PtySpec.of("/usr/bin/env").withInheritEnvironment(true).withEnv("HOME", "/overridden");
        try (PtyProcess p = PtyProcess.start(spec)) {
            Set<String> lines = Capture.of(p).awaitEnd().lines().collect(Collectors.toSet());
            assertTrue(lines.contains("HOME=/overridden"), lines.toString());
            assertTrue(lines.contains("PATH=" + System.getenv("PATH")), lines.toString());
        }
    }

    @Test
    void workingDirectoryIsHonoured(@TempDir Path dir) throws Exception {
        try (PtyProcess p = PtyProcess.start(PtySpec.of("/usr/bin/pwd").withDirectory(dir))) {
            assertEquals(dir.toRealPath() + "\n", Capture.of(p).awaitEnd());
        }
    }

    @Test
    void argumentsPassUntouchedWithSpacesQuotesUnicodeAndEmptyOnes() throws Exception {
        List<String> args = List.of("zero arg", "a b", "it's", "\"double\"", "ünïcödé 😀", "", "$HOME", "*", "\\n", "--x=1 2");
        String[] command = new String[3 + args.size()];
        command[0] = "/bin/sh";
        command[1] = "-c";
        command[2] = "printf '[%s]\\n' \"$0\" \"$@\"";
        for (int i = 0; i < args.size(); i++) command[3 + i] = args.get(i);
        try (PtyProcess p = PtyProcess.start(PtySpec.of(command))) {
            String expected = args.stream().map(a -> "[" + a + "]\n").collect(Collectors.joining());
            assertEquals(expected, Capture.of(p).awaitEnd());
        }
    }

    @Test
    void argumentZeroIsTheCommandAsGiven() throws Exception {
        // The shell's /proc/<pid>/cmdline is its argv: the bare name "sh", not the path we resolved.
        String script = "c=$(tr '\\0' '|' < /proc/$$/cmdline); printf '%s\\n' \"$c\"";
        try (PtyProcess p = PtyProcess.start(PtySpec.of("sh", "-c", script).withEnv("PATH", "/usr/bin:/bin"))) {
            assertEquals("sh|-c|" + script + "|\n", Capture.of(p).awaitEnd());
        }
    }

    @Test
    void aBareNameIsFoundOnTheChildsPathNotTheJvms(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path program = bin.resolve("say-hello");
        Files.writeString(program, "#!/bin/sh\necho hello from $0\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (PtyProcess p = PtyProcess.start(PtySpec.of("say-hello").withEnv("PATH", "/nowhere:" + bin))) {
            assertEquals("hello from " + program + "\n", Capture.of(p).awaitEnd());
        }
        IOException e = assertThrows(IOException.class, () -> PtyProcess.start(PtySpec.of("ls").withEnv("PATH", "/nowhere")));
        assertEquals("posix_spawn(ls): no executable named ls on PATH /nowhere", e.getMessage());
    }

    @Test
    void aRelativeProgramPathIsResolvedInTheWorkingDirectory(@TempDir Path dir) throws Exception {
        Path program = dir.resolve("here.sh");
        Files.writeString(program, "#!/bin/sh\necho ran in $(/usr/bin/pwd)\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        try (PtyProcess p = PtyProcess.start(PtySpec.of("./here.sh").withDirectory(dir))) {
            assertEquals("ran in " + dir.toRealPath() + "\n", Capture.of(p).awaitEnd());
        }
    }

    @Test
    void aMissingProgramFailsNamingTheCallAndTheErrno() {
        IOException e = assertThrows(IOException.class, () -> PtyProcess.start(PtySpec.of("/bin/nope")));
        assertEquals("posix_spawn(/bin/nope): No such file or directory (errno 2)", e.getMessage());
    }

    @Test
    void aProgramWithoutExecutePermissionFailsWithPermissionDenied(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-executable"), "#!/bin/sh\necho no\n");
        IOException e = assertThrows(IOException.class, () -> PtyProcess.start(PtySpec.of(file.toString())));
        assertEquals("posix_spawn(" + file + "): Permission denied (errno 13)", e.getMessage());
    }

    @Test
    void aMissingWorkingDirectoryFailsClearly(@TempDir Path dir) {
        Path missing = dir.resolve("missing");
        IOException e = assertThrows(IOException.class, () -> PtyProcess.start(PtySpec.of("/bin/true").withDirectory(missing)));
        assertEquals("posix_spawn(/bin/true): working directory " + missing + " is not a directory", e.getMessage());
    }

    @Test
    void failedStartsLeakNoDescriptorAndNoProcess() throws Exception {
        long before = Procfs.terminalFdCount();
        for (int i = 0; i < 50; i++) {
            assertThrows(IOException.class, () -> PtyProcess.start(PtySpec.of("/bin/nope")));
        }
        assertEquals(before, Procfs.terminalFdCount());
        assertEquals(List.of(), Procfs.zombieChildren());
    }

    @Test
    void aCommandLineIsNeverGivenToAShell(@TempDir Path dir) {
        // No shell in the library: "echo hi; touch x" is one (missing) program name, and nothing runs.
        String line = "echo hi; touch x";
        IOException e = assertThrows(IOException.class,
                () -> PtyProcess.start(PtySpec.of(line).withEnv("PATH", "/usr/bin:/bin").withDirectory(dir)));
        assertEquals("posix_spawn(" + line + "): no executable named " + line + " on PATH /usr/bin:/bin", e.getMessage());
        assertTrue(Files.notExists(dir.resolve("x")));
    }
}
