package claude.code.api.modelapi;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonParseException;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;

/**
 * One model-API request of the CLI, classified by its shape ({@code docs/CLI-BEHAVIOUR.md#relay-calls}):
 * only {@link Kind#MAIN_LOOP} calls belong to the conversation a caller sees.
 *
 * @param kind what part of the CLI sent it
 * @param systemText the request's {@code system} text (its text blocks joined, cache markers aside),
 *     which tells a sub-agent's main-loop-shaped calls from the conversation's own; {@code ""} if none
 */
public record ApiCall(Kind kind, String systemText) {

    public enum Kind {
        /** The conversation itself: the prompt, tool results, the CLI's retries; or a sub-agent's loop. */
        MAIN_LOOP,
        /** A {@code /v1/messages} call the CLI makes for itself: a session title, a summary, another model's query. */
        SIDE_QUERY,
        /** {@code POST /v1/messages/count_tokens}. */
        COUNT_TOKENS,
        /** Anything else (e.g. {@code HEAD /api/hello}). */
        OTHER
    }

    /**
     * Measured on the pinned CLI: every main-loop request carries the CLI's environment context as a
     * {@code role: "system"} entry inside {@code messages}, and no structured-output format; side queries
     * (the title query asks for {@code output_config.format} {@code {title}}) have neither. A non-empty
     * {@code tools} list is no criterion: with {@code --tools ""} the main loop sends {@code tools: []}.
     *
     * @param path the path without query ({@code /v1/messages})
     * @param body the request body as sent; one that is not a JSON object makes the call {@link Kind#OTHER}
     */
    public static ApiCall classify(String method, String path, byte[] body) {
        boolean post = "POST".equals(method);
        if (post && path.equals("/v1/messages/count_tokens")) {
            return new ApiCall(Kind.COUNT_TOKENS, "");
        }
        if (!post || !path.equals("/v1/messages")) {
            return new ApiCall(Kind.OTHER, "");
        }
        JsonObject request;
        try {
            if (!(Json.parse(body) instanceof JsonObject o)) {
                return new ApiCall(Kind.OTHER, "");
            }
            request = o;
        } catch (JsonParseException e) {
            return new ApiCall(Kind.OTHER, "");
        }
        boolean structured = request.findObject("output_config").map(c -> c.has("format")).orElse(false);
        boolean systemEntry = request.findArray("messages").stream().flatMap(JsonArray::stream)
                .anyMatch(m -> m instanceof JsonObject o && "system".equals(o.string("role", null)));
        return new ApiCall(systemEntry && !structured ? Kind.MAIN_LOOP : Kind.SIDE_QUERY, systemText(request.get("system")));
    }

    private static String systemText(JsonValue system) {
        if (system instanceof JsonString s) {
            return s.value();
        }
        StringBuilder out = new StringBuilder();
        if (system instanceof JsonArray blocks) {
            for (JsonValue b : blocks) {
                if (b instanceof JsonObject o && o.get("text") instanceof JsonString t) {
                    out.append(t.value()).append('\n');
                }
            }
        }
        return out.toString();
    }
}
