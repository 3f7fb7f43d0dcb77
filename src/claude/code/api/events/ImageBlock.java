package claude.code.api.events;

import claude.code.api.json.JsonObject;
import java.util.Objects;

/** An image, {@code {"type": "image", "source": ...}}; the bytes are checked by {@link MediaCheck}. */
public record ImageBlock(MediaSource source) implements ContentBlock {
    public ImageBlock {
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String type() {
        return "image";
    }

    @Override
    public JsonObject toJson() {
        return JsonObject.builder().put("type", "image").put("source", source.toJson()).build();
    }
}
