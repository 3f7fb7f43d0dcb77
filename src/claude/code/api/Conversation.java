package claude.code.api;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.DocumentBlock;
import claude.code.api.events.ImageBlock;
import claude.code.api.events.Message;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ToolResultBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * A checked request: the client's messages in normal shape, the history before the new user
 * turn, and the text to type.
 *
 * <p>Trailing user messages form the new user turn together (the API merges consecutive
 * same-role messages the same way), so the prior history never ends on a user message.
 *
 * @param messages the whole conversation, adjacent same-role messages merged
 * @param prior {@code messages} without the last (user) message; ends on an assistant message or is empty
 * @param prompt the text of the new user turn: its text blocks joined by a blank line
 * @param images the new user turn's image blocks, in order: attached ahead of its text
 *     (docs/CLI-BEHAVIOUR.md#images: the CLI sends attached images before all of a message's text)
 */
record Conversation(List<Message> messages, List<Message> prior, String prompt, List<ImageBlock> images) {

    /** @throws IllegalArgumentException naming the message index and field at fault */
    static Conversation of(List<Message> messages) {
        if (messages == null) {
            throw new IllegalArgumentException("messages: must not be null");
        }
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("messages: must not be empty");
        }
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (m == null) {
                throw new IllegalArgumentException("messages[" + i + "]: is null");
            }
            m.checkBlocks(i);
        }
        int last = messages.size() - 1;
        if (messages.get(last).role() != Message.Role.USER) {
            throw new IllegalArgumentException("messages[" + last + "].role: the last message must be \"user\", not \""
                    + messages.get(last).role().wireName() + "\"");
        }
        int first = last;
        while (first > 0 && messages.get(first - 1).role() == Message.Role.USER) {
            first--;
        }
        String document = firstDocument(messages.subList(first, last + 1), first);
        if (document != null) {
            throw new IllegalArgumentException(document + ": " + NO_DOCUMENTS);
        }
        List<String> texts = new ArrayList<>();
        List<ImageBlock> images = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            List<ContentBlock> content = messages.get(i).content();
            for (int k = 0; k < content.size(); k++) {
                switch (content.get(k)) {
                    case TextBlock t when !t.text().isEmpty() -> texts.add(t.text());
                    case ImageBlock image -> images.add(image);
                    case ToolResultBlock r -> throw new IllegalArgumentException("messages[" + i + "].content[" + k
                            + "]: a tool_result cannot be typed into the CLI; the last user message may hold only text "
                            + "(the CLI runs its own tools)");
                    default -> {}
                }
            }
        }
        String prompt = String.join("\n\n", texts);
        if (prompt.isBlank() && images.isEmpty()) {
            throw new IllegalArgumentException("messages[" + last + "].content: the last user message has nothing to send "
                    + "(it needs a non-blank text block or an image)");
        }
        List<Message> merged = Message.mergeAdjacent(messages);
        return new Conversation(merged, List.copyOf(merged.subList(0, merged.size() - 1)), prompt, List.copyOf(images));
    }

    /**
     * Refuses a document of the history when it cannot be given to the CLI: with
     * {@code concat_message} the history is typed, and a typed prompt cannot carry a document.
     */
    void requireNoDocumentsInPrior() {
        String document = firstDocument(prior, 0);
        if (document != null) {
            throw new IllegalArgumentException(document + ": " + NO_DOCUMENTS_TYPED + " (the history is typed with "
                    + "concat_message; native_jsonl seeds it)");
        }
    }

    /** {@code messages[i].content[j]} of the first document block (also inside a tool result), or {@code null}. */
    private static String firstDocument(List<Message> messages, int offset) {
        for (int i = 0; i < messages.size(); i++) {
            List<ContentBlock> content = messages.get(i).content();
            for (int k = 0; k < content.size(); k++) {
                if (content.get(k) instanceof DocumentBlock || content.get(k) instanceof ToolResultBlock r && holdsDocument(r)) {
                    return "messages[" + (i + offset) + "].content[" + k + "]";
                }
            }
        }
        return null;
    }

    private static final String NO_DOCUMENTS_TYPED = "document blocks cannot be typed into the Claude Code CLI: it attaches "
            + "a PDF only as a line naming the file, not as a document block, and its Read tool (which would return one) "
            + "is off in these sessions";

    /** Why a document block of the new user turn is refused (docs/CLI-BEHAVIOUR.md#pdfs). */
    static final String NO_DOCUMENTS = NO_DOCUMENTS_TYPED + "; a document reaches the model only earlier in the history "
            + "(seeded, native_jsonl), so send its text as a text block instead";

    private static boolean holdsDocument(ToolResultBlock result) {
        return result.content() instanceof claude.code.api.json.JsonArray blocks && blocks.stream()
                .anyMatch(b -> b instanceof claude.code.api.json.JsonObject o
                        && o.find("type").orElse(null) instanceof claude.code.api.json.JsonString t
                        && t.value().equals("document"));
    }
}
