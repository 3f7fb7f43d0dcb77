package claude.code.api.history;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.TextBlock;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation in the Anthropic Messages shape: a role and content blocks.
 * The internal twin of the public {@code claude.code.api.Message} (this package sits below the
 * public one and cannot see it).
 */
public record HistoryMessage(boolean assistant, List<ContentBlock> content) {
    public HistoryMessage {
        content = List.copyOf(Objects.requireNonNull(content, "content"));
    }

    public static HistoryMessage user(ContentBlock... blocks) {
        return new HistoryMessage(false, List.of(blocks));
    }

    public static HistoryMessage assistant(ContentBlock... blocks) {
        return new HistoryMessage(true, List.of(blocks));
    }

    public static HistoryMessage user(String text) {
        return user(new TextBlock(text));
    }

    public static HistoryMessage assistant(String text) {
        return assistant(new TextBlock(text));
    }

    /** {@code "user"} or {@code "assistant"}. */
    public String role() {
        return assistant ? "assistant" : "user";
    }

    /** The wire shape {@code {"role": ..., "content": [blocks]}}. */
    public JsonObject toJson() {
        JsonArray.Builder blocks = JsonArray.builder();
        for (ContentBlock b : content) {
            blocks.add(b.toJson());
        }
        return JsonObject.builder().put("role", role()).put("content", blocks.build()).build();
    }

    /**
     * Merges adjacent messages of the same role into one, as the Messages API does with
     * consecutive same-role turns. Messages with no blocks are dropped.
     */
    public static List<HistoryMessage> mergeAdjacent(List<HistoryMessage> messages) {
        List<HistoryMessage> out = new ArrayList<>(messages.size());
        List<ContentBlock> pending = null;
        boolean pendingAssistant = false;
        for (HistoryMessage m : messages) {
            if (m.content.isEmpty()) {
                continue;
            }
            if (pending != null && pendingAssistant == m.assistant) {
                pending.addAll(m.content);
                continue;
            }
            if (pending != null) {
                out.add(new HistoryMessage(pendingAssistant, pending));
            }
            pending = new ArrayList<>(m.content);
            pendingAssistant = m.assistant;
        }
        if (pending != null) {
            out.add(new HistoryMessage(pendingAssistant, pending));
        }
        return out;
    }
}
