package claude.code.api.testing;

import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import claude.code.api.testing.MockReply.Block;
import claude.code.api.testing.MockReply.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The default responder: scripted through the prompt alone, so that every layer above (the
 * library, the gateway, benchmarks, the demo) can steer the mock without code.
 *
 * <p>Keywords are read from {@link RecordedRequest#promptText()} — the last text the user typed,
 * not the CLI's {@code <system-reminder>} blocks, and not earlier prompts (after an API error
 * the CLI merges the failed prompt into the next user message; only its last block counts).
 * They combine, e.g. {@code "USE_TOOL THINK SLOW0p2"}.
 *
 * <table>
 * <caption>Keywords</caption>
 * <tr><th>keyword</th><th>reply</th></tr>
 * <tr><td>(none)</td><td>text {@code MOCK REPLY to: <prompt, whitespace collapsed, first 80 chars> | nmsgs=<messages in the request>}</td></tr>
 * <tr><td>{@code USE_TOOL}</td><td>text {@code Running a command.} + Bash {@code tool_use} {@code echo mock-tool-output}
 *     ({@code stop_reason: tool_use}); the CLI runs it and sends the {@code tool_result}, answered with
 *     {@code MOCK REPLY after tool: <result content> | nmsgs=<n>}</td></tr>
 * <tr><td>{@code TOOL_SLEEP<n>}</td><td>as {@code USE_TOOL} with {@code echo mock-tool-sleeping && sleep <n>} (a bare {@code sleep} of 25 s or more is refused by the CLI): a tool that is still running when a test interrupts</td></tr>
 * <tr><td>{@code CLIENT_TOOL}</td><td>text {@code Let me ask your tool.} + a {@code tool_use} of the first client tool the
 *     request offers (an {@code mcp__} tool: the gateway's client tools), input {@code {"query": <prompt excerpt>}}
 *     ({@code stop_reason: tool_use}); plain text as without the keyword when the request offers none</td></tr>
 * <tr><td>{@code THINK}</td><td>a thinking block (signature {@code base64("mock-signature:" + thought)}) before the reply</td></tr>
 * <tr><td>{@code REDACTED}</td><td>a {@code redacted_thinking} block before the reply</td></tr>
 * <tr><td>{@code SLOW<s>}</td><td>{@code s} seconds before every delta, {@code p} as decimal point: {@code SLOW1}, {@code SLOW0p2}
 *     (applies to every request of the turn, tool rounds included)</td></tr>
 * <tr><td>{@code LONGREPLY} / {@code LONGREPLY<n>}</td><td>120 (or {@code n}) numbered lines of text</td></tr>
 * <tr><td>{@code ERR<status>}</td><td>HTTP error {@code status} with the API's error body, every time;
 *     {@code ERR429} and {@code ERR529} carry {@code retry-after: 1}</td></tr>
 * <tr><td>{@code ERR<status>x<n>}</td><td>the first {@code n} identical requests (i.e. the CLI's retries) fail, then the reply is normal</td></tr>
 * <tr><td>{@code STREAMERR}</td><td>starts streaming the reply, then sends an SSE {@code error} event ({@code overloaded_error})
 *     before the text block ends; the CLI then retries without streaming, which gets the whole reply</td></tr>
 * <tr><td>{@code DROP}</td><td>starts the reply, then drops the connection mid-stream (every request of the prompt,
 *     the CLI's retries included)</td></tr>
 * <tr><td>{@code HANG}</td><td>never answers, until the mock is closed</td></tr>
 * </table>
 *
 * <p>Error, hang and tool keywords act only on the request that carries the prompt, not on the
 * follow-up that carries a tool result. Usage is left to {@link MessageEncoder#usageFor}.
 */
public final class KeywordResponder implements Function<RecordedRequest, MockReply> {

    private static final Pattern SLOW = Pattern.compile("\\bSLOW(\\d+(?:p\\d+)?)\\b");
    private static final Pattern ERR = Pattern.compile("\\bERR(\\d{3})(?:x(\\d+))?\\b");
    private static final Pattern LONG = Pattern.compile("\\bLONGREPLY(\\d+)?\\b");
    private static final Pattern TOOL_SLEEP = Pattern.compile("\\bTOOL_SLEEP(\\d+)\\b");
    private static final Pattern USE_TOOL = word("USE_TOOL");
    private static final Pattern CLIENT_TOOL = word("CLIENT_TOOL");
    private static final Pattern THINK = word("THINK");
    private static final Pattern REDACTED = word("REDACTED");
    private static final Pattern HANG = word("HANG");
    private static final Pattern STREAMERR = word("STREAMERR");
    private static final Pattern DROP = word("DROP");
    private static final int EXCERPT = 80;

    /** Failures already served per identical request, for {@code ERR<status>x<n>}. */
    private final Map<String, AtomicInteger> failuresServed = new ConcurrentHashMap<>();

    @Override
    public MockReply apply(RecordedRequest request) {
        String prompt = request.promptText();
        List<JsonObject> toolResults = request.toolResults();
        Duration delay = slowDelay(prompt);
        if (!toolResults.isEmpty()) {
            String result = excerpt(toolResultText(toolResults.getFirst()));
            return MockReply.text("MOCK REPLY after tool: " + result + " | nmsgs=" + request.messages().size()).slowly(delay);
        }

        Matcher err = ERR.matcher(prompt);
        if (err.find()) {
            int status = Integer.parseInt(err.group(1));
            if (err.group(2) == null || failuresServed(request, prompt).getAndIncrement() < Integer.parseInt(err.group(2))) {
                return status == 429 || status == 529 ? MockReply.error(status, 1) : MockReply.error(status);
            }
        }
        if (HANG.matcher(prompt).find()) {
            return MockReply.hang();
        }

        List<Block> blocks = new ArrayList<>();
        if (THINK.matcher(prompt).find()) {
            String thought = "Let me think about: " + excerpt(prompt);
            blocks.add(new MockReply.Thinking(thought, MockReply.signatureOf(thought)));
        }
        if (REDACTED.matcher(prompt).find()) {
            blocks.add(MockReply.redactedThinking());
        }
        Matcher longReply = LONG.matcher(prompt);
        Matcher sleep = TOOL_SLEEP.matcher(prompt);
        boolean sleepTool = sleep.find();
        String stopReason = "end_turn";
        String clientTool = CLIENT_TOOL.matcher(prompt).find() ? clientTool(request) : null;
        if (clientTool != null) {
            blocks.add(new MockReply.Text("Let me ask your tool."));
            blocks.add(new MockReply.ToolUse("toolu_mock_" + Integer.toHexString(prompt.hashCode()), clientTool,
                    JsonObject.builder().put("query", excerpt(prompt)).build()));
            stopReason = "tool_use";
        } else if (sleepTool || USE_TOOL.matcher(prompt).find()) {
            // Not a bare `sleep`: the CLI blocks a command whose first part is `sleep N` with N >= 25.
            String command = sleepTool ? "echo mock-tool-sleeping && sleep " + sleep.group(1) : "echo mock-tool-output";
            blocks.addAll(MockReply.textThenBash("Running a command.", command).content());
            stopReason = "tool_use";
        } else if (longReply.find()) {
            int lines = longReply.group(1) == null ? 120 : Integer.parseInt(longReply.group(1));
            blocks.add(MockReply.longText(lines).content().getFirst());
        } else {
            blocks.add(new MockReply.Text("MOCK REPLY to: " + excerpt(prompt) + " | nmsgs=" + request.messages().size()));
        }
        if (DROP.matcher(prompt).find()) {
            return new MockReply.Drop(blocks);
        }
        if (STREAMERR.matcher(prompt).find()) {
            return new MockReply.StreamError(blocks, "overloaded_error", "Overloaded");
        }
        return new Message(blocks, stopReason, delay, null);
    }

    /** The name of the first MCP tool the request offers (the CLI's names for the client's tools), or null. */
    private static String clientTool(RecordedRequest request) {
        for (JsonValue tool : request.body().findArray("tools").orElse(JsonArray.EMPTY)) {
            if (tool instanceof JsonObject t && t.string("name", "").startsWith("mcp__")) {
                return t.string("name");
            }
        }
        return null;
    }

    private AtomicInteger failuresServed(RecordedRequest request, String prompt) {
        // The CLI's retries repeat the request exactly; a later turn has more messages.
        String key = request.sessionId().orElse("") + '\u0000' + request.messages().size() + '\u0000' + prompt;
        return failuresServed.computeIfAbsent(key, k -> new AtomicInteger());
    }

    private static Pattern word(String keyword) {
        return Pattern.compile("\\b" + keyword + "\\b");
    }

    static Duration slowDelay(String prompt) {
        Matcher m = SLOW.matcher(prompt);
        if (!m.find()) {
            return Duration.ZERO;
        }
        double seconds = Double.parseDouble(m.group(1).replace('p', '.'));
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    /** Whitespace collapsed, at most {@value #EXCERPT} characters. */
    static String excerpt(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        if (flat.length() <= EXCERPT) {
            return flat;
        }
        return flat.substring(0, Character.isHighSurrogate(flat.charAt(EXCERPT - 1)) ? EXCERPT - 1 : EXCERPT);
    }

    private static String toolResultText(JsonObject toolResult) {
        JsonValue content = toolResult.get("content");
        return switch (content) {
            case null -> "";
            case JsonString s -> s.value();
            case JsonArray blocks -> {
                StringBuilder out = new StringBuilder();
                for (JsonValue b : blocks) {
                    if (b instanceof JsonObject o) {
                        out.append(o.string("text", ""));
                    }
                }
                yield out.toString();
            }
            default -> content.toJson();
        };
    }
}
