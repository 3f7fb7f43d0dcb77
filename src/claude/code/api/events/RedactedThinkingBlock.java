package claude.code.api.events;

import claude.code.api.json.JsonObject;
import java.util.Objects;

/** Thinking the API returned encrypted; opaque, sent back as is. */
public record RedactedThinkingBlock(String data) implements ContentBlock {
    public RedactedThinkingBlock {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public String type() {
        return "redacted_thinking";
    }

    @Override
    public JsonObject toJson() {
        return JsonObject.builder().put("type", "redacted_thinking").put("data", data).build();
    }
}
