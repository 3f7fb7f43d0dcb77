package claude.code.api.session;

import claude.code.api.events.EventStream;
import claude.code.api.mcp.ToolResult;
import java.nio.file.Path;
import java.util.List;

/** One live CLI conversation. Thread-safe; one turn at a time. */
public interface ClaudeSession extends AutoCloseable {

    /** The CLI's session id (a UUID), also the transcript's file name. */
    String sessionId();

    /** The CLI's process id. */
    long pid();

    /** The process is running and can take a turn. */
    boolean isAlive();

    /**
     * Types {@code prompt} into the CLI and returns the turn's events, the last one a result.
     * Closing the stream before its end interrupts the turn.
     *
     * @throws IllegalStateException while another turn of this session is running, or after close
     */
    EventStream send(String prompt);

    /**
     * As {@link #send(String)}, with files attached the way the CLI attaches them ({@code @<path>}):
     * each image reaches the model before the prompt's text. The files must stay until the turn ends.
     *
     * @param attachments absolute paths of image files this project wrote, never names from a client
     * @throws UnsupportedOperationException when this session cannot attach files
     */
    default EventStream send(String prompt, List<Path> attachments) {
        if (attachments.isEmpty()) {
            return send(prompt);
        }
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot attach files");
    }

    /**
     * The tool_use ids of the client's tool calls this session holds open, in the model's order: its last turn
     * ended at them (stop reason {@code tool_use}) and the CLI waits for their results. Empty otherwise.
     */
    default List<String> awaitedToolUseIds() {
        return List.of();
    }

    /**
     * Answers the calls of {@link #awaitedToolUseIds()} and returns the turn that goes on from there (nothing is
     * typed): the last event a result, again with stop reason {@code tool_use} when the model calls the client's
     * tools once more.
     *
     * @param results one per awaited id, in that order
     * @throws IllegalStateException when the session awaits no results
     * @throws UnsupportedOperationException when this session cannot run the client's tools
     */
    default EventStream sendToolResults(List<ToolResult> results) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " runs no client tools");
    }

    /**
     * As {@link #sendToolResults(List)}, with the model API request that continues the turn amended
     * ({@link RequestAmendment}: the client's text beside its results, its tool choice).
     *
     * @throws UnsupportedOperationException when this session cannot amend its requests (no relay)
     */
    default EventStream sendToolResults(List<ToolResult> results, List<RequestAmendment> nextCall) {
        if (nextCall.isEmpty()) {
            return sendToolResults(results);
        }
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot amend its model API requests");
    }

    /**
     * As {@link #send(String, List)}, with the model API request that answers this prompt amended
     * ({@link RequestAmendment}, docs/CLI-BEHAVIOUR.md#relay-amendments): the turn's first main-loop call.
     *
     * @throws UnsupportedOperationException when this session cannot amend its requests (no relay)
     */
    default EventStream send(String prompt, List<Path> attachments, List<RequestAmendment> firstCall) {
        if (firstCall.isEmpty()) {
            return send(prompt, attachments);
        }
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot amend its model API requests");
    }

    /**
     * Amends every model API request of this conversation's main loop from now on, besides the amendments already
     * there ({@link RequestAmendment}, docs/CLI-BEHAVIOUR.md#relay-amendments): what a turn puts into the request in
     * place of a marker it types, which later turns send again as history.
     *
     * @throws UnsupportedOperationException when this session cannot amend its requests (no relay)
     */
    default void amendEveryMainCall(List<RequestAmendment> amendments) {
        if (!amendments.isEmpty()) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot amend its model API requests");
        }
    }

    /** The terminal screen as plain text (for error messages and the admin page). */
    String screen();

    /** Stops the CLI gracefully (hang-up), kills it after a grace period, and reaps it. Idempotent. */
    @Override
    void close();
}
