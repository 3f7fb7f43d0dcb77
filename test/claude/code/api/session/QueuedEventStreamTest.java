package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.ResultMessage;
import claude.code.api.events.SystemMessage;
import claude.code.api.events.Usage;
import claude.code.api.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QueuedEventStreamTest {
    static final ResultMessage RESULT = new ResultMessage("s", Duration.ZERO, 0, Usage.ZERO, "", "end_turn", null, false);

    @Test
    void aTimedWaitSaysWhetherAnEventIsThereWithoutTakingIt() {
        QueuedEventStream stream = new QueuedEventStream(() -> {});
        long t0 = System.nanoTime();
        assertFalse(stream.awaitNext(Duration.ofMillis(50)), "nothing came");
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(50).toNanos(), "it waited");
        SystemMessage event = new SystemMessage("u", "turn_duration", JsonObject.EMPTY);
        stream.push(event);
        assertTrue(stream.awaitNext(Duration.ofSeconds(5)));
        assertTrue(stream.awaitNext(Duration.ZERO), "still there: nothing was taken");
        assertEquals(event, stream.next());
    }

    @Test
    void afterTheResultTheWaitAndHasNextAnswerAtOnce() {
        QueuedEventStream stream = new QueuedEventStream(() -> {});
        stream.push(RESULT);
        assertTrue(stream.awaitNext(Duration.ofSeconds(5)));
        assertEquals(RESULT, stream.next());
        assertTrue(stream.awaitNext(Duration.ofDays(1)), "the end is there at once");
        assertFalse(stream.hasNext());
    }
}
