package claude.code.api.testing;

import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request the mock received, as the CLI sent it.
 *
 * @param sequence  1-based arrival order within one mock
 * @param headers   case-insensitive names
 * @param body      the parsed JSON body; {@link JsonObject#EMPTY} when there was none (or it was not an object)
 * @param bodyError why the body could not be parsed, or {@code null}
 */
public record RecordedRequest(
        long sequence,
        Instant receivedAt,
        String method,
        String path,
        String query,
        Map<String, List<String>> headers,
        JsonObject body,
        String bodyError,
        Kind kind) {

    /** Which part of the CLI sent a request. See {@link #classify}. */
    public enum Kind {
        /** The conversation itself: the prompt, tool results, retries. */
        MAIN_LOOP,
        /** A {@code /v1/messages} call the CLI makes for itself (session title and the like). */
        SIDE_QUERY,
        /** {@code POST /v1/messages/count_tokens}. */
        COUNT_TOKENS,
        /** {@code HEAD /api/hello}: the CLI's reachability probe (only without nonessential-traffic suppression). */
        CONNECTIVITY_CHECK,
        /** Anything else; answered 404. */
        UNEXPECTED
    }

    public RecordedRequest {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableMap(copy);
    }

    /**
     * Main-loop requests are told apart by shape, as the CLI 2.1.331 sends them: they carry the
     * CLI's environment context as a {@code role: "system"} entry inside {@code messages}, and no
     * structured-output format. Side queries (e.g. title generation, which asks for
     * {@code output_config.format} {@code {title}}) have neither.
     */
    static Kind classify(String method, String path, JsonObject body) {
        boolean post = method.equals("POST");
        if (post && path.equals("/v1/messages/count_tokens")) {
            return Kind.COUNT_TOKENS;
        }
        if (post && path.equals("/v1/messages")) {
            boolean structured = body.findObject("output_config").map(c -> c.has("format")).orElse(false);
            boolean systemEntry = body.findArray("messages").stream().flatMap(JsonArray::stream)
                    .anyMatch(m -> m instanceof JsonObject o && "system".equals(o.string("role", null)));
            return systemEntry && !structured ? Kind.MAIN_LOOP : Kind.SIDE_QUERY;
        }
        if ((method.equals("HEAD") || method.equals("GET")) && path.equals("/api/hello")) {
            return Kind.CONNECTIVITY_CHECK;
        }
        return Kind.UNEXPECTED;
    }

    public boolean isMainLoop() {
        return kind == Kind.MAIN_LOOP;
    }

    /** The first value of a header. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** The {@code X-Claude-Code-Session-Id} header: the CLI's session id. */
    public Optional<String> sessionId() {
        return header("X-Claude-Code-Session-Id");
    }

    public boolean isStreaming() {
        return body.findBool("stream").orElse(false);
    }

    public String model() {
        return body.string("model", "claude-mock");
    }

    /** {@code messages} of the body (empty if absent). */
    public List<JsonObject> messages() {
        List<JsonObject> out = new ArrayList<>();
        for (JsonValue v : body.findArray("messages").orElse(JsonArray.EMPTY)) {
            if (v instanceof JsonObject o) {
                out.add(o);
            }
        }
        return out;
    }

    /** The last {@code role: "user"} message (the CLI also puts {@code system} entries in {@code messages}). */
    public Optional<JsonObject> lastUserMessage() {
        return messages().reversed().stream().filter(m -> "user".equals(m.string("role", null))).findFirst();
    }

    /** The {@code tool_result} blocks of the last user message: non-empty when this request continues a tool round. */
    public List<JsonObject> toolResults() {
        return lastUserMessage().map(m -> blocksOfType(m, "tool_result")).orElse(List.of());
    }

    /**
     * A {@code tool_result} block as the model receives it, for assertions: its text, an image as
     * {@code [<media type>]} (the CLI's own note beside an image left out), {@code "error: "} in front when
     * {@code is_error}.
     */
    public static String resultText(JsonObject result) {
        String text = switch (result.get("content")) {
            case JsonString s -> s.value();
            case JsonArray blocks -> blocks.stream().map(b -> (JsonObject) b).map(b -> b.string("type").equals("image")
                    ? "[" + b.object("source").string("media_type") + "]" : b.string("text", ""))
                    .filter(t -> !t.startsWith("[Image: source")).collect(java.util.stream.Collectors.joining(""));
            case null, default -> "";
        };
        return (result.findBool("is_error").orElse(false) ? "error: " : "") + text;
    }

    /**
     * The text the user typed last: the last text block, other than a {@code <system-reminder>} the
     * CLI adds, of the last user message that has one. Tool-result messages are skipped, so during a
     * tool round this is still the prompt that started it. Empty string when there is none.
     */
    public String promptText() {
        for (JsonObject m : messages().reversed()) {
            if (!"user".equals(m.string("role", null))) {
                continue;
            }
            if (m.get("content") instanceof JsonString s && !isReminder(s.value())) {
                return s.value();
            }
            List<JsonObject> texts = blocksOfType(m, "text");
            for (JsonObject t : texts.reversed()) {
                String text = t.string("text", "");
                if (!isReminder(text)) {
                    return text;
                }
            }
        }
        return "";
    }

    private static boolean isReminder(String text) {
        return text.stripLeading().startsWith("<system-reminder>");
    }

    static List<JsonObject> blocksOfType(JsonObject message, String type) {
        List<JsonObject> out = new ArrayList<>();
        if (message.get("content") instanceof JsonArray blocks) {
            for (JsonValue b : blocks) {
                if (b instanceof JsonObject o && type.equals(o.string("type", null))) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    /** Never prints the API key (or the body: it holds conversation data). */
    @Override
    public String toString() {
        return "#%d %s %s%s (%s, session %s)".formatted(sequence, method, path, query == null ? "" : "?" + query,
                kind, sessionId().orElse("-"));
    }
}
