package claude.code.api.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.options.LaunchOptions;
import claude.code.api.testing.Procfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliCommandTest {
    @TempDir
    Path w;

    /** A stand-in for the CLI: a script that runs the given body. */
    CliOptions cli(String body) throws IOException {
        Path exe = w.resolve("claude");
        Files.writeString(exe, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwx------"));
        return CliOptions.of(LaunchOptions.builder(w).executable(exe).permissionMode(null).build());
    }

    @Test
    void theVersionIsTheFirstWordOfWhatVersionPrints() {
        assertEquals(Optional.of("2.1.331"), CliCommand.parseVersion("2.1.331 (Claude Code)\n"));
        assertEquals(Optional.of("2.2.0-beta.1"), CliCommand.parseVersion("2.2.0-beta.1 (Claude Code)"));
    }

    @Test
    void outputWithoutAVersionGivesNone() {
        assertEquals(Optional.empty(), CliCommand.parseVersion("Usage: claude [options]"));
        assertEquals(Optional.empty(), CliCommand.parseVersion("2.1\" injected"));
    }

    @Test
    void theArgumentsReachTheCliAsGivenWithoutAShell() throws Exception {
        CliCommand.Output out = CliCommand.run(cli("printf '%s|' \"$@\"; exit 3"),
                Map.of("PATH", "/usr/bin:/bin"), Duration.ofSeconds(10), "auth", "$(touch x)", "a b");
        assertEquals(3, out.exitCode());
        assertEquals("auth|$(touch x)|a b|", out.stdout());
        assertTrue(Files.notExists(w.resolve("x")));
    }

    @Test
    void aRunThatDoesNotEndInTimeIsKilledAndReported() throws Exception {
        CliOptions cli = cli("exec sleep 60");
        IOException e = assertThrows(IOException.class,
                () -> CliCommand.run(cli, Map.of("PATH", "/usr/bin:/bin"), Duration.ofMillis(300), "--version"));
        assertTrue(e.getMessage().contains("did not end within"), e.getMessage());
        assertTrue(Procfs.childrenOfThisJvm().isEmpty(), "the child was reaped");
    }
}
