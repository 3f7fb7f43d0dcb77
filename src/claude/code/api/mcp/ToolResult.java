package claude.code.api.mcp;

import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonBool;
import claude.code.api.json.JsonObject;
import java.util.List;

/** The client's answer to one tool call, as MCP {@code CallToolResult} content. */
public record ToolResult(List<Content> content, boolean isError) {
    public ToolResult {
        content = List.copyOf(content);
    }

    public static ToolResult text(String text) {
        return new ToolResult(List.of(new Content.Text(text)), false);
    }

    public static ToolResult error(String text) {
        return new ToolResult(List.of(new Content.Text(text)), true);
    }

    /** One content block: the CLI turns text into text and an image into an API image block. */
    public sealed interface Content {
        record Text(String text) implements Content {}

        /** @param data base64, as the API's image source carries it */
        record Image(String data, String mimeType) implements Content {}
    }

    JsonObject toJson() {
        JsonArray.Builder blocks = JsonArray.builder();
        for (Content c : content) {
            blocks.add(switch (c) {
                case Content.Text t -> JsonObject.builder().put("type", "text").put("text", t.text()).build();
                case Content.Image i -> JsonObject.builder().put("type", "image").put("data", i.data())
                        .put("mimeType", i.mimeType()).build();
            });
        }
        return JsonObject.builder().put("content", blocks.build()).put("isError", JsonBool.of(isError)).build();
    }
}
