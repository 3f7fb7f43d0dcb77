package claude.code.api.events;

import java.util.Base64;

/**
 * The rules a client's image and document blocks keep before they go anywhere: a known media type,
 * valid base64 (a document may also be plain text), at most {@link MediaSource#MAX_IMAGE_BYTES} per image, and no URL source (no
 * network is assumed: the gateway fetches one, before this check, only with {@code --fetch-media-urls on}).
 */
public final class MediaCheck {
    private MediaCheck() {}

    /** Why a document block cannot be typed into the CLI (docs/CLI-BEHAVIOUR.md#pdfs). */
    public static final String DOCUMENTS_NOT_TYPED = "document blocks cannot be typed into the Claude Code CLI: it "
            + "attaches a PDF only as a line naming the file, not as a document block, and its Read tool (which would "
            + "return one) is off in these sessions";

    /**
     * Why a document block in the new user turn (or in a client tool's result) is refused without the model-API relay:
     * what would carry it.
     */
    public static final String DOCUMENTS_NEED_RELAY = DOCUMENTS_NOT_TYPED + "; in the new user turn or a tool result "
            + "a document reaches the model through the model-API relay (it puts the block into the CLI's request), "
            + "which is off here (modelApiRelay(false), or another provider); earlier in the history it is seeded "
            + "(native_jsonl)";

    /**
     * The decoded bytes of a media block that keeps the rules.
     *
     * @param at where the block is, e.g. {@code messages[2].content[0]}, named by every error
     * @throws IllegalArgumentException naming {@code at}, the field and for bad base64 the byte offset
     */
    public static byte[] decode(ContentBlock block, String at) {
        boolean image = block instanceof ImageBlock;
        MediaSource source = switch (block) {
            case ImageBlock i -> i.source();
            case DocumentBlock d -> d.source();
            default -> throw new IllegalArgumentException(at + ": a " + block.type() + " block is not a media block");
        };
        return switch (source) {
            case MediaSource.Url u -> throw new IllegalArgumentException(at + ".source: a url source is not supported:"
                    + " no network is assumed, so the gateway fetches no URLs unless it is started with --fetch-media-urls on"
                    + " (CLAUDE_CODE_API_FETCH_MEDIA_URLS=on); send the bytes as a base64 source");
            case MediaSource.Text t when image -> throw new IllegalArgumentException(at + ".source.type: an image "
                    + "source must be base64 (a text source is for documents)");
            case MediaSource.Text t -> {
                if (!t.mediaType().equals("text/plain")) {
                    throw new IllegalArgumentException(at + ".source.media_type: unsupported media type "
                            + Message.quoted(t.mediaType()) + " for a text source (supported: text/plain)");
                }
                yield t.data().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            case MediaSource.Base64 b -> {
                boolean known = image ? MediaSource.IMAGE_TYPES.contains(b.mediaType()) : b.mediaType().equals("application/pdf");
                if (!known) {
                    throw new IllegalArgumentException(at + ".source.media_type: unsupported media type "
                            + Message.quoted(b.mediaType()) + (image ? " (supported: image/png, image/jpeg, image/gif, image/webp)"
                                    : " (supported: application/pdf)"));
                }
                byte[] bytes = base64(b.data(), at + ".source.data");
                if (image && bytes.length > MediaSource.MAX_IMAGE_BYTES) {
                    throw new IllegalArgumentException(at + ".source.data: image exceeds 5 MB maximum: "
                            + bytes.length + " bytes > " + MediaSource.MAX_IMAGE_BYTES + " bytes");
                }
                yield bytes;
            }
        };
    }

    /** Decodes standard base64 (RFC 4648 §4, padded), naming the offset of the first byte that breaks it. */
    static byte[] base64(String data, String at) {
        int n = data.length();
        for (int i = 0; i < n; i++) {
            char c = data.charAt(i);
            boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            boolean padding = c == '=' && i >= n - 2 && n % 4 == 0 && (i == n - 1 || data.charAt(n - 1) == '=');
            if (!alphabet && !padding) {
                throw new IllegalArgumentException(at + ": invalid base64 at byte offset " + i);
            }
        }
        if (n % 4 != 0) {
            throw new IllegalArgumentException(at + ": invalid base64 at byte offset " + n
                    + " (truncated: the length is not a multiple of 4)");
        }
        return Base64.getDecoder().decode(data);
    }
}
