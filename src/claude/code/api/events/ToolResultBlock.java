package claude.code.api.events;

import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonValue;
import java.util.Objects;

/**
 * A tool's result for the {@link ToolUseBlock} with id {@code toolUseId}.
 *
 * @param content a string or an array of blocks, as on the wire; {@code null} when absent
 * @param isError {@code null} when absent: the API rejects {@code "is_error": null}, so absent stays absent
 */
public record ToolResultBlock(String toolUseId, JsonValue content, Boolean isError) implements ContentBlock {
    public ToolResultBlock {
        Objects.requireNonNull(toolUseId, "toolUseId");
    }

    @Override
    public String type() {
        return "tool_result";
    }

    @Override
    public JsonObject toJson() {
        JsonObject.Builder b = JsonObject.builder().put("type", "tool_result").put("tool_use_id", toolUseId)
                .putIfPresent("content", content);
        if (isError != null) {
            b.put("is_error", isError);
        }
        return b.build();
    }
}
