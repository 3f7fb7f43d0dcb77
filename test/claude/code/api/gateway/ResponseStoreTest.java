package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.Message;
import claude.code.api.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseStoreTest {
    static ResponseStore.Kept kept(Instant created) {
        return new ResponseStore.Kept(JsonObject.EMPTY, List.of(Message.user("q"), Message.assistant("a")), created,
                claude.code.api.json.JsonArray.EMPTY);
    }

    @Test
    void theOldestIsDroppedBeyondTheCountLimit() {
        ResponseStore store = new ResponseStore(2, Duration.ofHours(1));
        for (int i = 1; i <= 3; i++) {
            store.put("resp_" + i, kept(Instant.now()), "msg_" + i, Message.assistant("a" + i));
        }
        assertEquals(2, store.size());
        assertNull(store.get("resp_1"));
        assertNull(store.item("msg_1"), "its output item goes with it");
        assertNotNull(store.get("resp_3"));
        assertEquals(Message.assistant("a3"), store.item("msg_3"));
    }

    @Test
    void aResponseOlderThanTheAgeLimitIsGone() {
        ResponseStore store = new ResponseStore(10, Duration.ofMinutes(5));
        store.put("resp_old", kept(Instant.now().minus(Duration.ofMinutes(6))), "msg_old", Message.assistant("a"));
        store.put("resp_new", kept(Instant.now()), "msg_new", Message.assistant("b"));
        assertNull(store.get("resp_old"));
        assertNull(store.item("msg_old"));
        assertNotNull(store.get("resp_new"));
    }

    @Test
    void removeForgetsTheResponseAndItsItems() {
        ResponseStore store = new ResponseStore(10, Duration.ofHours(1));
        store.put("resp_1", kept(Instant.now()), "msg_1", Message.assistant("a"));
        assertTrue(store.remove("resp_1"));
        assertNull(store.get("resp_1"));
        assertNull(store.item("msg_1"));
        assertEquals(0, store.size());
    }
}
