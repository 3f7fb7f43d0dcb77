package claude.code.api.testing;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonValue;
import claude.code.api.terminal.TerminalScreen;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What one CLI version does in a fixed interactive session against {@link MockMessagesApi}, written
 * as text that does not change from run to run, so that two versions can be compared with
 * {@code diff} ({@code make drift} does). Not a test.
 *
 * <p>The session (in a {@link ScriptTerminal}, 120x40): a plain turn, a turn where the CLI runs a
 * tool, a turn the mock fails with a 500 ({@code CLAUDE_CODE_MAX_RETRIES=1}), a turn after it.
 * Every hook event the CLI offers for this is configured with {@code --settings} to append its
 * JSON input to a file. The report has three parts:
 * <ul>
 *   <li>{@code records}: each transcript record as its type (and subtype), its content block types
 *       and its sorted top-level keys — the shape, without ids, times or text;
 *   <li>{@code hooks}: per turn, the distinct hook calls as event name and sorted input keys, sorted
 *       (hooks of one turn may run concurrently, so their order is not compared);
 *   <li>{@code screens}: the terminal's text when the prompt is first ready and after each turn,
 *       digits as {@code #} (versions, timers, ports), the temporary home as {@code <home>} and the
 *       spinner's random verb ("Sautéed for 2s") as {@code <verb>}, the header's animated logo as
 *       {@code <logo>}.
 * </ul>
 *
 * <p>{@code CliDriftProbe OUTPUT_FILE}; the CLI is the one named by the {@code claude.cli} property.
 */
public final class CliDriftProbe {

    private static final Duration GUARD = Duration.ofSeconds(90);
    /** The hook events a turn, a tool call, an API error and the session's start and end can raise. */
    private static final List<String> HOOK_EVENTS = List.of("SessionStart", "UserPromptSubmit", "PreToolUse",
            "PostToolUse", "Notification", "Stop", "StopFailure", "MessageDisplay", "SessionEnd");

    private static final Predicate<JsonObject> TURN_DURATION = TranscriptRecorder.TURN_DURATION;
    private static final Predicate<JsonObject> API_ERROR = TranscriptRecorder.API_ERROR;

    private CliDriftProbe() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CliDriftProbe OUTPUT_FILE");
        }
        List<String> report = new ArrayList<>();
        try (MockMessagesApi api = MockMessagesApi.start();
                ClaudeTestHome home = ClaudeTestHome.builder(api).maxRetries(1).build()) {
            Path hookLog = home.root().resolve("hooks.jsonl");
            Path settings = home.root().resolve("probe-settings.json");
            Files.writeString(settings, hookSettings(hookLog), StandardCharsets.UTF_8);
            List<String> screens = new ArrayList<>();
            try (ScriptTerminal terminal = new ScriptTerminal(home, 120, 40, List.of("--settings", settings.toString()))) {
                terminal.awaitOutput(ScriptTerminal.READY, 0, GUARD);
                Thread.sleep(500);
                screens.add(screen("ready", terminal, home));
                turn(terminal, home, "hello there", TURN_DURATION);
                screens.add(screen("after a plain turn", terminal, home));
                turn(terminal, home, "please USE_TOOL now", TURN_DURATION);
                screens.add(screen("after a tool turn", terminal, home));
                turn(terminal, home, "ERR500 now", API_ERROR);
                screens.add(screen("after an API error", terminal, home));
                turn(terminal, home, "after error", TURN_DURATION);
                screens.add(screen("after the turn after the error", terminal, home));
            }
            Thread.sleep(500); // SessionEnd runs as the CLI exits
            report.add("== records");
            for (JsonObject record : records(home)) report.add(recordShape(record));
            report.add("== hooks");
            report.addAll(hookShapes(hookLog));
            report.add("== screens");
            report.addAll(screens);
        }
        Path out = Path.of(args[0]);
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.write(out, report, StandardCharsets.UTF_8);
        System.out.println("drift probe: " + CliPeer.executable() + " -> " + out + " (" + report.size() + " lines)");
    }

    /** {@code {"hooks":{"<event>":[{"matcher":"","hooks":[{"type":"command","command":"…"}]}]}}}. */
    private static String hookSettings(Path log) {
        String command = "{ cat; echo; } >> '" + log + "'";
        JsonObject.Builder hooks = JsonObject.builder();
        for (String event : HOOK_EVENTS) {
            JsonObject handler = JsonObject.builder().put("type", "command").put("command", command).build();
            JsonObject matcher = JsonObject.builder().put("matcher", "").put("hooks", JsonArray.of(handler)).build();
            hooks.put(event, JsonArray.of(matcher));
        }
        return Json.write(JsonObject.builder().put("hooks", hooks.build()).build());
    }

    private static void turn(ScriptTerminal terminal, ClaudeTestHome home, String prompt, Predicate<JsonObject> end)
            throws Exception {
        long before = records(home).stream().filter(end).count();
        terminal.submit(prompt);
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (records(home).stream().filter(end).count() <= before) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the turn \"" + prompt + "\" never ended in the transcript");
            }
            Thread.sleep(50);
        }
        Thread.sleep(1000); // the TUI finishes drawing after the record
    }

    private static String screen(String title, ScriptTerminal terminal, ClaudeTestHome home) {
        TerminalScreen screen = new TerminalScreen(120, 40);
        screen.feed(terminal.output().getBytes(StandardCharsets.UTF_8));
        String[] lines = screen.text().replace(home.root().toString(), "<home>").replaceAll("[0-9]+", "#")
                .replaceAll("(?m)^✻ \\S+ for", "✻ <verb> for") // a verb picked at random each turn
                .split("\n", -1);
        for (int i = 0; i < Math.min(4, lines.length); i++) {
            lines[i] = lines[i].replaceFirst("^[ \u2580-\u259F]+(?=\\S)", "<logo> "); // the header's animated logo
        }
        return "-- " + title + "\n" + String.join("\n", lines);
    }

    private static List<JsonObject> records(ClaudeTestHome home) throws IOException {
        List<JsonObject> records = new ArrayList<>();
        for (Path transcript : home.transcripts()) {
            for (String line : Files.readAllLines(transcript, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && line.endsWith("}")) records.add((JsonObject) Json.parse(line));
            }
        }
        return records;
    }

    static String recordShape(JsonObject record) {
        StringBuilder shape = new StringBuilder(record.string("type", "?"));
        String subtype = record.string("subtype", null);
        if (subtype != null) shape.append('/').append(subtype);
        record.findObject("message").ifPresent(message -> {
            if (message.get("content") instanceof JsonArray blocks) {
                List<String> types = new ArrayList<>();
                for (JsonValue block : blocks) {
                    types.add(block instanceof JsonObject b ? b.string("type", "?") : "string");
                }
                shape.append(' ').append(types);
            } else if (message.get("content") != null) {
                shape.append(" [string]");
            }
        });
        return shape.append(' ').append(new TreeSet<>(record.names())).toString();
    }

    /** Per turn (prompt_id; none before the first), the distinct call shapes, sorted: hooks of a turn race each other. */
    private static List<String> hookShapes(Path log) throws IOException {
        if (!Files.exists(log)) return List.of("(no hook ran)");
        Map<String, TreeSet<String>> byTurn = new LinkedHashMap<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            JsonObject input = (JsonObject) Json.parse(line);
            String shape = input.string("hook_event_name", "?") + " " + new TreeSet<>(input.names());
            byTurn.computeIfAbsent(input.string("prompt_id", "(before the first prompt)"), k -> new TreeSet<>()).add(shape);
        }
        List<String> shapes = new ArrayList<>();
        int turn = 0;
        for (var entry : byTurn.entrySet()) {
            shapes.add(entry.getKey().startsWith("(") ? "-- " + entry.getKey() : "-- turn " + ++turn);
            shapes.addAll(entry.getValue());
        }
        return shapes;
    }
}
