package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The status file as a turn reads it, clock-free: each reading is given its time, so the graces are checked by
 * the times passed in, never by waiting.
 */
class StatusWatchTest {
    static final String ID = "00000000-0000-4000-8000-000000000003";
    static final long POLL = StatusWatch.STATUS_POLL.toNanos();

    /** A status watch only looks at the screen. */
    final IdleTerminal screen = new IdleTerminal();
    /** Typed and accepted, its first Enter now (wall clock, as the status file's timestamps). */
    final PromptSubmission submission = PromptSubmission.none(ID, screen);
    final AtomicInteger reads = new AtomicInteger();
    StatusFile.Status current;
    final StatusWatch watch = new StatusWatch(() -> {
        reads.incrementAndGet();
        return Optional.ofNullable(current);
    }, screen);
    long now = 1_000 * POLL;

    StatusFile.Status sinceOurEnter(String status) {
        return new StatusFile.Status(status, null, submission.firstEnterMillis() + 1);
    }

    Optional<StatusWatch.Reading> readAfterOnePoll(StatusFile.Status status) {
        current = status;
        now += POLL;
        return watch.poll(now, submission);
    }

    @Test
    void anIdleStatusFromBeforeTheTurnsFirstEnterIsThePreviousTurnsAndStartsNoGrace() {
        StatusWatch.Reading r = readAfterOnePoll(new StatusFile.Status("idle", null, submission.firstEnterMillis() - 60_000))
                .orElseThrow();
        assertFalse(r.idle());
        assertEquals(Long.MAX_VALUE, watch.idleDeadline());
    }

    @Test
    void theFirstIdleStatusSinceTheFirstEnterStartsTheIdleGraceAndLaterOnesKeepIt() {
        assertTrue(readAfterOnePoll(sinceOurEnter("idle")).orElseThrow().idle());
        long grace = now + StatusWatch.IDLE_GRACE.toNanos();
        readAfterOnePoll(sinceOurEnter("idle"));
        assertEquals(grace, watch.idleDeadline());
    }

    @Test
    void aBusyStatusAfterAnIdleOneCallsOffTheIdleGrace() {
        readAfterOnePoll(sinceOurEnter("idle"));
        assertTrue(readAfterOnePoll(sinceOurEnter("busy")).orElseThrow().busy());
        assertEquals(Long.MAX_VALUE, watch.idleDeadline());
    }

    @Test
    void aWaitingStatusBlocksTheTurnOnceItHasLastedTheBlockedGrace() {
        StatusFile.Status waiting = new StatusFile.Status("waiting", "dialog open", submission.firstEnterMillis() + 1);
        assertFalse(readAfterOnePoll(waiting).orElseThrow().blocked());
        long since = now;
        current = waiting;
        now = since + StatusWatch.BLOCKED_GRACE.toNanos() - POLL; // the reading before the grace is over
        assertFalse(watch.poll(now, submission).orElseThrow().blocked());
        now = since + StatusWatch.BLOCKED_GRACE.toNanos();
        StatusWatch.Reading r = watch.poll(now, submission).orElseThrow();
        assertTrue(r.blocked());
        assertEquals("dialog open", r.waitingFor());
    }

    @Test
    void theFileIsReadAtMostOncePerPollInterval() {
        readAfterOnePoll(sinceOurEnter("busy"));
        assertTrue(watch.poll(now + POLL - 1, submission).isEmpty());
        assertEquals(1, reads.get());
    }

    @Test
    void atTheGracesEndAScreenThatStillSaysTheCliWorksExtendsIt() {
        readAfterOnePoll(sinceOurEnter("idle"));
        screen.screen = "· Caramelizing…\n❯ \n  " + StatusWatch.BUSY_FOOTER;
        long end = watch.idleDeadline();
        assertTrue(watch.stillWorking(end));
        assertTrue(watch.idleDeadline() > end);
    }

    @Test
    void theBusyFooterExtendsTheGraceOnlyUpToItsLimitAfterTheIdleStatus() {
        readAfterOnePoll(sinceOurEnter("idle"));
        screen.screen = "❯ \n  " + StatusWatch.BUSY_FOOTER;
        assertFalse(watch.stillWorking(now + StatusWatch.IDLE_WHILE_WORKING_LIMIT.toNanos()));
    }

    @Test
    void aScreenWithoutTheBusyFooterDoesNotExtendTheGrace() {
        readAfterOnePoll(sinceOurEnter("idle"));
        long end = watch.idleDeadline();
        assertFalse(watch.stillWorking(end));
        assertEquals(end, watch.idleDeadline());
    }
}
