package claude.code.api.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriptPathsTest {
    private static final String ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    @TempDir
    Path tmp;

    @Test
    void everyCharacterOutsideAsciiLettersAndDigitsBecomesADash() {
        // The short cases of docs/CLI-BEHAVIOUR.md#project-dir, as observed on the real CLI.
        assertEquals("-w-n-dots-in-name", TranscriptPaths.projectDirName("/w/n/dots.in.name"));
        assertEquals("-w-n-under-score", TranscriptPaths.projectDirName("/w/n/under_score"));
        assertEquals("-w-n-with-space", TranscriptPaths.projectDirName("/w/n/with space"));
        assertEquals("-w-n-MixedCase-Hyphen", TranscriptPaths.projectDirName("/w/n/MixedCase-Hyphen"));
        assertEquals("-w-n--n-c-d----", TranscriptPaths.projectDirName("/w/n/ünïcödé-日本"));
    }

    @Test
    void aCharacterOutsideTheBmpGivesTwoDashesOnePerUtf16Unit() {
        assertEquals("-w-n-emoji--x", TranscriptPaths.projectDirName("/w/n/emoji\uD83D\uDE00x"));
    }

    @Test
    void aNameOfExactly200CharactersIsKeptWhole() {
        String path = "/" + "a".repeat(199);
        assertEquals("-" + "a".repeat(199), TranscriptPaths.projectDirName(path));
    }

    @Test
    void aLongerNameIsCutTo200AndSuffixedWithTheBase36HashOfTheOriginalPath() {
        String path = "/" + "b".repeat(150) + "/c.d/" + "e".repeat(60);
        String expectedHash = Long.toString(Math.abs((long) path.hashCode()), 36);
        String name = TranscriptPaths.projectDirName(path);
        assertEquals(path.replaceAll("[^A-Za-z0-9]", "-").substring(0, 200) + "-" + expectedHash, name);
    }

    @Test
    void theHashOfMinIntIsPositiveAsJavaScriptsMathAbsMakesIt() {
        // "f5a5a608" hashes to 0 and "polygenelubricants" to Integer.MIN_VALUE, so their concatenation
        // does too; JavaScript's Math.abs gives 2147483648, base 36 "zik0zk" (checked with node).
        String path = "f5a5a608".repeat(26) + "polygenelubricants";
        assertEquals(Integer.MIN_VALUE, path.hashCode());
        assertTrue(TranscriptPaths.projectDirName(path).endsWith("-zik0zk"), TranscriptPaths.projectDirName(path));
    }

    @Test
    void theConfigDirIsClaudeConfigDirFromTheChildsEnvironment() throws IOException {
        Path config = tmp.resolve("cfg");
        TranscriptPaths paths = TranscriptPaths.forChild(Map.of("CLAUDE_CONFIG_DIR", config.toString(), "HOME", "/nowhere"), tmp);
        assertEquals(config, paths.configDir());
        assertEquals(config.resolve("projects").resolve(TranscriptPaths.projectDirName(tmp.toRealPath().toString())),
                paths.projectDir());
    }

    @Test
    void withoutClaudeConfigDirTheConfigDirIsDotClaudeInTheChildsHome() throws IOException {
        TranscriptPaths paths = TranscriptPaths.forChild(Map.of("HOME", "/home/someone"), tmp);
        assertEquals(Path.of("/home/someone/.claude"), paths.configDir());
    }

    @Test
    void anUnsetOrEmptyHomeMeansTheAccountsHomeDirectory() throws IOException {
        Path expected = Path.of(System.getProperty("user.home"), ".claude");
        assertEquals(expected, TranscriptPaths.forChild(Map.of(), tmp).configDir());
        assertEquals(expected, TranscriptPaths.forChild(Map.of("HOME", ""), tmp).configDir());
    }

    @Test
    void aRelativeOrEmptyClaudeConfigDirIsResolvedAgainstTheChildsCwd() throws IOException {
        Path cwd = tmp.toRealPath();
        assertEquals(cwd.resolve("rel/cfg"), TranscriptPaths.forChild(Map.of("CLAUDE_CONFIG_DIR", "rel/cfg"), tmp).configDir());
        assertEquals(cwd, TranscriptPaths.forChild(Map.of("CLAUDE_CONFIG_DIR", ""), tmp).configDir());
    }

    @Test
    void theConfigDirIsNormalisedToNfcAsTheCliDoes() throws IOException {
        String nfd = "/cfg-e\u0301";
        TranscriptPaths paths = TranscriptPaths.forChild(Map.of("CLAUDE_CONFIG_DIR", nfd), tmp);
        assertEquals(Path.of("/cfg-\u00e9"), paths.configDir());
    }

    @Test
    void theProjectDirNameOverrideAppliesOnlyWithAConfigDirAndAValidName() throws IOException {
        Map<String, String> withConfig = Map.of("CLAUDE_CONFIG_DIR", "/cfg", "CLAUDE_CODE_PROJECT_DIR_NAME", "my_proj-1");
        assertEquals(Path.of("/cfg/projects/my_proj-1"), TranscriptPaths.forChild(withConfig, tmp).projectDir());

        String derived = TranscriptPaths.projectDirName(tmp.toRealPath().toString());
        Map<String, String> noConfig = Map.of("HOME", "/h", "CLAUDE_CODE_PROJECT_DIR_NAME", "my_proj-1");
        assertEquals(Path.of("/h/.claude/projects", derived), TranscriptPaths.forChild(noConfig, tmp).projectDir());
        for (String invalid : new String[] {"../up", "a b", "x".repeat(65), "", "nul", "COM1"}) {
            Map<String, String> env = Map.of("CLAUDE_CONFIG_DIR", "/cfg", "CLAUDE_CODE_PROJECT_DIR_NAME", invalid);
            assertEquals(Path.of("/cfg/projects", derived), TranscriptPaths.forChild(env, tmp).projectDir(), invalid);
        }
    }

    @Test
    void theCwdIsResolvedToItsRealPathThroughSymlinks() throws IOException {
        Path real = Files.createDirectories(tmp.resolve("dots.in.name"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        TranscriptPaths paths = TranscriptPaths.forChild(Map.of("HOME", "/h"), link);
        assertEquals(real.toRealPath(), paths.cwd());
        assertEquals(TranscriptPaths.projectDirName(real.toRealPath().toString()), paths.projectDir().getFileName().toString());
    }

    @Test
    void aCwdThatDoesNotExistIsAnError() {
        assertThrows(NoSuchFileException.class, () -> TranscriptPaths.forChild(Map.of(), tmp.resolve("missing")));
    }

    @Test
    void theTranscriptIsTheSessionIdDotJsonlInTheProjectDir() throws IOException {
        TranscriptPaths paths = TranscriptPaths.forChild(Map.of("CLAUDE_CONFIG_DIR", "/cfg"), tmp);
        assertEquals(paths.projectDir().resolve(ID + ".jsonl"), paths.transcript(ID));
    }

    @Test
    void theStatusFileIsThePidDotJsonInSessions() throws IOException {
        TranscriptPaths paths = TranscriptPaths.forChild(Map.of("CLAUDE_CONFIG_DIR", "/cfg"), tmp);
        assertEquals(Path.of("/cfg/sessions/4242.json"), paths.sessionStatusFile(4242));
        assertThrows(IllegalArgumentException.class, () -> paths.sessionStatusFile(0));
    }

    @Test
    void onlyCanonicalLowerCaseUuidsAreAcceptedAsSessionIds() throws IOException {
        TranscriptPaths paths = TranscriptPaths.forChild(Map.of("CLAUDE_CONFIG_DIR", "/cfg"), tmp);
        for (String bad : new String[] {"../../etc/passwd", ID.toUpperCase(), ID.replace("-", ""), ID + "\n",
                "1-1-1-1-1", "0f8fad5b-d9cb-469f-a165-70867728950", " " + ID.substring(1), "0f8fad5b/d9cb-469f-a165-70867728950e",
                "zf8fad5b-d9cb-469f-a165-70867728950e", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> paths.transcript(bad), bad);
            assertTrue(e.getMessage().startsWith("session id is not a canonical lower-case UUID"), e.getMessage());
        }
        assertEquals(ID, TranscriptPaths.requireSessionId(ID));
    }

    @Test
    void aHostileSessionIdIsQuotedOnlyAsAShortExcerpt() {
        String hostile = "x".repeat(10_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TranscriptPaths.requireSessionId(hostile));
        assertTrue(e.getMessage().length() < 120, e.getMessage());
    }
}
