package claude.code.api.events;

import claude.code.api.json.JsonObject;
import java.util.Objects;

public record TextBlock(String text) implements ContentBlock {
    public TextBlock {
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String type() {
        return "text";
    }

    @Override
    public JsonObject toJson() {
        return JsonObject.builder().put("type", "text").put("text", text).build();
    }
}
