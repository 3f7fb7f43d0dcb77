package claude.code.api.gateway;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.DocumentBlock;
import claude.code.api.events.ImageBlock;
import claude.code.api.events.MediaCheck;
import claude.code.api.events.MediaSource;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;

/**
 * OpenAI content parts that carry media, as the Anthropic blocks they mean: chat's {@code image_url}
 * part and the Responses API's {@code input_image} become an {@link ImageBlock}, chat's {@code file}
 * part and {@code input_file} with PDF data a {@link DocumentBlock}, all checked by {@link MediaCheck}
 * under the part's own name. An image URL that is not a data URL becomes a url source, which
 * {@link MediaCheck} refuses (no network is assumed; with {@code --fetch-media-urls on} {@link MediaFetch} has
 * already made an http(s) one a data URL); a file id is refused here, since no Files API is served.
 */
final class OpenAiMediaParts {
    private OpenAiMediaParts() {}

    /** Whether a chat completions part of this {@code type} is a media part. */
    static boolean isMedia(String type) {
        return type.equals("image_url") || type.equals("file");
    }

    /** Whether a Responses API part of this {@code type} is a media part. */
    static boolean isResponsesMedia(String type) {
        return type.equals("input_image") || type.equals("input_file");
    }

    /**
     * The block for a chat completions media part.
     *
     * @param at the part's name, e.g. {@code messages[1].content[0]}
     */
    static ContentBlock block(JsonObject part, String type, String at) throws HttpError {
        if (type.equals("image_url")) {
            return checked(new ImageBlock(source(url(part, "image_url", "url", at), at + ".image_url.url", true)), at);
        }
        if (part.get("file") instanceof JsonObject file) {
            noFileId(file, at + ".file.file_id");
        }
        return checked(new DocumentBlock(source(url(part, "file", "file_data", at), at + ".file.file_data", false)), at);
    }

    /**
     * The block for a Responses API media part: {@code input_image} with {@code image_url}, {@code input_file}
     * with {@code file_data} (a data URL) or {@code file_url}; {@code detail} and {@code filename} are ignored.
     *
     * @param at the part's name, e.g. {@code input[1].content[0]}
     */
    static ContentBlock responsesBlock(JsonObject part, String type, String at) throws HttpError {
        noFileId(part, at + ".file_id");
        if (type.equals("input_image")) {
            return checked(new ImageBlock(source(string(part, "image_url", at), at + ".image_url", true)), at);
        }
        if (present(part.get("file_url"))) {
            return checked(new DocumentBlock(source(string(part, "file_url", at), at + ".file_url", true)), at);
        }
        return checked(new DocumentBlock(source(string(part, "file_data", at), at + ".file_data", false)), at);
    }

    private static ContentBlock checked(ContentBlock block, String at) throws HttpError {
        try {
            MediaCheck.decode(block, at);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        return block;
    }

    /** A file id names an upload to the Files API, which this gateway does not serve: no id is known (the API's 400). */
    private static void noFileId(JsonObject part, String at) throws HttpError {
        JsonValue id = part.get("file_id");
        if (present(id)) {
            String shown = id instanceof JsonString s ? "'" + FieldPolicy.printable(s.value()) + "'" : "given";
            throw new HttpError(400, "invalid_request_error", at + ": no file with id " + shown + ": this gateway serves "
                    + "no Files API, so send the bytes inline as a data URL", at, null);
        }
    }

    private static boolean present(JsonValue value) {
        return value != null && !(value instanceof JsonNull);
    }

    private static String string(JsonObject part, String field, String at) throws HttpError {
        if (!(part.get(field) instanceof JsonString s)) {
            throw HttpError.badRequest(at + "." + field + ": expected a string" + (field.equals("file_data")
                    ? " (a data URL: data:application/pdf;base64,...)" : ""));
        }
        return s.value();
    }

    private static String url(JsonObject part, String object, String field, String at) throws HttpError {
        if (!(part.get(object) instanceof JsonObject o) || !(o.get(field) instanceof JsonString s)) {
            throw HttpError.badRequest(at + "." + object + "." + field + ": expected a string"
                    + (object.equals("file") ? " (a data URL; file_id needs the Files API, which is not served)" : ""));
        }
        return s.value();
    }

    /**
     * A {@code data:<type>;base64,<data>} URL as a base64 source; any other URL as a url source where a URL may
     * stand ({@code urlAllowed}), else a 400: file data is the bytes themselves.
     */
    private static MediaSource source(String url, String at, boolean urlAllowed) throws HttpError {
        if (!url.startsWith("data:")) {
            if (!urlAllowed) {
                throw HttpError.badRequest(at + ": expected a base64 data URL (data:application/pdf;base64,...)");
            }
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
