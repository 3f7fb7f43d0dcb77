package claude.code.api.history;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.Message;
import claude.code.api.events.RedactedThinkingBlock;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.TurnRendering;
import claude.code.api.events.UnknownBlock;
import claude.code.api.events.ImageBlock;
import claude.code.api.events.DocumentBlock;
import claude.code.api.json.Json;
import java.util.List;

/**
 * The first prompt of a fresh session in {@code CONCAT_MESSAGE} mode: the prior history folded
 * into one message, then the new user text. The format is in the package documentation.
 */
public final class ConcatPrompt {
    static final String PREAMBLE = "Below is our conversation so far, between <conversation> tags; you are the "
            + "assistant in it. Continue the conversation: reply to my new message, which follows the closing tag.";

    private ConcatPrompt() {}

    /**
     * The prompt; it starts with the fixed preamble, never with client text. An image of the history
     * is a line {@code [image #n: attached to this message]}: the caller attaches the images of
     * {@link #withImages} to this prompt, and the CLI sends them ahead of its text, in that order.
     */
    public static String build(List<Message> prior, String newText) {
        StringBuilder out = new StringBuilder(PREAMBLE).append("\n\n<conversation>\n");
        int images = 0;
        for (Message m : Message.mergeAdjacent(prior)) {
            out.append('<').append(m.role().wireName()).append(">\n");
            for (ContentBlock b : m.content()) {
                if (b instanceof ImageBlock) {
                    out.append("[image #").append(++images).append(": attached to this message]\n");
                    continue;
                }
                appendBlock(out, b);
            }
            out.append("</").append(m.role().wireName()).append(">\n");
        }
        return out.append("</conversation>\n\n").append(newText).toString();
    }

    /** The history's images (top-level blocks, in order), then the new turn's: what {@link #build}'s prompt attaches. */
    public static List<ImageBlock> withImages(List<Message> prior, List<ImageBlock> newImages) {
        List<ImageBlock> out = new java.util.ArrayList<>();
        for (Message m : prior) {
            for (ContentBlock b : m.content()) {
                if (b instanceof ImageBlock image) {
                    out.add(image);
                }
            }
        }
        out.addAll(newImages);
        return List.copyOf(out);
    }

    private static void appendBlock(StringBuilder out, ContentBlock block) {
        switch (block) {
            case TextBlock t -> line(out, t.text());
            // the model's private reasoning: not replayed as text it would read as said
            case ThinkingBlock t -> {}
            case RedactedThinkingBlock r -> {}
            case ToolUseBlock u -> {
                out.append("[tool_use id=").append(u.id()).append(" name=").append(u.name()).append("]\n");
                line(out, Json.write(u.input()));
                out.append("[/tool_use]\n");
            }
            case ToolResultBlock r -> {
                out.append("[tool_result id=").append(r.toolUseId())
                        .append(Boolean.TRUE.equals(r.isError()) ? " error" : "").append("]\n");
                out.append(TurnRendering.toolResultLines(r.content()));
                out.append("[/tool_result]\n");
            }
            case ImageBlock m -> out.append("[image block omitted]\n");
            case DocumentBlock m -> out.append("[document block omitted]\n");
            case UnknownBlock u -> out.append("[").append(u.type()).append(" block omitted]\n");
        }
    }

    private static void line(StringBuilder out, String text) {
        out.append(text);
        if (!text.endsWith("\n")) {
            out.append('\n');
        }
    }
}
