package claude.code.api.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriptLocationTest {
    @Test
    void everyCharacterOutsideAsciiLettersAndDigitsBecomesADash() {
        assertEquals("-w-n-dots-in-name", TranscriptLocation.projectDirName("/w/n/dots.in.name"));
        assertEquals("-w-n-under-score", TranscriptLocation.projectDirName("/w/n/under_score"));
        assertEquals("-w-n-with-space", TranscriptLocation.projectDirName("/w/n/with space"));
        assertEquals("-w-n-MixedCase-Hyphen", TranscriptLocation.projectDirName("/w/n/MixedCase-Hyphen"));
        assertEquals("-w-n--n-c-d----", TranscriptLocation.projectDirName("/w/n/ünïcödé-日本"));
    }

    @Test
    void aSurrogatePairGivesTwoDashes() {
        assertEquals("-w-n-emoji--x", TranscriptLocation.projectDirName("/w/n/emoji😀x"));
    }

    @Test
    void namesUpTo200CharactersAreKeptWhole() {
        String path = "/" + "a".repeat(199);
        assertEquals("-" + "a".repeat(199), TranscriptLocation.projectDirName(path));
    }

    @Test
    void longerNamesAreCutAndSuffixedWithTheBase36HashOfTheOriginalPath() {
        String path = "/" + "b".repeat(200);
        String expectedHash = Long.toString(Math.abs((long) path.hashCode()), 36);
        assertEquals("-" + "b".repeat(199) + "-" + expectedHash, TranscriptLocation.projectDirName(path));
    }

    @Test
    void theConfigDirIsClaudeConfigDirElseHomeDotClaude() {
        assertEquals(Path.of("/cfg"), TranscriptLocation.configDir(Map.of("CLAUDE_CONFIG_DIR", "/cfg", "HOME", "/h")));
        assertEquals(Path.of("/h/.claude"), TranscriptLocation.configDir(Map.of("HOME", "/h")));
    }

    @Test
    void theTranscriptUsesTheRealPathOfTheCwd(@TempDir Path dir) throws Exception {
        Path real = Files.createDirectory(dir.resolve("dots.in.name"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        String sid = "0b9e2f6c-3a53-4c1e-9d0a-6f1e2d3c4b5a";
        Path expected = Path.of("/cfg/projects", TranscriptLocation.projectDirName(real.toRealPath().toString()), sid + ".jsonl");
        assertEquals(expected, TranscriptLocation.transcript(Path.of("/cfg"), link, sid));
    }
}
