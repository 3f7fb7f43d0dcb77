package claude.code.api.gateway;

import claude.code.api.events.Message;
import claude.code.api.history.Fingerprint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's tool_use ids of the legacy {@code function_call}s this gateway answered, by the conversation before
 * the call and the function's name. A legacy follow-up (the assistant's {@code function_call}, then a
 * {@code role: "function"} message with the result) carries no call id, but the session that made the call waits
 * for a result of its own id, and finds the conversation by a history that holds it. A legacy answer holds one call,
 * so the conversation and the name tell it. Bounded: the oldest are forgotten first.
 */
final class LegacyCallIds {
    private final Map<String, String> ids;

    LegacyCallIds(int capacity) {
        ids = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The call of {@code name} that answered {@code conversation} had the id {@code id}. */
    synchronized void record(List<Message> conversation, String name, String id) {
        ids.put(key(conversation, name), id);
    }

    /**
     * The id of the call of {@code name} that answered {@code conversation}: the recorded one; for a call this gateway
     * did not answer (or forgot), an id of the conversation's own, the same for every echo of it (no session waits
     * for it: the results continue on a new session, whose next turns find it again by that id).
     */
    synchronized String idOf(List<Message> conversation, String name) {
        String key = key(conversation, name);
        String id = ids.get(key);
        return id != null ? id : "call_legacy_" + sha256(key).substring(0, 24);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String key(List<Message> conversation, String name) {
        return Fingerprint.of(conversation) + ":" + name;
    }
}
