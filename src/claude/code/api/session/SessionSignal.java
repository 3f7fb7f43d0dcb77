package claude.code.api.session;

import claude.code.api.events.ApiError;
import claude.code.api.events.AssistantMessage;
import claude.code.api.events.Event;
import claude.code.api.events.StreamEvent;
import claude.code.api.json.JsonObject;
import claude.code.api.mcp.PendingToolCall;
import claude.code.api.transcript.TailProblem;
import java.io.IOException;

/**
 * Everything a running turn waits for, merged into one queue per session so the turn's driver
 * blocks in one place: transcript records, the end of the transcript tail, the process exiting,
 * the prompt having been typed, requests from outside (stop the turn, close the session), and with the
 * model-API relay on, what the relay saw of the conversation's own API calls and the CLI's hooks.
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

    /** A main-loop API call of the conversation went out through the relay: the CLI took the prompt. */
    record RelayCall(long call) implements SessionSignal {}

    /** One partial event of a main-loop call's streamed response, as it passed through the relay. */
    record RelayEvent(long call, StreamEvent event) implements SessionSignal {}

    /** A main-loop call's response is complete ({@code message_stop}): its whole message, folded from the events. */
    record RelayMessage(long call, AssistantMessage message) implements SessionSignal {}

    /** A main-loop call failed upstream (HTTP status >= 400 or an SSE {@code error} event), exactly as the API said. */
    record RelayError(long call, ApiError error) implements SessionSignal {}

    /** The relay could not reach the upstream for a main-loop call: the turn cannot go on. */
    record RelayUnreachable(long call, ApiError error) implements SessionSignal {}

    /** A CLI hook ({@code Stop}, {@code StopFailure}) posted to the side channel, with its input. */
    record Hook(String event, JsonObject input) implements SessionSignal {}

    /**
     * The CLI called one of the client's tools ({@code tools/call} on the session's MCP route); the call is held
     * open until the client's result completes it ({@code McpSession.nextCall}, fed by {@link SessionRelay}).
     */
    record ClientToolCall(PendingToolCall call) implements SessionSignal {}

    /** What a turn without typing had to give the CLI (the client's tool results) did not reach it: end the turn. */
    record InputLost(String why) implements SessionSignal {}
}
