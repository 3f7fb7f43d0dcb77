package claude.code.api.events;

import claude.code.api.json.JsonObject;
import java.util.Objects;
import java.util.Set;

/**
 * Where an {@link ImageBlock}'s or {@link DocumentBlock}'s bytes are: inline base64, inline plain text (documents)
 * or a URL, in the Messages API's {@code source} shape.
 */
public sealed interface MediaSource {

    /** Media types an image block may carry, as the Messages API accepts them. */
    Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

    /** The most decoded bytes one image may have (the Messages API's 5 MB per image). */
    int MAX_IMAGE_BYTES = 5 * 1024 * 1024;

    /** The wire shape of this source. */
    JsonObject toJson();

    /** {@code {"type": "base64", "media_type": ..., "data": ...}}. */
    record Base64(String mediaType, String data) implements MediaSource {
        public Base64 {
            Objects.requireNonNull(mediaType, "media_type");
            Objects.requireNonNull(data, "data");
        }

        @Override
        public JsonObject toJson() {
            return JsonObject.builder().put("type", "base64").put("media_type", mediaType).put("data", data).build();
        }
    }

    /**
     * {@code {"type": "text", "media_type": "text/plain", "data": ...}}: a plain-text document, its text inline (the
     * Messages API's plain-text document source; not an image source).
     */
    record Text(String mediaType, String data) implements MediaSource {
        public Text {
            Objects.requireNonNull(mediaType, "media_type");
            Objects.requireNonNull(data, "data");
        }

        @Override
        public JsonObject toJson() {
            return JsonObject.builder().put("type", "text").put("media_type", mediaType).put("data", data).build();
        }
    }

    /**
     * {@code {"type": "url", "url": ...}}: refused, since no network is assumed, unless the gateway fetches it first
     * ({@code --fetch-media-urls on}) and hands on a {@link Base64} source instead.
     */
    record Url(String url) implements MediaSource {
        public Url {
            Objects.requireNonNull(url, "url");
        }

        @Override
        public JsonObject toJson() {
            return JsonObject.builder().put("type", "url").put("url", url).build();
        }
    }

    /**
     * Reads a {@code source} object.
     *
     * @throws IllegalArgumentException naming the field when it is missing, of the wrong type or of an unknown source type
     */
    static MediaSource fromJson(JsonObject source) {
        String type = source.string("type");
        return switch (type) {
            case "base64" -> new Base64(source.string("media_type"), source.string("data"));
            case "text" -> new Text(source.string("media_type"), source.string("data"));
            case "url" -> new Url(source.string("url"));
            default -> throw new IllegalArgumentException("source.type: unsupported source type " + Message.quoted(type)
                    + " (supported: base64, text, url)");
        };
    }
}
