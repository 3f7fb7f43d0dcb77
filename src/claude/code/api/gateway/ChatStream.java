package claude.code.api.gateway;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.Usage;
import java.io.IOException;

/**
 * One turn's answer as an API's stream of events, written while the turn runs; made by
 * {@link ChatDialect#startStream}, fed by {@link ChatPipeline}. What the turn makes visible
 * arrives in order, one method per kind: today whole content blocks ({@link #block}). Token
 * deltas (typed partial events: message start, block start, text / thinking / signature /
 * tool-input deltas, block stop, message delta, message stop) and the client's own tool calls
 * are further kinds: each becomes a method here, beside {@link #block}, so every dialect writes
 * it as its own events. An {@link IOException} means the client has gone.
 */
interface ChatStream extends TurnView.BlockSink {
    /** A whole content block became visible ({@link TurnView}'s rendering). */
    @Override
    void block(ContentBlock block) throws IOException;

    /** Nothing happened for the ping interval: keeps the connection alive, and finds a client that left. */
    void keepAlive() throws IOException;

    /** The turn completed: the closing events (stop reason, usage). */
    void finish(String stopReason, Usage usage) throws IOException;

    /** The turn failed after the stream began: the API's error event, and no closing events. */
    void fail(HttpError error) throws IOException;
}
