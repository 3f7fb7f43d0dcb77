package claude.code.api;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.DocumentBlock;
import claude.code.api.events.ImageBlock;
import claude.code.api.events.MediaCheck;
import claude.code.api.events.MediaSource;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import claude.code.api.mcp.ToolResult;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's {@code tool_result} as the MCP result the CLI's held call gets: a string or text blocks become text,
 * base64 image blocks become image content (the CLI gives the model an image block,
 * {@code docs/CLI-BEHAVIOUR.md#mcp-tools}), a document block becomes the text of a marker that the relay replaces by
 * the document in the CLI's requests ({@link DocumentMarkers}, docs/CLI-BEHAVIOUR.md#relay-pdfs), {@code is_error}
 * is kept. Anything the MCP result cannot carry is refused, naming the block, rather than dropped.
 */
final class ClientToolResults {
    private ClientToolResults() {}

    /**
     * @param where the result's place in the request, for errors ({@code messages[3].content[0]})
     * @param documents marks each document block of the result; {@code null} without the model-API relay, where a
     *     document is refused
     * @throws IllegalArgumentException naming the block that cannot be given to the CLI
     */
    static ToolResult of(ToolResultBlock result, String where, DocumentMarkers documents) {
        List<ToolResult.Content> content = new ArrayList<>();
        switch (result.content()) {
            case null -> {}
            case JsonString s -> content.add(new ToolResult.Content.Text(s.value()));
            case JsonArray blocks -> {
                for (int i = 0; i < blocks.size(); i++) {
                    content.add(block(blocks.get(i), where + ".content[" + i + "]", documents));
                }
            }
            case JsonValue other -> throw new IllegalArgumentException(where + ".content: must be a string or an array "
                    + "of content blocks");
        }
        return new ToolResult(content, Boolean.TRUE.equals(result.isError()));
    }

    private static ToolResult.Content block(JsonValue element, String where, DocumentMarkers documents) {
        if (!(element instanceof JsonObject o)) {
            throw new IllegalArgumentException(where + ": must be a content block object");
        }
        ContentBlock block = ContentBlock.fromJson(o);
        return switch (block) {
            case TextBlock t -> new ToolResult.Content.Text(t.text());
            case ImageBlock i when i.source() instanceof MediaSource.Base64 b ->
                    new ToolResult.Content.Image(b.data(), b.mediaType());
            case ImageBlock i -> throw new IllegalArgumentException(where + ".source: an image in a tool result must be "
                    + "base64 data: the CLI's tool call carries image bytes, not a URL");
            case DocumentBlock d when documents == null -> throw new IllegalArgumentException(where + ": "
                    + MediaCheck.DOCUMENTS_NEED_RELAY);
            case DocumentBlock d -> {
                MediaCheck.decode(d, where); // the rules of a document anywhere else: media type, base64
                yield new ToolResult.Content.Text(documents.mark(d.toJson()));
            }
            default -> throw new IllegalArgumentException(where + ": a " + block.type() + " block cannot be a client "
                    + "tool's result here (text, base64 image and document blocks can)");
        };
    }
}
