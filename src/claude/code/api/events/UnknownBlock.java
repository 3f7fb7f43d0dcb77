package claude.code.api.events;

import claude.code.api.json.JsonObject;
import java.util.Objects;

/** A block of a type this library does not model (images, documents, server tools...), kept whole. */
public record UnknownBlock(String type, JsonObject raw) implements ContentBlock {
    public UnknownBlock {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(raw, "raw");
    }

    @Override
    public JsonObject toJson() {
        return raw;
    }
}
