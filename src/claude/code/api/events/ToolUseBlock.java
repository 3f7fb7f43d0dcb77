package claude.code.api.events;

import claude.code.api.json.JsonObject;
import java.util.Objects;

/** The model asks for a tool: {@code name} with {@code input}; {@code id} pairs it with its result. */
public record ToolUseBlock(String id, String name, JsonObject input) implements ContentBlock {
    public ToolUseBlock {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
    }

    @Override
    public String type() {
        return "tool_use";
    }

    @Override
    public JsonObject toJson() {
        return JsonObject.builder().put("type", "tool_use").put("id", id).put("name", name).put("input", input).build();
    }
}
