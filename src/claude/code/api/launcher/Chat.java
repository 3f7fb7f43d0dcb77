package claude.code.api.launcher;

import claude.code.api.BackendOptions;
import claude.code.api.ClaudeCodeBackend;
import claude.code.api.events.AssistantMessage;
import claude.code.api.events.ContentBlock;
import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.Message;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.UserMessage;
import claude.code.api.events.TurnRendering;
import claude.code.api.json.Json;
import claude.code.api.launcher.Flags.UsageException;
import claude.code.api.launcher.Preflight.SetupException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code chat}: a conversation with the CLI in this terminal. The answer's text goes to stdout as
 * each block arrives; thinking, tool calls and results and a closing line with the turn's figures
 * go to stderr, so {@code chat "question" > answer.txt} keeps just the answer.
 */
final class Chat {
    private static final int TOOL_LINE = 160;

    private Chat() {}

    static int run(Flags flags, Map<String, String> env, PrintStream out, PrintStream err) throws UsageException, SetupException {
        BackendOptions options;
        try {
            options = Main.backendOptions(flags, env).maxSessions(1).build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Main.preflight(options, env);
        ClaudeCodeBackend backend = new ClaudeCodeBackend(options);
        Thread onSignal = new Thread(backend::close, "claude-code-api-chat-shutdown"); // Ctrl-C: stop the CLI too
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            if (!flags.positional().isEmpty()) {
                String prompt = String.join(" ", flags.positional());
                return turn(backend, List.of(Message.user(prompt)), out, err) != null ? 0 : Main.EXIT_FAILED;
            }
            return repl(backend, out, err);
        } finally {
            backend.close();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    private static int repl(ClaudeCodeBackend backend, PrintStream out, PrintStream err) {
        boolean tty = System.console() != null;
        if (tty) {
            err.println("claude-code-api chat: one message per line; Ctrl-D ends the conversation.");
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<Message> history = new ArrayList<>();
        int failures = 0;
        while (true) {
            if (tty) {
                err.print("> ");
                err.flush();
            }
            String line;
            try {
                line = in.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (line == null) {
                return failures == 0 ? 0 : Main.EXIT_FAILED;
            }
            if (line.isBlank()) {
                continue;
            }
            history.add(Message.user(line));
            String answer = turn(backend, history, out, err);
            if (answer == null) {
                history.removeLast(); // the next line starts from the last good turn
                failures++;
            } else {
                history.add(Message.assistant(answer));
            }
        }
    }

    /** Runs one turn, printing it; returns the answer's text (blocks joined as the gateway joins them), or {@code null} on failure. */
    static String turn(ClaudeCodeBackend backend, List<Message> messages, PrintStream out, PrintStream err) {
        List<ContentBlock> shown = new ArrayList<>();
        try (EventStream turn = backend.complete(messages)) {
            while (turn.hasNext()) {
                Event event = turn.next();
                switch (event) {
                    case AssistantMessage a when !a.isApiError() -> {
                        for (ContentBlock b : a.content()) {
                            switch (b) {
                                case TextBlock t when !t.text().isEmpty() -> {
                                    out.print((shown.isEmpty() ? "" : TurnRendering.BLOCK_SEPARATOR) + t.text());
                                    out.flush();
                                    shown.add(t);
                                }
                                case ThinkingBlock t -> err.println("  (thinking) " + oneLine(t.thinking()));
                                case ToolUseBlock u -> err.println("  [" + u.name() + "] " + oneLine(Json.write(u.input())));
                                default -> {}
                            }
                        }
                    }
                    case UserMessage u when u.hasToolResult() && !u.prompt() -> {
                        for (ContentBlock b : u.content()) {
                            if (b instanceof ToolResultBlock r) {
                                String text = TurnRendering.toolResultText(r).text();
                                String body = text.substring(text.indexOf('\n') + 1, text.lastIndexOf("[/tool_result]")).strip();
                                err.println("   -> " + (Boolean.TRUE.equals(r.isError()) ? "error: " : "") + oneLine(body)
                                        + (body.lines().count() > 1 ? " (" + body.lines().count() + " lines)" : ""));
                            }
                        }
                    }
                    case ResultMessage r -> {
                        if (!shown.isEmpty()) {
                            out.println();
                            out.flush();
                        }
                        if (r.isError() || r.interrupted()) {
                            err.println("error: " + (r.errorText() == null ? "the turn did not complete" : r.errorText()));
                            return null;
                        }
                        err.println(String.format(Locale.ROOT, "  [%.1f s, %d API call(s), %d in / %d out tokens, session %s]",
                                r.duration().toMillis() / 1000.0, r.apiCalls(),
                                r.usage().inputTokens() + r.usage().cacheReadInputTokens() + r.usage().cacheCreationInputTokens(),
                                r.usage().outputTokens(), r.sessionId()));
                        return TurnRendering.joinedText(shown);
                    }
                    default -> {}
                }
            }
            err.println("error: the turn ended without a result");
            return null;
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return null;
        }
    }

    private static String oneLine(String s) {
        String line = s.replaceAll("\\s+", " ").strip();
        return line.length() <= TOOL_LINE ? line : line.substring(0, TOOL_LINE) + "...";
    }
}
