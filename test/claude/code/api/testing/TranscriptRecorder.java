package claude.code.api.testing;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.transcript.TranscriptPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Records the transcript fixtures of {@code test/resources/transcripts/} (described in the README
 * there): the real pinned CLI against {@link MockMessagesApi}, in print mode and interactively
 * (in a {@link ScriptTerminal}). Not a test; run it with {@code make transcripts}.
 *
 * <p>Temp paths are replaced by {@value #STABLE_ROOT} and the mock's port by {@value #STABLE_PORT},
 * so fixtures do not change with the machine; nothing else is altered.
 */
public final class TranscriptRecorder {

    static final String STABLE_ROOT = "/tmp/claude-test-home";
    static final String STABLE_PORT = "40000";
    private static final Duration GUARD = Duration.ofSeconds(60);

    private TranscriptRecorder() {}

    /** {@code TranscriptRecorder [dir [name...]]}: records every fixture, or only the named ones. */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "test/resources/transcripts");
        List<String> only = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
        Files.createDirectories(out);
        Map<String, Recording> recordings = new LinkedHashMap<>();

        recordings.put("print-plain", name -> print(out, name, b -> b, "hello there"));
        recordings.put("print-tool-use", name -> print(out, name, b -> b, "please USE_TOOL now"));
        recordings.put("print-thinking", name -> print(out, name, b -> b, "THINK about it"));
        recordings.put("print-redacted-thinking", name -> print(out, name, b -> b, "REDACTED thoughts"));
        recordings.put("print-api-error", name -> print(out, name, b -> b.maxRetries(1), "ERR500 now"));

        recordings.put("interactive-plain", name -> interactive(out, name, b -> b, s -> {
            s.turn("hello there", TURN_DURATION);
            s.turn("second turn", TURN_DURATION);
        }));
        recordings.put("interactive-tool-use", name -> interactive(out, name, b -> b,
                s -> s.turn("please USE_TOOL now", TURN_DURATION)));
        recordings.put("interactive-thinking", name -> interactive(out, name, b -> b,
                s -> s.turn("THINK about it", TURN_DURATION)));
        recordings.put("interactive-api-error", name -> interactive(out, name, b -> b.maxRetries(1), s -> {
            s.turn("ERR500 now", API_ERROR);
            s.turn("after error", TURN_DURATION);
        }));
        recordings.put("interactive-interrupted", name -> interactive(out, name, b -> b, s -> {
            s.submit("SLOW1 stream please");
            // The TUI shows a text block only once it is complete, so wait on the mock instead:
            // the request is in, then about two words (one per second) have streamed.
            s.api.awaitRequests(RecordedRequest::isMainLoop, 1, GUARD);
            Thread.sleep(2500);
            s.interruptAndAwait(INTERRUPTED);
            s.turn("after interrupt", TURN_DURATION);
        }));
        recordings.put("interactive-tool-interrupted", name -> interactive(out, name, b -> b, s -> {
            s.submit("TOOL_SLEEP30 please");
            s.awaitSleepingTool();
            s.interruptAndAwait(INTERRUPTED);
        }));

        for (String name : only) {
            if (!recordings.containsKey(name)) {
                throw new IllegalArgumentException("no recording named " + name + "; known: " + recordings.keySet());
            }
        }
        for (var entry : recordings.entrySet()) {
            if (only.isEmpty() || only.contains(entry.getKey())) {
                entry.getValue().record(entry.getKey());
            }
        }
    }

    @FunctionalInterface
    interface Recording {
        void record(String name) throws Exception;
    }

    // --- end-of-turn records (docs/CLI-BEHAVIOUR.md#end-of-turn) ---------------------------------

    static final Predicate<JsonObject> TURN_DURATION =
            r -> "system".equals(r.string("type", null)) && "turn_duration".equals(r.string("subtype", null));
    static final Predicate<JsonObject> API_ERROR = r -> r.findBool("isApiErrorMessage").orElse(false);
    static final Predicate<JsonObject> INTERRUPTED = r -> "user".equals(r.string("type", null))
            && r.findObject("message").map(m -> m.get("content")).filter(c -> c instanceof JsonArray a
                    && a.stream().anyMatch(b -> b instanceof JsonObject o
                            && o.string("text", "").startsWith("[Request interrupted by user")))
            .isPresent();

    // --- print mode --------------------------------------------------------------------------------

    private static void print(Path out, String name, UnaryOperator<ClaudeTestHome.Builder> options, String prompt)
            throws IOException {
        try (MockMessagesApi api = MockMessagesApi.start();
                ClaudeTestHome home = options.apply(ClaudeTestHome.builder(api)).build()) {
            CliPeer.Run run = CliPeer.run(home, GUARD, "-p", prompt);
            System.out.printf("%s: exit %d, %s%n", name, run.exitCode(), run.stdout().strip());
            save(out, name, home, api);
        }
    }

    // --- interactive -----------------------------------------------------------------------------

    @FunctionalInterface
    interface Steps {
        void run(Session session) throws Exception;
    }

    /** One interactive session: the terminal, its home, and waits on the transcript. */
    static final class Session {
        final MockMessagesApi api;
        final ClaudeTestHome home;
        final ScriptTerminal terminal;

        Session(MockMessagesApi api, ClaudeTestHome home, ScriptTerminal terminal) {
            this.api = api;
            this.home = home;
            this.terminal = terminal;
        }

        void submit(String prompt) throws Exception {
            terminal.submit(prompt);
        }

        /** Submits a prompt and waits for one more record matching {@code end}. */
        void turn(String prompt, Predicate<JsonObject> end) throws Exception {
            int before = count(end);
            submit(prompt);
            awaitCount(end, before + 1);
        }

        void interruptAndAwait(Predicate<JsonObject> end) throws Exception {
            int before = count(end);
            terminal.type("\u001b"); // ESC
            awaitCount(end, before + 1);
        }

        void awaitSleepingTool() throws InterruptedException {
            long deadline = System.nanoTime() + GUARD.toNanos();
            while (home.strayProcesses().stream().noneMatch(p -> p.info().command().orElse("").endsWith("/sleep"))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Bash tool never started sleep");
                }
                Thread.sleep(50);
            }
        }

        private int count(Predicate<JsonObject> end) throws IOException {
            return (int) records(home).stream().filter(end).count();
        }

        private void awaitCount(Predicate<JsonObject> end, int wanted) throws Exception {
            long deadline = System.nanoTime() + GUARD.toNanos();
            while (count(end) < wanted) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("transcript never reached the expected record; screen: "
                            + terminal.output().length() + " bytes");
                }
                Thread.sleep(50);
            }
        }
    }

    private static void interactive(Path out, String name, UnaryOperator<ClaudeTestHome.Builder> options, Steps steps)
            throws Exception {
        try (MockMessagesApi api = MockMessagesApi.start();
                ClaudeTestHome home = options.apply(ClaudeTestHome.builder(api)).build()) {
            try (ScriptTerminal terminal = new ScriptTerminal(home, 120, 40, List.of())) {
                terminal.awaitOutput(ScriptTerminal.READY, 0, GUARD);
                steps.run(new Session(api, home, terminal));
            }
            System.out.printf("%s: %d main-loop requests%n", name, api.mainLoopRequests().size());
            save(out, name, home, api);
        }
    }

    // --- saving ------------------------------------------------------------------------------------

    private static List<JsonObject> records(ClaudeTestHome home) throws IOException {
        List<JsonObject> records = new ArrayList<>();
        for (Path transcript : home.transcripts()) {
            for (String line : Files.readAllLines(transcript, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && line.endsWith("}")) { // the last line may still be being written
                    records.add((JsonObject) Json.parse(line));
                }
            }
        }
        return records;
    }

    private static void save(Path out, String name, ClaudeTestHome home, MockMessagesApi api) throws IOException {
        List<Path> transcripts = home.transcripts();
        if (transcripts.size() != 1) {
            throw new IllegalStateException(name + ": expected one transcript, found " + transcripts);
        }
        String root = home.root().toString();
        String text = Files.readString(transcripts.getFirst(), StandardCharsets.UTF_8)
                .replace(root, STABLE_ROOT)
                .replace(TranscriptPaths.projectDirName(root), TranscriptPaths.projectDirName(STABLE_ROOT))
                .replace("127.0.0.1:" + api.port(), "127.0.0.1:" + STABLE_PORT);
        if (text.contains(ClaudeTestHome.API_KEY)) {
            throw new IllegalStateException(name + ": the transcript holds the API key");
        }
        for (String line : text.split("\n")) {
            if (!(Json.parse(line) instanceof JsonObject)) { // still valid JSON after the replacements
                throw new IllegalStateException(name + ": not a JSON object line: " + line);
            }
        }
        Path file = out.resolve(name + ".jsonl");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        System.out.printf("  -> %s (%d records)%n", file, text.split("\n").length);
    }
}
