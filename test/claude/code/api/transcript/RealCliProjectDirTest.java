package claude.code.api.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import claude.code.api.events.MessageParseError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project directory the real CLI creates equals {@link TranscriptPaths}'s, in awkward cwds.
 *
 * <p>Every case runs {@link PrintModeCli} once (the CLI writes its project dir and transcript even
 * though its API call fails), all cases in parallel, each with its own HOME and config dir; the
 * tests then compare.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealCliProjectDirTest {
    private static final long RUNS_TIMEOUT_SECONDS = 300; // a hang guard: a run takes about a second

    @TempDir
    static Path tmp;

    private final Map<String, Run> runs = new LinkedHashMap<>();
    private boolean unicodePaths;

    /** One CLI run: where it ran, with what environment, and what it left in its config dir. */
    record Run(Path cwd, Map<String, String> env, String sessionId, Path configDir, String output) {}

    @BeforeAll
    void runTheCliInEveryCwd() throws Exception {
        Path root = tmp.toRealPath();
        // Non-ASCII file names need the JVM's file-name encoding to be UTF-8 (LANG=C.UTF-8 or similar).
        unicodePaths = "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"));
        Map<String, Path> cwds = new LinkedHashMap<>();
        cwds.put("dots, spaces, underscores, mixed case", Files.createDirectories(root.resolve("w/dots.in name/under_score/MixedCase-Hyphen")));
        cwds.put("exactly 200 chars", Files.createDirectories(pathOfLength(root.resolve("w200"), 200)));
        cwds.put("201 chars", Files.createDirectories(pathOfLength(root.resolve("w201"), 201)));
        cwds.put("over 200 chars", Files.createDirectories(pathOfLength(root.resolve("w263.long dir"), 263)));
        Path target = Files.createDirectories(root.resolve("w/link.target"));
        cwds.put("symlink", Files.createSymbolicLink(root.resolve("w/symlink_to_target"), target));
        if (unicodePaths) {
            // with a decomposed é (e + U+0301), which the CLI does not normalise in the cwd
            cwds.put("unicode and emoji", Files.createDirectories(root.resolve("w/ünïcödé-日本 emoji\uD83D\uDE00x nfd-e\u0301-x")));
            cwds.put("over 200 chars with emoji", Files.createDirectories(
                    pathOfLength(root.resolve("w/\uD83D\uDE00-long-ü"), 230)));
        }

        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Map<String, Future<Run>> futures = new LinkedHashMap<>();
            int i = 0;
            for (var entry : cwds.entrySet()) {
                Path home = Files.createDirectories(root.resolve("home" + i));
                Path config = Files.createDirectories(root.resolve("config" + i));
                Map<String, String> env = PrintModeCli.environment(home, config);
                if (entry.getKey().equals("symlink")) {
                    env.put("PWD", entry.getValue().toString()); // as a shell in the link would set it
                }
                String id = UUID.randomUUID().toString();
                futures.put(entry.getKey(), pool.submit(() -> run(entry.getValue(), env, id, config)));
                i++;
            }
            // The name override: honoured only with CLAUDE_CONFIG_DIR (measured); checked on the real CLI too.
            Path config = Files.createDirectories(root.resolve("config-override"));
            Map<String, String> env = PrintModeCli.environment(Files.createDirectories(root.resolve("home-override")), config);
            env.put("CLAUDE_CODE_PROJECT_DIR_NAME", "my_proj-1");
            Path cwd = cwds.get("dots, spaces, underscores, mixed case");
            String id = UUID.randomUUID().toString();
            futures.put("project name override", pool.submit(() -> run(cwd, env, id, config)));
            for (var f : futures.entrySet()) {
                runs.put(f.getKey(), f.getValue().get(RUNS_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void dotsSpacesUnderscoresAndMixedCaseMatchTheCli() throws IOException {
        assertSameDirectoryAsTheCli("dots, spaces, underscores, mixed case");
    }

    @Test
    void aPathOfExactly200CharactersMatchesTheCli() throws IOException {
        assertSameDirectoryAsTheCli("exactly 200 chars");
        assertEquals(200, projectDirNameOf(runs.get("exactly 200 chars")).length());
    }

    @Test
    void aPathOf201CharactersMatchesTheCliIncludingItsHash() throws IOException {
        assertSameDirectoryAsTheCli("201 chars");
    }

    @Test
    void aPathOver200CharactersMatchesTheCliIncludingItsHash() throws IOException {
        assertSameDirectoryAsTheCli("over 200 chars");
    }

    @Test
    void aSymlinkedCwdMatchesTheCliWhichUsesTheRealPath() throws IOException {
        assertSameDirectoryAsTheCli("symlink");
        assertEquals(TranscriptPaths.projectDirName(runs.get("symlink").cwd().toRealPath().toString()),
                projectDirNameOf(runs.get("symlink")));
    }

    @Test
    void unicodeEmojiAndDecomposedCharactersMatchTheCliOneDashPerUtf16Unit() throws IOException {
        assumeTrue(unicodePaths, "the JVM's file-name encoding is not UTF-8 (set LANG=C.UTF-8)");
        assertSameDirectoryAsTheCli("unicode and emoji");
        String name = projectDirNameOf(runs.get("unicode and emoji"));
        assertTrue(name.endsWith("-w--n-c-d-----emoji--x-nfd-e--x"), name);
    }

    @Test
    void aLongPathWithAnEmojiIsHashedOverUtf16UnitsAsTheCliDoes() throws IOException {
        assumeTrue(unicodePaths, "the JVM's file-name encoding is not UTF-8 (set LANG=C.UTF-8)");
        assertSameDirectoryAsTheCli("over 200 chars with emoji");
    }

    @Test
    void theProjectNameOverrideMatchesTheCli() throws IOException {
        assertSameDirectoryAsTheCli("project name override");
        assertEquals("my_proj-1", projectDirNameOf(runs.get("project name override")));
    }

    @Test
    void everyRecordTheCliWroteParsesWithoutError() throws IOException {
        int records = 0;
        for (Run run : runs.values()) {
            Path transcript = TranscriptPaths.forChild(run.env(), run.cwd()).transcript(run.sessionId());
            RecordParser parser = new RecordParser(transcript, true);
            byte[] bytes = Files.readAllBytes(transcript);
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    if (parser.parse(start, bytes, start, i - start) instanceof ParsedRecord.Invalid(MessageParseError error)) {
                        fail(error.toString());
                    }
                    records++;
                    start = i + 1;
                }
            }
            assertEquals(bytes.length, start, "the transcript ends with a complete line");
        }
        assertTrue(records > runs.size(), "each transcript holds records: " + records);
    }

    private static Run run(Path cwd, Map<String, String> env, String sessionId, Path config) throws Exception {
        String output = PrintModeCli.run(cwd, env, "hi", sessionId, config.resolveSibling(config.getFileName() + ".log"));
        return new Run(cwd, Map.copyOf(env), sessionId, config, output);
    }

    private void assertSameDirectoryAsTheCli(String name) throws IOException {
        Run run = runs.get(name);
        TranscriptPaths paths = TranscriptPaths.forChild(run.env(), run.cwd());
        String created = projectDirNameOf(run);
        assertEquals(created, paths.projectDir().getFileName().toString(), name + ": the CLI printed " + run.output());
        assertEquals(run.configDir().toRealPath().resolve("projects").resolve(created), paths.projectDir().toRealPath());
        assertTrue(Files.isRegularFile(paths.transcript(run.sessionId())), "the transcript is where we expect it");
        assertTrue(Files.isDirectory(paths.sessionStatusFile(1).getParent()), "the CLI's sessions dir is where we expect it");
    }

    /** The one directory the CLI created under {@code projects/}. */
    private static String projectDirNameOf(Run run) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> list = Files.list(run.configDir().resolve("projects"))) {
            list.forEach(p -> names.add(p.getFileName().toString()));
        }
        assertEquals(1, names.size(), "one project dir; the CLI printed: " + run.output() + "; found " + names);
        return names.get(0);
    }

    /** {@code base} extended with subdirectories to exactly {@code length} UTF-16 units. */
    private static Path pathOfLength(Path base, int length) {
        StringBuilder path = new StringBuilder(base.toString());
        int segment = 0;
        while (path.length() < length) {
            int remaining = length - path.length();
            if (remaining == 1) {
                path.append('x'); // no room for "/" plus a name: lengthen the last name instead
            } else {
                String filler = ("seg" + segment++ + ".dir_").repeat(20);
                path.append('/').append(filler, 0, Math.min(remaining - 1, 60));
            }
        }
        assertEquals(length, path.length());
        return Path.of(path.toString());
    }
}
