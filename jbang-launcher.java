///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 22+
//SOURCES src/claude/code/api/**.java
//JAVA_OPTIONS --enable-native-access=ALL-UNNAMED
//MAIN JbangLauncher

/**
 * Runs claude-code-api from its sources with jbang: {@code jbang jbang-launcher.java serve}
 * (or {@code ./jbang-launcher.java serve} with jbang on the PATH). {@code //SOURCES} compiles
 * {@code src/} together with this file, on the class path; this class hands over to the launcher.
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
