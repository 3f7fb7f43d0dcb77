package claude.code.api.events;

import claude.code.api.json.JsonObject;
import java.util.Objects;

/** A document (a PDF), {@code {"type": "document", "source": ...}}; the bytes are checked by {@link MediaCheck}. */
public record DocumentBlock(MediaSource source) implements ContentBlock {
    public DocumentBlock {
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String type() {
        return "document";
    }

    @Override
    public JsonObject toJson() {
        return JsonObject.builder().put("type", "document").put("source", source.toJson()).build();
    }
}
