///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//PREVIEW
//SOURCES src/claude/code/api/**.java
//JAVA_OPTIONS --enable-native-access=ALL-UNNAMED
//MAIN JbangLauncher

/**
 * Runs claude-code-api from its sources with jbang: {@code jbang jbang-launcher.java serve}
 * (or {@code ./jbang-launcher.java serve} with jbang on the PATH). {@code //SOURCES} compiles
 * {@code src/} together with this file, on the class path; this class hands over to the launcher.
 * {@code //PREVIEW} makes jbang compile and run with {@code --enable-preview}: on JDK 21 the FFM API
 * the PTY uses is a preview; on 22+ it is final and the flag changes nothing (no class uses a preview
 * feature there), so the same file runs on 21 and on 25.
 *
 * <p>The JDK's own source launcher ({@code java jbang-launcher.java}) cannot run it in this folder:
 * it finds {@code module-info.java} beside this file and compiles the folder as the module
 * {@code claude.code.api} with its packages below {@code ./claude/}, while they are in {@code src/}.
 * Without jbang, run the jar ({@code make run}). The README says more.
 */
class JbangLauncher {
    public static void main(String[] args) {
        claude.code.api.launcher.Main.main(args);
    }
}
