package claude.code.api.session;

import claude.code.api.events.Event;
import claude.code.api.transcript.TailProblem;
import java.io.IOException;

/**
 * Everything a running turn waits for, merged into one queue per session so the turn's driver
 * blocks in one place: transcript records, the end of the transcript tail, the process exiting,
 * the prompt having been typed, and requests from outside (stop the turn, close the session).
 * Time (timeouts, the status-file poll) is the queue's poll timeout.
 */
sealed interface SessionSignal {

    /** A transcript record of the conversation, at byte {@code offset}. */
    record Record(long offset, Event event) implements SessionSignal {}

    /** The tail stopped; nothing more will be read. */
    record TailStopped(TailProblem problem) implements SessionSignal {}

    /** The CLI exited with this status (or 128 + signal). */
    record ProcessExited(int exitCode) implements SessionSignal {}

    /** The prompt's pastes are all in the terminal; Enter may follow. */
    record Typed() implements SessionSignal {}

    /** Writing the prompt to the terminal failed. */
    record TypingFailed(IOException cause) implements SessionSignal {}

    /** The caller closed the turn's event stream before its end: interrupt the turn. */
    record StopRequested() implements SessionSignal {}

    /** The session is closing: end the turn now. */
    record Closing() implements SessionSignal {}
}
