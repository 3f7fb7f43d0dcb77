package claude.code.api.events;

import claude.code.api.json.JsonObject;

/** A content block of a message, in the Anthropic Messages API shape. */
public sealed interface ContentBlock
        permits TextBlock, ThinkingBlock, RedactedThinkingBlock, ToolUseBlock, ToolResultBlock, ImageBlock,
        DocumentBlock, UnknownBlock {

    /** The wire {@code type}: {@code text}, {@code thinking}, {@code tool_use}, ... */
    String type();

    /** The wire shape of this block. */
    JsonObject toJson();

    /**
     * Reads a block in the wire shape. A block of a type this library does not model becomes an
     * {@link UnknownBlock} that keeps the JSON; fields the API does not define are dropped
     * (e.g. {@code cache_control}, {@code citations}).
     *
     * @throws IllegalArgumentException naming the field when a required field is missing or of the wrong type
     */
    static ContentBlock fromJson(JsonObject block) {
        String type = block.string("type");
        return switch (type) {
            case "text" -> new TextBlock(block.string("text"));
            case "thinking" -> new ThinkingBlock(block.string("thinking"), block.string("signature", ""));
            case "redacted_thinking" -> new RedactedThinkingBlock(block.string("data"));
            case "tool_use" -> new ToolUseBlock(block.string("id"), block.string("name"),
                    block.findObject("input").orElse(JsonObject.EMPTY));
            case "tool_result" -> new ToolResultBlock(block.string("tool_use_id"), block.get("content"),
                    block.findBool("is_error").orElse(null));
            case "image" -> new ImageBlock(MediaSource.fromJson(block.object("source")));
            case "document" -> new DocumentBlock(MediaSource.fromJson(block.object("source")), block.string("title", null),
                    block.string("context", null));
            default -> new UnknownBlock(type, block);
        };
    }
}
