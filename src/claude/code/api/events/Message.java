package claude.code.api.events;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonBool;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonNumber;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One message of a conversation, as in the Anthropic Messages API: a role and content blocks.
 * String content is one text block.
 *
 * <p>Blocks a message may hold: a user message text and tool results; an assistant message
 * text, thinking, redacted thinking and tool use. A user message may also hold images and
 * documents that keep {@link MediaCheck}'s rules. Other block types (server tools, ...)
 * cannot be passed to the CLI and are rejected by {@link #fromJson} and by
 * {@code ClaudeCodeBackend.complete} ({@link #checkBlocks}).
 *
 * <p>The same type serves a request's messages and the history the backend fingerprints and seeds
 * sessions from.
 */
public record Message(Role role, List<ContentBlock> content) {

    public enum Role {
        USER, ASSISTANT;

        /** {@code "user"} or {@code "assistant"}. */
        public String wireName() {
            return this == USER ? "user" : "assistant";
        }
    }

    public Message {
        Objects.requireNonNull(role, "role");
        content = List.copyOf(Objects.requireNonNull(content, "content"));
    }

    public static Message user(String text) {
        return new Message(Role.USER, List.of(new TextBlock(text)));
    }

    public static Message assistant(String text) {
        return new Message(Role.ASSISTANT, List.of(new TextBlock(text)));
    }

    public static Message user(ContentBlock... blocks) {
        return new Message(Role.USER, List.of(blocks));
    }

    public static Message assistant(ContentBlock... blocks) {
        return new Message(Role.ASSISTANT, List.of(blocks));
    }

    public static Message of(Role role, ContentBlock... blocks) {
        return new Message(role, List.of(blocks));
    }

    /** The text blocks joined, without separator. */
    public String text() {
        return content.stream().filter(TextBlock.class::isInstance).map(b -> ((TextBlock) b).text())
                .collect(Collectors.joining());
    }

    /** The wire shape {@code {"role": ..., "content": [blocks]}}. */
    public JsonObject toJson() {
        JsonArray.Builder blocks = JsonArray.builder();
        content.forEach(b -> blocks.add(b.toJson()));
        return JsonObject.builder().put("role", role.wireName()).put("content", blocks.build()).build();
    }

    /**
     * Reads the {@code index}-th element of a request's {@code messages}.
     *
     * @throws IllegalArgumentException naming the message and the field, e.g.
     *     {@code messages[2].content[0].type: unsupported block type "search_result"}
     */
    public static Message fromJson(JsonValue json, int index) {
        String at = "messages[" + index + "]";
        if (!(json instanceof JsonObject message)) {
            throw new IllegalArgumentException(at + ": expected an object, found " + Json.describeType(json));
        }
        Role role = switch (message.get("role")) {
            case null -> throw new IllegalArgumentException(at + ".role: missing");
            case JsonString s when s.value().equals("user") -> Role.USER;
            case JsonString s when s.value().equals("assistant") -> Role.ASSISTANT;
            case JsonString s -> throw new IllegalArgumentException(
                    at + ".role: unknown role " + quoted(s.value()) + " (expected \"user\" or \"assistant\")");
            case JsonValue other -> throw new IllegalArgumentException(at + ".role: expected a string, found " + Json.describeType(other));
        };
        List<ContentBlock> blocks = switch (message.get("content")) {
            case null -> throw new IllegalArgumentException(at + ".content: missing");
            case JsonString s -> List.of(new TextBlock(s.value()));
            case JsonArray a -> {
                List<ContentBlock> out = new ArrayList<>(a.size());
                for (int i = 0; i < a.size(); i++) {
                    out.add(block(a.get(i), at + ".content[" + i + "]"));
                }
                yield out;
            }
            case JsonValue other -> throw new IllegalArgumentException(
                    at + ".content: expected a string or an array of blocks, found " + Json.describeType(other));
        };
        Message m = new Message(role, blocks);
        m.checkBlocks(index);
        return m;
    }

    /**
     * Reads a request's {@code messages} array.
     *
     * @throws IllegalArgumentException naming the message and the field at fault
     */
    public static List<Message> listFromJson(JsonValue messages) {
        if (!(messages instanceof JsonArray array)) {
            throw new IllegalArgumentException("messages: expected an array, found " + Json.describeType(messages));
        }
        List<Message> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(fromJson(array.get(i), i));
        }
        return out;
    }

    /**
     * Checks that every block may appear in a message of this role, as the {@code index}-th message
     * of a request.
     *
     * @throws IllegalArgumentException naming {@code messages[index].content[i]}
     */
    public void checkBlocks(int index) {
        for (int i = 0; i < content.size(); i++) {
            ContentBlock b = Objects.requireNonNull(content.get(i), "a content block is null");
            String at = "messages[" + index + "].content[" + i + "]";
            boolean allowed = switch (b) {
                case TextBlock t -> true;
                case ToolResultBlock r -> role == Role.USER;
                case ThinkingBlock t -> role == Role.ASSISTANT;
                case RedactedThinkingBlock r -> role == Role.ASSISTANT;
                case ToolUseBlock u -> role == Role.ASSISTANT;
                case ImageBlock m -> checkedMedia(m, role, at);
                case DocumentBlock m -> checkedMedia(m, role, at);
                case UnknownBlock u -> throw new IllegalArgumentException(at + ".type: unsupported block type "
                        + quoted(u.type()) + " (supported: text, thinking, redacted_thinking, tool_use, tool_result, image, document)");
            };
            if (!allowed) {
                String article = "aeiou".indexOf(b.type().charAt(0)) >= 0 ? "an " : "a ";
                throw new IllegalArgumentException(at + ".type: " + article + b.type() + " block cannot be in "
                        + (role == Role.USER ? "a user" : "an assistant") + " message");
            }
        }
    }

    private static boolean checkedMedia(ContentBlock media, Role role, String at) {
        if (role == Role.USER) {
            MediaCheck.decode(media, at);
        }
        return role == Role.USER;
    }

    private static ContentBlock block(JsonValue json, String at) {
        if (!(json instanceof JsonObject block)) {
            throw new IllegalArgumentException(at + ": expected an object, found " + Json.describeType(json));
        }
        if (!(block.get("type") instanceof JsonString)) {
            throw new IllegalArgumentException(at + ".type: " + (block.has("type")
                    ? "expected a string, found " + Json.describeType(block.get("type")) : "missing"));
        }
        try {
            return ContentBlock.fromJson(block);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
    }

    /**
     * A client's string as an error message quotes it: at most 40 characters (then "..."), control
     * characters escaped, so an error never carries a client's text whole or breaks a log line.
     */
    static String quoted(String value) {
        int end = value.length() <= 40 ? value.length() : value.offsetByCodePoints(0, Math.min(40, value.codePointCount(0, value.length())));
        return Json.quote(value.substring(0, end)) + (end < value.length() ? "..." : "");
    }

    /**
     * Merges adjacent messages of the same role into one, as the Messages API does with
     * consecutive same-role turns. Messages with no blocks are dropped.
     */
    public static List<Message> mergeAdjacent(List<Message> messages) {
        List<Message> out = new ArrayList<>(messages.size());
        List<ContentBlock> pending = null;
        Role pendingRole = null;
        for (Message m : messages) {
            if (m.content.isEmpty()) {
                continue;
            }
            if (pending != null && pendingRole == m.role) {
                pending.addAll(m.content);
                continue;
            }
            if (pending != null) {
                out.add(new Message(pendingRole, pending));
            }
            pending = new ArrayList<>(m.content);
            pendingRole = m.role;
        }
        if (pending != null) {
            out.add(new Message(pendingRole, pending));
        }
        return out;
    }
}
