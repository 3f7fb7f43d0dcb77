package claude.code.api.pty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A spec is immutable and rejects what a C argv/envp cannot carry, naming the culprit. */
class PtySpecTest {

    @Test
    void defaultsAreAnEmptyEnvironmentTheCurrentDirectoryAnd80x24() {
        PtySpec spec = PtySpec.of("/bin/true");
        assertEquals(List.of("/bin/true"), spec.command());
        assertEquals(Map.of(), spec.environment());
        assertFalse(spec.inheritEnvironment());
        assertEquals(Path.of("").toAbsolutePath(), spec.directory());
        assertEquals(80, spec.columns());
        assertEquals(24, spec.rows());
    }

    @Test
    void itCopiesWhatItIsGivenAndCannotBeChanged() {
        List<String> command = new ArrayList<>(List.of("/bin/echo", "a"));
        Map<String, String> env = new HashMap<>(Map.of("A", "1"));
        PtySpec spec = new PtySpec(command, env, false, Path.of("rel"), 100, 30);
        command.add("b");
        env.put("B", "2");
        assertEquals(List.of("/bin/echo", "a"), spec.command());
        assertEquals(Map.of("A", "1"), spec.environment());
        assertTrue(spec.directory().isAbsolute());
        assertThrows(UnsupportedOperationException.class, () -> spec.command().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> spec.environment().put("x", "y"));
    }

    @Test
    void withersKeepEverythingElseAndTheEnvironmentsOrder() {
        PtySpec spec = PtySpec.of("/bin/true").withEnv("Z", "1").withEnv("A", "2").withSize(120, 40)
                .withInheritEnvironment(true).withDirectory(Path.of("/tmp"));
        assertEquals(List.of("Z", "A"), new ArrayList<>(spec.environment().keySet()));
        assertEquals(120, spec.columns());
        assertEquals(40, spec.rows());
        assertTrue(spec.inheritEnvironment());
        assertEquals(Path.of("/tmp"), spec.directory());
        assertEquals(Map.of("Z", "1", "A", "2"), spec.withDirectory(Path.of("/")).environment());
    }

    @Test
    void invalidSpecsAreRejectedNamingTheProblem() {
        assertMessage("command is empty", () -> PtySpec.of());
        assertMessage("command argument 0 (the program) is empty", () -> PtySpec.of(""));
        assertMessage("command argument 2 contains a NUL character", () -> PtySpec.of("/bin/echo", "ok", "a\0b"));
        assertMessage("environment variable name \"A=B\" contains '=' or NUL",
                () -> PtySpec.of("/bin/true").withEnv("A=B", "x"));
        assertMessage("environment has an empty variable name", () -> PtySpec.of("/bin/true").withEnv("", "x"));
        assertMessage("environment variable V contains a NUL character", () -> PtySpec.of("/bin/true").withEnv("V", "\0"));
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("N", null);
        assertMessage("environment variable N has a null value", () -> PtySpec.of("/bin/true").withEnvironment(nullValue));
        assertMessage("columns must be 1..65535, got 0", () -> PtySpec.of("/bin/true").withSize(0, 24));
        assertMessage("rows must be 1..65535, got 65536", () -> PtySpec.of("/bin/true").withSize(80, 65536));
    }

    private static void assertMessage(String message, Runnable build) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, build::run).getMessage());
    }
}
