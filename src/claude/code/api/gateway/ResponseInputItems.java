package claude.code.api.gateway;

import claude.code.api.events.Message;
import claude.code.api.events.TextBlock;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The input items of a Responses API request as {@code GET /v1/responses/{id}/input_items} lists them:
 * each item of the request's {@code input} (a string input is one user message) with an {@code id}
 * (the client's own, else one made here) and a {@code status}, a message's string content as one text part,
 * an {@code item_reference} as the kept output item it names. The conversation a {@code previous_response_id}
 * brought in is not repeated: those items are listed under the responses they came in with.
 */
final class ResponseInputItems {
    private ResponseInputItems() {}

    /** The largest page, and the one given when no {@code limit} is asked for (the API's). */
    static final int MAX_LIMIT = 100;
    static final int DEFAULT_LIMIT = 20;

    /** The listed items of an {@code input} that {@link OpenAiResponses} has already checked. */
    static JsonArray of(JsonValue input, ResponseStore store) {
        JsonArray.Builder out = JsonArray.builder();
        switch (input) {
            case JsonString s -> out.add(message("user", JsonArray.of(text("input_text", s.value())), null));
            case JsonArray items -> items.forEach(item -> out.add(item((JsonObject) item, store)));
            default -> throw new IllegalArgumentException("input: not checked");
        }
        return out.build();
    }

    private static JsonObject item(JsonObject item, ResponseStore store) {
        String type = item.get("type") instanceof JsonString t ? t.value() : "message";
        String id = item.get("id") instanceof JsonString s ? s.value() : null;
        return switch (type) {
            case "message" -> {
                String role = ((JsonString) item.get("role")).value();
                String partType = role.equals("assistant") ? "output_text" : "input_text";
                JsonArray content = item.get("content") instanceof JsonString s ? JsonArray.of(text(partType, s.value()))
                        : (JsonArray) item.get("content");
                yield message(role, content, id);
            }
            case "item_reference" -> {
                Message kept = store.item(id);
                JsonArray.Builder content = JsonArray.builder();
                if (kept != null) {
                    kept.content().forEach(b -> {
                        if (b instanceof TextBlock t) {
                            content.add(text("output_text", t.text()));
                        }
                    });
                }
                yield message("assistant", content.build(), id);
            }
            default -> {
                JsonObject.Builder b = item.toBuilder().put("id", id != null ? id : newId(prefix(type)));
                if (!item.has("status") && !type.equals("reasoning")) {
                    b.put("status", "completed");
                }
                yield b.build();
            }
        };
    }

    private static String prefix(String type) {
        return switch (type) {
            case "function_call" -> "fc";
            case "function_call_output" -> "fco";
            case "reasoning" -> "rs";
            default -> "item";
        };
    }

    private static JsonObject message(String role, JsonArray content, String id) {
        JsonArray parts = content;
        if (role.equals("assistant")) { // an output message's text parts always carry their annotations
            JsonArray.Builder b = JsonArray.builder();
            content.forEach(p -> b.add(p instanceof JsonObject o && !o.has("annotations")
                    ? o.with("annotations", JsonArray.EMPTY) : p));
            parts = b.build();
        }
        return JsonObject.builder().put("id", id != null ? id : newId("msg")).put("type", "message").put("role", role)
                .put("status", "completed").put("content", parts).build();
    }

    private static JsonObject text(String type, String text) {
        JsonObject.Builder b = JsonObject.builder().put("type", type).put("text", text);
        return type.equals("output_text") ? b.put("annotations", JsonArray.EMPTY).build() : b.build();
    }

    private static String newId(String prefix) {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        return prefix + "_" + HexFormat.of().formatHex(id);
    }

    /**
     * One page of a response's input items, in the API's list shape.
     *
     * @param order {@code asc} (the input's order) or {@code desc} (the default: newest first); {@code null} for the default
     * @param limit 1 to {@value #MAX_LIMIT}; {@code null} for {@value #DEFAULT_LIMIT}
     * @param after the id of the item the page begins after (in the listed order), or {@code null}
     * @param before the id of the item the page ends before (in the listed order), or {@code null}
     * @throws HttpError a 400 naming the query parameter at fault
     */
    static JsonObject page(JsonArray items, String order, String limit, String after, String before) throws HttpError {
        boolean ascending = switch (order == null ? "desc" : order) {
            case "asc" -> true;
            case "desc" -> false;
            default -> throw new HttpError(400, "invalid_request_error", "order: expected \"asc\" or \"desc\", got \""
                    + FieldPolicy.printable(order) + "\"", "order", null);
        };
        int size = limit(limit);
        int n = items.size();
        int from = 0;
        int to = n; // positions in the listed order, [from, to)
        if (after != null) {
            from = position(items, after, ascending, "after") + 1;
        }
        if (before != null) {
            to = position(items, before, ascending, "before");
        }
        JsonArray.Builder data = JsonArray.builder();
        int end = Math.min(to, from + size);
        for (int i = from; i < end; i++) {
            data.add(items.get(ascending ? i : n - 1 - i));
        }
        JsonArray page = data.build();
        return JsonObject.builder().put("object", "list").put("data", page)
                .put("first_id", page.isEmpty() ? JsonNull.INSTANCE : ((JsonObject) page.get(0)).get("id"))
                .put("last_id", page.isEmpty() ? JsonNull.INSTANCE : ((JsonObject) page.get(page.size() - 1)).get("id"))
                .put("has_more", end < to).build();
    }

    private static int limit(String limit) throws HttpError {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        int value;
        try {
            value = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            value = 0;
        }
        if (value < 1 || value > MAX_LIMIT) {
            throw new HttpError(400, "invalid_request_error", "limit: expected an integer from 1 to " + MAX_LIMIT
                    + ", got \"" + FieldPolicy.printable(limit) + "\"", "limit", null);
        }
        return value;
    }

    private static int position(JsonArray items, String id, boolean ascending, String param) throws HttpError {
        for (int i = 0; i < items.size(); i++) {
            if (((JsonObject) items.get(i)).get("id") instanceof JsonString s && s.value().equals(id)) {
                return ascending ? i : items.size() - 1 - i;
            }
        }
        throw new HttpError(400, "invalid_request_error", param + ": no input item '" + FieldPolicy.printable(id)
                + "' in this response", param, null);
    }
}
