package claude.code.api.gateway;

import claude.code.api.events.Message;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The responses the Responses API produced, kept in memory (never on disk) so that
 * {@code previous_response_id} can rebuild a conversation's history and {@code item_reference}s
 * can be resolved; bounded in count and age, the oldest dropped first.
 */
final class ResponseStore {
    /**
     * One kept response.
     *
     * @param response the Response object as answered
     * @param history the conversation up to and including this response's answer
     * @param inputItems the request's input items as listed by {@code GET /v1/responses/{id}/input_items}
     */
    record Kept(JsonObject response, List<Message> history, Instant created, JsonArray inputItems) {}

    private final int maxCount;
    private final Duration maxAge;
    private final Map<String, Kept> responses = new LinkedHashMap<>();
    private final Map<String, Message> items = new LinkedHashMap<>();
    private final Map<String, String> itemOwner = new LinkedHashMap<>();

    ResponseStore(int maxCount, Duration maxAge) {
        if (maxCount < 1) {
            throw new IllegalArgumentException("maxCount: must be at least 1, got " + maxCount);
        }
        this.maxCount = maxCount;
        this.maxAge = maxAge;
    }

    synchronized void put(String id, Kept kept, String itemId, Message item) {
        put(id, kept, Map.of(itemId, item));
    }

    /** @param outputItems the response's output items by id, each as the assistant message it stands for */
    synchronized void put(String id, Kept kept, Map<String, Message> outputItems) {
        responses.put(id, kept);
        outputItems.forEach((itemId, item) -> {
            items.put(itemId, item);
            itemOwner.put(itemId, id);
        });
        expire(Instant.now());
        while (responses.size() > maxCount) {
            remove(responses.keySet().iterator().next());
        }
    }

    synchronized Kept get(String id) {
        expire(Instant.now());
        return responses.get(id);
    }

    synchronized Message item(String itemId) {
        expire(Instant.now());
        return items.get(itemId);
    }

    synchronized boolean remove(String id) {
        boolean removed = responses.remove(id) != null;
        itemOwner.entrySet().removeIf(e -> {
            if (e.getValue().equals(id)) {
                items.remove(e.getKey());
                return true;
            }
            return false;
        });
        return removed;
    }

    synchronized int size() {
        return responses.size();
    }

    private void expire(Instant now) {
        for (Iterator<Map.Entry<String, Kept>> it = responses.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Kept> e = it.next();
            if (e.getValue().created().plus(maxAge).isAfter(now)) {
                return; // insertion order is age order
            }
            String id = e.getKey();
            it.remove();
            itemOwner.entrySet().removeIf(o -> o.getValue().equals(id) && items.remove(o.getKey()) != null);
        }
    }
}
