package claude.code.api.events;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * A turn as a client of the HTTP gateway receives it: one assistant message whose blocks are
 * the turn's text and thinking, in order, and, when tool activity is shown, the CLI's tool calls
 * and their results as text blocks. The CLI's tools are not the client's: a {@code tool_use}
 * block would make the client try to run a tool it never defined, so tool blocks are never
 * handed out as such.
 *
 * <p>The format of a rendered tool block (the same notation as the concatenated history of {@code HistoryMode.CONCAT_MESSAGE}):
 * <pre>
 * [tool_use id=toolu_1 name=Bash]
 * {"command":"ls"}
 * [/tool_use]
 *
 * [tool_result id=toolu_1]           (" error" after the id when is_error is true)
 * a.txt
 * [/tool_result]
 * </pre>
 * A tool input or result longer than {@link #MAX_TOOL_TEXT} characters is cut there and ends
 * with a line {@code [... N more characters]}.
 *
 * <p>Clients echo these renderings back as history, so the backend registers a session under
 * them too (the fingerprint rules of the backend). Everything here is deterministic for that reason.
 */
public final class TurnRendering {
    /** What joins the text of consecutive blocks when a turn is one string (OpenAI-style content). */
    public static final String BLOCK_SEPARATOR = "\n\n";
    /** The longest tool input or result shown, in characters. */
    public static final int MAX_TOOL_TEXT = 2000;

    private TurnRendering() {}

    /**
     * The block a client sees for {@code block} of the turn, or {@code null} when it sees none.
     *
     * @param fromAssistant the block is in a model message (otherwise in a user record of the turn:
     *     tool results, which are shown, and anything else, which is not)
     * @param toolActivity tool use and tool result blocks become text blocks; otherwise they are dropped
     */
    public static ContentBlock render(ContentBlock block, boolean fromAssistant, boolean toolActivity) {
        if (!fromAssistant) {
            return block instanceof ToolResultBlock r && toolActivity ? toolResultText(r) : null;
        }
        return switch (block) {
            case TextBlock t -> t.text().isEmpty() ? null : t;
            case ThinkingBlock t -> t;
            case RedactedThinkingBlock r -> r;
            case ToolUseBlock u -> toolActivity ? toolUseText(u) : null;
            case ToolResultBlock r -> toolActivity ? toolResultText(r) : null;
            case ImageBlock m -> null;
            case DocumentBlock m -> null;
            case UnknownBlock u -> null;
        };
    }

    /** The blocks a client sees for a turn ({@link TurnSynthesis#synthesize} output), in order. */
    public static List<ContentBlock> blocks(List<Message> turn, boolean toolActivity) {
        List<ContentBlock> out = new ArrayList<>();
        for (Message m : turn) {
            for (ContentBlock b : m.content()) {
                ContentBlock r = render(b, m.role() == Message.Role.ASSISTANT, toolActivity);
                if (r != null) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** The text blocks of {@code blocks} joined by {@link #BLOCK_SEPARATOR}; thinking left out. */
    public static String joinedText(List<ContentBlock> blocks) {
        StringBuilder out = new StringBuilder();
        for (ContentBlock b : blocks) {
            if (b instanceof TextBlock t && !t.text().isEmpty()) {
                if (!out.isEmpty()) {
                    out.append(BLOCK_SEPARATOR);
                }
                out.append(t.text());
            }
        }
        return out.toString();
    }

    public static TextBlock toolUseText(ToolUseBlock use) {
        return new TextBlock("[tool_use id=" + use.id() + " name=" + use.name() + "]\n" + cut(Json.write(use.input()))
                + "\n[/tool_use]");
    }

    public static TextBlock toolResultText(ToolResultBlock result) {
        String content = toolResultLines(result.content());
        String text = content.isEmpty() ? "" : cut(content.substring(0, content.length() - 1)) + "\n";
        return new TextBlock("[tool_result id=" + result.toolUseId() + (Boolean.TRUE.equals(result.isError()) ? " error" : "")
                + "]\n" + text + "[/tool_result]");
    }

    /**
     * A tool result's content as lines of text, each ending in a newline: a string as it is, text
     * blocks by their text, other blocks as {@code [<type> block omitted]}, anything else as JSON.
     */
    public static String toolResultLines(JsonValue content) {
        StringBuilder out = new StringBuilder();
        switch (content) {
            case null -> {}
            case JsonString s -> line(out, s.value());
            case JsonArray a -> {
                for (JsonValue element : a) {
                    String type = element instanceof JsonObject o && o.get("type") instanceof JsonString t ? t.value() : null;
                    if ("text".equals(type) && ((JsonObject) element).get("text") instanceof JsonString text) {
                        line(out, text.value());
                    } else if (type != null) {
                        out.append("[").append(type).append(" block omitted]\n");
                    } else {
                        line(out, Json.write(element));
                    }
                }
            }
            default -> line(out, Json.write(content));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String text) {
        out.append(text);
        if (!text.endsWith("\n")) {
            out.append('\n');
        }
    }

    private static String cut(String text) {
        if (text.length() <= MAX_TOOL_TEXT) {
            return text;
        }
        int end = MAX_TOOL_TEXT;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never split a surrogate pair
        }
        return text.substring(0, end) + "\n[... " + (text.length() - end) + " more characters]";
    }
}
