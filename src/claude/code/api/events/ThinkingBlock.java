package claude.code.api.events;

import claude.code.api.json.JsonObject;
import java.util.Objects;

/** Extended thinking; the signature must be sent back unchanged for the API to accept the block. */
public record ThinkingBlock(String thinking, String signature) implements ContentBlock {
    public ThinkingBlock {
        Objects.requireNonNull(thinking, "thinking");
        Objects.requireNonNull(signature, "signature");
    }

    @Override
    public String type() {
        return "thinking";
    }

    @Override
    public JsonObject toJson() {
        return JsonObject.builder().put("type", "thinking").put("thinking", thinking).put("signature", signature).build();
    }
}
