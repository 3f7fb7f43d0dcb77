package claude.code.api.gateway;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.DocumentBlock;
import claude.code.api.events.ImageBlock;
import claude.code.api.events.MediaCheck;
import claude.code.api.events.MediaSource;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;

/**
 * OpenAI chat content parts that carry media, as the Anthropic blocks they mean: an
 * {@code image_url} part becomes an {@link ImageBlock}, a {@code file} part with PDF data a
 * {@link DocumentBlock}, both checked by {@link MediaCheck} under the part's own name.
 */
final class OpenAiMediaParts {
    private OpenAiMediaParts() {}

    /** Whether a part of this {@code type} is a media part. */
    static boolean isMedia(String type) {
        return type.equals("image_url") || type.equals("file");
    }

    /**
     * The block for a media part.
     *
     * @param at the part's name, e.g. {@code messages[1].content[0]}
     */
    static ContentBlock block(JsonObject part, String type, String at) throws HttpError {
        ContentBlock block = type.equals("image_url")
                ? new ImageBlock(source(url(part, "image_url", "url", at), at + ".image_url.url"))
                : new DocumentBlock(source(url(part, "file", "file_data", at), at + ".file.file_data"));
        try {
            MediaCheck.decode(block, at);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        return block;
    }

    private static String url(JsonObject part, String object, String field, String at) throws HttpError {
        if (!(part.get(object) instanceof JsonObject o) || !(o.get(field) instanceof JsonString s)) {
            throw HttpError.badRequest(at + "." + object + "." + field + ": expected a string"
                    + (object.equals("file") ? " (a data URL; file_id needs the Files API, which is not served)" : ""));
        }
        return s.value();
    }

    /** A {@code data:<type>;base64,<data>} URL as a base64 source; any other URL as a url source. */
    private static MediaSource source(String url, String at) throws HttpError {
        if (!url.startsWith("data:")) {
            return new MediaSource.Url(url);
        }
        int comma = url.indexOf(',');
        int marker = comma < 0 ? -1 : url.lastIndexOf(";base64", comma);
        if (marker < 0 || marker + ";base64".length() != comma) {
            throw HttpError.badRequest(at + ": a data URL must be data:<media type>;base64,<data>");
        }
        return new MediaSource.Base64(url.substring("data:".length(), marker), url.substring(comma + 1));
    }
}
