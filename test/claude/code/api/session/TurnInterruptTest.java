package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The turn's one ESC, clock-free: each step is given its time. */
class TurnInterruptTest {
    static final String ID = "00000000-0000-4000-8000-000000000004";
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Counts the ESCs; may fail them. */
    static final class Keys extends IdleTerminal {
        int escapes;
        boolean failing;

        @Override
        public void interrupt() throws IOException {
            escapes++;
            if (failing) {
                throw new IOException("the terminal is gone");
            }
        }
    }

    final Keys keys = new Keys();
    final TurnInterrupt interrupt = new TurnInterrupt(ID, keys, TIMEOUT);

    @Test
    void aTurnPressesEscAtMostOnceAndTheInterruptIsDueFromTheFirst() {
        interrupt.sendEscape(100);
        interrupt.sendEscape(200);
        assertEquals(1, keys.escapes);
        assertEquals(100 + TIMEOUT.toNanos(), interrupt.deadline());
    }

    @Test
    void aStopRequestedBeforeThePromptIsAcceptedWaitsForIt() {
        interrupt.stopRequested(100, false);
        assertFalse(interrupt.escSent());
        assertEquals(Long.MAX_VALUE, interrupt.deadline());
        interrupt.promptAccepted(200);
        assertTrue(interrupt.escSent());
        assertEquals(200 + TIMEOUT.toNanos(), interrupt.deadline());
    }

    @Test
    void anAcceptedPromptWithoutAStopRequestIsNotInterrupted() {
        interrupt.promptAccepted(100);
        assertFalse(interrupt.escSent());
        assertEquals(0, keys.escapes);
    }

    @Test
    void anEscThatFailsToReachTheCliStillCountsAsTheTurnsOne() {
        keys.failing = true;
        interrupt.stopRequested(100, true);
        assertTrue(interrupt.escSent());
        interrupt.sendEscape(200);
        assertEquals(1, keys.escapes);
    }
}
