package claude.code.api;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.DocumentBlock;
import claude.code.api.events.ImageBlock;
import claude.code.api.events.MediaCheck;
import claude.code.api.events.Message;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.session.RequestAmendment;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A checked request: the client's messages in normal shape, the history before the new user
 * turn, and the text to type.
 *
 * <p>Tool results: when the message before the new user turn asks for tools, the turn must open with a
 * {@code tool_result} for each of its {@code tool_use} ids, as the API requires (its error words are kept:
 * missing ids are named). Text after the results belongs to the same turn, as the API gives the model both in one
 * user message; a result after text does not count as immediately after. A result for an id that was not asked
 * for is refused, as the API does.
 *
 * <p>Trailing user messages form the new user turn together (the API merges consecutive
 * same-role messages the same way), so the prior history never ends on a user message.
 *
 * @param messages the whole conversation, adjacent same-role messages merged
 * @param prior {@code messages} without the last (user) message; ends on an assistant message or is empty
 * @param prompt the text of the new user turn: its text blocks, and a marker for each document block, joined by a
 *     blank line; empty when the turn holds only tool results
 * @param results the tool results the new user turn opens with: one for every {@code tool_use} of the message
 *     before it (as the API requires), in the client's order
 * @param images the new user turn's image blocks, in order: attached ahead of its text
 *     (docs/CLI-BEHAVIOUR.md#images: the CLI sends attached images before all of a message's text)
 * @param documents for each document block of the new user turn, the relay's amendment that puts it in place of
 *     the marker {@code prompt} holds where the client put it (docs/CLI-BEHAVIOUR.md#relay-pdfs), in order
 * @param firstDocument {@code messages[i].content[j]} of the new user turn's first document (beside or inside a
 *     tool result too), for the refusal without the relay; {@code null} when it has none
 */
record Conversation(List<Message> messages, List<Message> prior, String prompt, List<ToolResultBlock> results,
        List<ImageBlock> images, List<RequestAmendment> documents, String firstDocument) {

    /** The ids of the tool calls an assistant message leaves open, in order. */
    private static List<String> toolUseIds(Message assistant) {
        List<String> ids = new ArrayList<>();
        for (ContentBlock b : assistant.content()) {
            if (b instanceof ToolUseBlock u) {
                ids.add(u.id());
            }
        }
        return ids;
    }

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
        DocumentMarkers markers = new DocumentMarkers();
        List<String> open = first == 0 ? List.of() : toolUseIds(messages.get(first - 1));
        Set<String> answered = new LinkedHashSet<>();
        List<ToolResultBlock> results = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<ImageBlock> images = new ArrayList<>();
        boolean resultsOnly = true; // the API wants the results first in the turn: text or media ends them
        for (int i = first; i <= last; i++) {
            List<ContentBlock> content = messages.get(i).content();
            for (int k = 0; k < content.size(); k++) {
                switch (content.get(k)) {
                    case ToolResultBlock r -> {
                        if (!open.contains(r.toolUseId()) || !answered.add(r.toolUseId())) {
                            throw new IllegalArgumentException("messages[" + i + "].content[" + k + "]: unexpected "
                                    + "`tool_use_id` found in `tool_result` blocks: " + r.toolUseId() + ". Each "
                                    + "`tool_result` block must have a corresponding `tool_use` block in the previous message.");
                        }
                        if (!resultsOnly) {
                            answered.remove(r.toolUseId());
                        }
                        results.add(r);
                    }
                    case TextBlock t when t.text().isEmpty() -> {}
                    case TextBlock t -> {
                        texts.add(t.text());
                        resultsOnly = false;
                    }
                    case ImageBlock image -> {
                        images.add(image);
                        resultsOnly = false;
                    }
                    case DocumentBlock d -> {
                        texts.add(markers.mark(d.toJson()));
                        resultsOnly = false;
                    }
                    default -> resultsOnly = false;
                }
            }
        }
        List<String> missing = open.stream().filter(id -> !answered.contains(id)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("messages[" + (first - 1) + "]: `tool_use` ids were found without "
                    + "`tool_result` blocks immediately after: " + String.join(", ", missing) + ". Each `tool_use` block "
                    + "must have a corresponding `tool_result` block in the next message.");
        }
        String prompt = String.join("\n\n", texts);
        if (results.isEmpty() && prompt.isBlank() && images.isEmpty()) {
            throw new IllegalArgumentException("messages[" + last + "].content: the last user message has nothing to send "
                    + "(it needs a non-blank text block, an image or a document)");
        }
        List<Message> merged = Message.mergeAdjacent(messages);
        return new Conversation(merged, List.copyOf(merged.subList(0, merged.size() - 1)), prompt, List.copyOf(results),
                List.copyOf(images), markers.amendments(), document);
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

    private static final String NO_DOCUMENTS_TYPED = MediaCheck.DOCUMENTS_NOT_TYPED;

    /**
     * Refuses a document of the new user turn when nothing can carry it: without the model-API relay
     * (docs/CLI-BEHAVIOUR.md#pdfs).
     */
    void requireNoDocumentInNewTurn() {
        if (firstDocument != null) {
            throw new IllegalArgumentException(firstDocument + ": " + MediaCheck.DOCUMENTS_NEED_RELAY);
        }
    }

    private static boolean holdsDocument(ToolResultBlock result) {
        return result.content() instanceof claude.code.api.json.JsonArray blocks && blocks.stream()
                .anyMatch(b -> b instanceof claude.code.api.json.JsonObject o
                        && o.find("type").orElse(null) instanceof claude.code.api.json.JsonString t
                        && t.value().equals("document"));
    }
}
