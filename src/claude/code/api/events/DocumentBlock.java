package claude.code.api.events;

import claude.code.api.json.JsonObject;
import java.util.Objects;

/**
 * A document (a PDF, or plain text), {@code {"type": "document", "source": ..., "title": ..., "context": ...}}; the
 * bytes are checked by {@link MediaCheck}.
 *
 * @param title the document's title as the client gave it, or {@code null}
 * @param context the client's context for it, or {@code null}
 */
public record DocumentBlock(MediaSource source, String title, String context) implements ContentBlock {
    public DocumentBlock {
        Objects.requireNonNull(source, "source");
    }

    /** A document without title and context. */
    public DocumentBlock(MediaSource source) {
        this(source, null, null);
    }

    @Override
    public String type() {
        return "document";
    }

    @Override
    public JsonObject toJson() {
        JsonObject.Builder json = JsonObject.builder().put("type", "document").put("source", source.toJson());
        if (title != null) {
            json.put("title", title);
        }
        if (context != null) {
            json.put("context", context);
        }
        return json.build();
    }
}
