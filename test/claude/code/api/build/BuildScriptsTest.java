package claude.code.api.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scripts in .ci/ that choose the JDK and count the tests: what the Makefile relies on. */
class BuildScriptsTest {
    Path project = Path.of(System.getProperty("project.dir", "."));
    @TempDir
    Path dir;

    record Result(int status, String stdout, String stderr) {}

    Result run(Map<String, String> env, String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/bash", project.resolve(".ci").resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile())
                .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), script + " did not finish");
        return new Result(p.exitValue(), Files.readString(dir.resolve("out")).strip(), Files.readString(dir.resolve("err")).strip());
    }

    /** A folder that looks like a JDK of that version: bin/java, javac, jar and a release file. */
    Path fakeJdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name).resolve("bin"));
        for (String tool : List.of("java", "javac", "jar")) {
            Path file = home.resolve(tool);
            Files.writeString(file, "#!/bin/sh\nexit 0\n");
            file.toFile().setExecutable(true);
        }
        Files.writeString(home.getParent().resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        return home.getParent();
    }

    @Test
    void javaHomeOnAJdk21IsUsedAsItIs() throws Exception {
        Path jdk = fakeJdk("jdk-21", "21.0.13");
        Result r = run(Map.of("JAVA_HOME", jdk.toString()), "find-jdk");
        assertEquals(0, r.status(), r.stderr());
        assertEquals(jdk.toString(), r.stdout());
    }

    @Test
    void javaHomeOnAnOlderJdkIsAnErrorNotAFallback() throws Exception {
        Path jdk = fakeJdk("jdk-17", "17.0.15");
        Result r = run(Map.of("JAVA_HOME", jdk.toString()), "find-jdk");
        assertEquals(1, r.status());
        assertEquals("", r.stdout(), "no other JDK is offered instead");
        assertEquals("JAVA_HOME=" + jdk + " is JDK 17; this project needs JDK 21 (with --enable-preview) or newer", r.stderr());
    }

    @Test
    void javaHomeWithoutTheJdkToolsIsAnErrorNamingThem() throws Exception {
        Path jre = Files.createDirectories(dir.resolve("jre"));
        Result r = run(Map.of("JAVA_HOME", jre.toString()), "find-jdk");
        assertEquals(1, r.status());
        assertEquals("", r.stdout());
        assertTrue(r.stderr().startsWith("JAVA_HOME=" + jre + " is not a JDK (no bin/java bin/javac bin/jar)"), r.stderr());
    }

    @Test
    void javaHomeThatDoesNotExistIsAnError() throws Exception {
        Result r = run(Map.of("JAVA_HOME", dir.resolve("missing").toString()), "find-jdk");
        assertEquals(1, r.status());
        assertTrue(r.stderr().contains("is not a directory"), r.stderr());
    }

    @Test
    void withoutJavaHomeAJdk21OrLaterUnderUsrLibJvmIsChosenOrTheLackNamed() throws Exception {
        Result r = run(Map.of(), "find-jdk");
        if (r.status() == 0) {
            assertTrue(r.stdout().startsWith("/usr/lib/jvm/"), r.stdout());
            int major = Integer.parseInt(run(Map.of(), "find-jdk", "--major", r.stdout()).stdout());
            assertTrue(major >= 21, r.stdout() + " is JDK " + major);
        } else {
            assertEquals(1, r.status());
            assertTrue(r.stderr().startsWith("no JDK 21+ found under /usr/lib/jvm (found: "), r.stderr());
        }
    }

    @Test
    void theMajorVersionComesFromTheReleaseFile() throws Exception {
        assertEquals("21", run(Map.of(), "find-jdk", "--major", fakeJdk("a", "21.0.13").toString()).stdout());
        assertEquals("25", run(Map.of(), "find-jdk", "--major", fakeJdk("b", "25").toString()).stdout());
        assertEquals("8", run(Map.of(), "find-jdk", "--major", fakeJdk("c", "1.8.0_402").toString()).stdout());
    }

    static String junitCounts(int successful, int failed, int skipped, int containersFailed) {
        return String.join("\n", "Test run finished after 1 ms",
                "[         " + containersFailed + " containers failed     ]",
                "[        " + skipped + " tests skipped         ]",
                "[        " + successful + " tests successful      ]",
                "[         " + failed + " tests failed          ]", "");
    }

    @Test
    void theSummaryOfOneRunIsItsClosingLineOnly() throws Exception {
        Path out = Files.writeString(dir.resolve("one.txt"), junitCounts(12, 0, 0, 0));
        Result r = run(Map.of(), "test-summary", out.toString());
        assertEquals(0, r.status());
        assertEquals("tests: 12 passed, 0 failed", r.stdout());
    }

    @Test
    void theSummaryOfTwoRunsNamesEachThenEndsWithTheSums() throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), junitCounts(900, 0, 2, 0));
        Path b = Files.writeString(dir.resolve("b.txt"), junitCounts(150, 1, 0, 1));
        Result r = run(Map.of(), "test-summary", "JDK 25=" + a, "JDK 21 (part)=" + b);
        assertEquals(1, r.status(), "a failure in either run fails the whole");
        assertEquals(List.of("JDK 25: 900 passed, 0 failed, 2 skipped", "JDK 21 (part): 150 passed, 2 failed",
                "tests: 1050 passed, 2 failed, 2 skipped"), r.stdout().lines().toList());
    }

    @Test
    void aRunThatCouldNotHappenHereCountsAsOneSkippedWithItsReason() throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), junitCounts(900, 0, 0, 0));
        Path b = Files.writeString(dir.resolve("b.txt"), "skipped: JDK 21 part: no apt-get here\n");
        Result r = run(Map.of(), "test-summary", "JDK 25=" + a, "JDK 21=" + b);
        assertEquals(0, r.status());
        assertEquals(List.of("JDK 25: 900 passed, 0 failed", "JDK 21: 0 passed, 0 failed, 1 skipped (JDK 21 part: no apt-get here)",
                "tests: 900 passed, 0 failed, 1 skipped"), r.stdout().lines().toList());
    }

    @Test
    void aRunWithoutJUnitCountsCountsAsAFailure() throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), "Exception in thread \"main\"\n");
        Result r = run(Map.of(), "test-summary", a.toString());
        assertEquals(1, r.status());
        assertTrue(r.stdout().endsWith("tests: 0 passed, 1 failed"), r.stdout());
        assertTrue(r.stdout().contains("the test launcher printed no summary"), r.stdout());
    }

    @Test
    void withoutAptGetTheJdk21FetchSaysSoAndExitsTwo() throws Exception {
        Path emptyBin = Files.createDirectories(dir.resolve("empty-bin"));
        Result r = run(Map.of("PATH", emptyBin.toString()), "fetch-jdk21", dir.resolve("jdk21").toString());
        assertEquals(2, r.status(), r.stderr());
        assertEquals("fetch-jdk21: no apt-get on this machine: cannot fetch Debian's JDK 21", r.stderr());
        assertTrue(Files.notExists(dir.resolve("jdk21")), "nothing written");
    }

    @Test
    void aJdk21HomeThatIsNotAJdk21FailsThePartInsteadOfUsingAnother() throws Exception {
        Path jdk = fakeJdk("jdk-17", "17.0.15");
        Path build = dir.resolve("build-jdk21");
        Result r = run(Map.of("JDK21_HOME", jdk.toString()), "test-jdk21", build.toString(), "--select-package", "x");
        assertEquals(0, r.status(), "the summary, not this script, fails the run");
        String out = Files.readString(build.resolve("test-output.txt"), StandardCharsets.UTF_8);
        assertTrue(out.startsWith("failed: JDK 21 part: JDK21_HOME=" + jdk + " is not a JDK 21 (version: 17"), out);
    }
}
