package claude.code.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BuildSanityTest {
    @Test
    void runsOnJdk22OrNewer() {
        assertTrue(Runtime.version().feature() >= 22, "tests must run on JDK 22+, got " + Runtime.version());
    }
}
