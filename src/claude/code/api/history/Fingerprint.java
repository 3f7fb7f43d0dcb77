package claude.code.api.history;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.DocumentBlock;
import claude.code.api.events.ImageBlock;
import claude.code.api.events.MediaSource;
import claude.code.api.events.UnknownBlock;
import claude.code.api.events.Message;
import claude.code.api.events.RedactedThinkingBlock;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.TurnRendering;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Conversation fingerprints: SHA-256 of the canonical JSON of the history's normal form. The
 * rule and the registered views are in the package documentation.
 */
public final class Fingerprint {
    private Fingerprint() {}

    /** The fingerprint of {@code history}: 64 lowercase hex digits. */
    public static String of(List<Message> history) {
        return new HistoryDigest(history).followedBy(List.of());
    }

    /**
     * Every key a session should be found under once it has answered {@code conversation} (the
     * client's messages, the last one the user message of this turn) with {@code turn} (the
     * turn's messages, from {@link TurnSynthesis#synthesize}): one per view of
     * {@code conversation + turn} that clients are known to echo back.
     */
    public static Set<String> registrationKeys(List<Message> conversation, List<Message> turn) {
        List<List<Message>> tails = new ArrayList<>();
        tails.add(turn);
        List<TextBlock> texts = new ArrayList<>();
        String finalText = "";
        for (Message m : turn) {
            if (m.role() != Message.Role.ASSISTANT) {
                continue;
            }
            StringBuilder messageText = new StringBuilder();
            for (ContentBlock b : m.content()) {
                if (b instanceof TextBlock t && !t.text().isEmpty()) {
                    texts.add(t);
                    messageText.append(t.text());
                }
            }
            finalText = messageText.toString();
        }
        if (!finalText.isEmpty()) {
            tails.add(List.of(Message.assistant(finalText)));
        }
        if (!texts.isEmpty()) {
            tails.add(List.of(new Message(Message.Role.ASSISTANT, List.copyOf(texts))));
            StringBuilder joined = new StringBuilder();
            texts.forEach(t -> joined.append(t.text()));
            tails.add(List.of(Message.assistant(joined.toString())));
        }
        for (boolean toolActivity : new boolean[] {false, true}) { // as the HTTP gateway renders the turn
            List<ContentBlock> rendered = TurnRendering.blocks(turn, toolActivity);
            if (!rendered.isEmpty()) {
                tails.add(List.of(new Message(Message.Role.ASSISTANT, rendered)));
                String joined = TurnRendering.joinedText(rendered);
                if (!joined.isEmpty()) {
                    tails.add(List.of(Message.assistant(joined)));
                }
            }
        }
        return keys(conversation, tails);
    }

    /**
     * Every key a session that waits for the client's tool results is found under: {@code conversation} (the
     * client's messages of the turn) followed by {@code toolUse} (the assistant message the client got, its
     * tool_use blocks under the client's names), in each shape clients echo it: the whole message; its thinking
     * dropped; its text joined into one block (as OpenAI clients keep {@code content}, joined by a blank line or by
     * nothing) ahead of the tool_use blocks; the tool_use blocks alone (an OpenAI message whose {@code content} was
     * {@code null} or {@code ""}); each also with thinking dropped from the history. Tool inputs compare as JSON
     * values ({@link Json#canonical}), so re-serialised {@code arguments} find the session too.
     */
    public static Set<String> awaitingKeys(List<Message> conversation, Message toolUse) {
        List<ContentBlock> uses = toolUse.content().stream().filter(b -> b instanceof ToolUseBlock).toList();
        List<ContentBlock> texts = toolUse.content().stream().filter(b -> b instanceof TextBlock t && !t.text().isEmpty())
                .toList();
        List<List<ContentBlock>> shapes = new ArrayList<>();
        shapes.add(toolUse.content());
        shapes.add(uses);
        for (String separator : List.of(TurnRendering.BLOCK_SEPARATOR, "")) {
            StringBuilder joined = new StringBuilder();
            for (ContentBlock t : texts) {
                if (!joined.isEmpty()) {
                    joined.append(separator);
                }
                joined.append(((TextBlock) t).text());
            }
            List<ContentBlock> shape = new ArrayList<>();
            if (!joined.isEmpty()) {
                shape.add(new TextBlock(joined.toString()));
            }
            shape.addAll(uses);
            shapes.add(shape);
        }
        List<List<Message>> tails = new ArrayList<>();
        for (List<ContentBlock> shape : shapes) {
            tails.add(List.of(new Message(Message.Role.ASSISTANT, shape)));
        }
        return keys(conversation, tails);
    }

    /**
     * {@code conversation} followed by each tail, as it is and with all thinking dropped ({@link #withoutThinking}
     * of the whole): the conversation is hashed once per form, not once per view.
     */
    private static Set<String> keys(List<Message> conversation, List<List<Message>> tails) {
        HistoryDigest whole = new HistoryDigest(conversation);
        boolean thinks = conversation.stream().flatMap(m -> m.content().stream())
                .anyMatch(b -> b instanceof ThinkingBlock || b instanceof RedactedThinkingBlock);
        HistoryDigest withoutThinking = thinks ? new HistoryDigest(withoutThinking(conversation)) : whole;
        Set<String> keys = new LinkedHashSet<>();
        for (List<Message> tail : tails) {
            keys.add(whole.followedBy(tail));
            keys.add(withoutThinking.followedBy(withoutThinking(tail)));
        }
        return keys;
    }

    /**
     * The normal form: blocks normalised ({@link #normalise(ContentBlock)}), empty text blocks
     * and then empty messages dropped, adjacent same-role messages merged.
     */
    public static List<Message> normalise(List<Message> history) {
        List<Message> out = new ArrayList<>(history.size());
        for (Message m : history) {
            List<ContentBlock> blocks = new ArrayList<>(m.content().size());
            for (ContentBlock b : m.content()) {
                ContentBlock n = normalise(b);
                if (n != null) {
                    blocks.add(n);
                }
            }
            out.add(new Message(m.role(), blocks));
        }
        return Message.mergeAdjacent(out);
    }

    /**
     * One block in normal form, or {@code null} to drop it: an empty text block is dropped; a
     * tool result's string content becomes one text block, empty content becomes absent, the
     * blocks inside it are normalised, and {@code is_error: false} becomes absent (the API's
     * default). Fields the API does not define were already dropped by {@link ContentBlock#fromJson}.
     */
    public static ContentBlock normalise(ContentBlock block) {
        return switch (block) {
            case TextBlock t -> t.text().isEmpty() ? null : t;
            case ToolResultBlock r -> new ToolResultBlock(r.toolUseId(), normaliseToolResultContent(r.content()),
                    Boolean.TRUE.equals(r.isError()) ? Boolean.TRUE : null);
            case ImageBlock i -> mediaDigest(i.type(), i.source());
            case DocumentBlock d -> { // its title and context are part of what the model read
                JsonObject digest = ((UnknownBlock) mediaDigest(d.type(), d.source())).raw();
                JsonObject named = d.toJson();
                for (String field : new String[] {"title", "context"}) {
                    if (named.get(field) != null) {
                        digest = digest.with(field, named.get(field));
                    }
                }
                yield new UnknownBlock(d.type(), digest);
            }
            default -> block;
        };
    }

    /**
     * A media block as its fingerprint counts it: the SHA-256 of the decoded bytes, so a history of
     * images is hashed without copying megabytes of base64 into the canonical JSON.
     */
    private static ContentBlock mediaDigest(String type, MediaSource source) {
        if (!(source instanceof MediaSource.Base64 b)) {
            return new UnknownBlock(type, JsonObject.builder().put("type", type)
                    .put("source", source.toJson()).build());
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(b.data());
        } catch (IllegalArgumentException e) {
            bytes = b.data().getBytes(StandardCharsets.UTF_8); // not checked yet: hash what there is
        }
        return new UnknownBlock(type, JsonObject.builder().put("type", type).put("source", JsonObject.builder()
                .put("type", "sha256").put("media_type", b.mediaType()).put("digest", sha256Bytes(bytes)).build()).build());
    }

    /** The history with thinking and redacted thinking removed (many clients drop them when echoing). */
    public static List<Message> withoutThinking(List<Message> history) {
        List<Message> out = new ArrayList<>(history.size());
        for (Message m : history) {
            List<ContentBlock> kept = m.content().stream()
                    .filter(b -> !(b instanceof ThinkingBlock) && !(b instanceof RedactedThinkingBlock)).toList();
            out.add(new Message(m.role(), kept));
        }
        return out;
    }

    private static JsonValue normaliseToolResultContent(JsonValue content) {
        return switch (content) {
            case null -> null;
            case JsonString s when s.value().isEmpty() -> null;
            case JsonString s -> JsonArray.of(new TextBlock(s.value()).toJson());
            case JsonArray a when a.isEmpty() -> null;
            case JsonArray a -> {
                JsonArray.Builder out = JsonArray.builder();
                for (JsonValue element : a) {
                    out.add(normaliseNested(element));
                }
                yield out.build();
            }
            default -> content;
        };
    }

    private static JsonValue normaliseNested(JsonValue element) {
        if (element instanceof JsonObject o && o.find("type").orElse(null) instanceof JsonString) {
            try {
                ContentBlock n = normalise(ContentBlock.fromJson(o));
                return n == null ? o : n.toJson();
            } catch (IllegalArgumentException e) {
                return o; // not a block we can read: compare it as it is
            }
        }
        return element;
    }

    static String sha256Bytes(byte[] bytes) {
        return HexFormat.of().formatHex(HistoryDigest.sha256().digest(bytes));
    }
}
