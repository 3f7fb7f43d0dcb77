package claude.code.api.gateway;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.StreamEvent.BlockHead;
import claude.code.api.events.StreamEvent.Delta;
import claude.code.api.events.Usage;
import java.io.IOException;

/**
 * One turn's answer as an API's stream of events, written while the turn runs; made by
 * {@link ChatDialect#startStream}, fed by {@link ChatPipeline}. What the turn makes visible
 * arrives in order ({@link TurnView}'s rendering), one method per kind: whole content blocks
 * ({@link #block}: without the model-API relay, and tool activity), and blocks streamed as the
 * model produces them ({@link #blockStart}, {@link #blockDelta} per upstream delta,
 * {@link #blockStop}). Blocks never overlap, and a dialect numbers them in the order they come,
 * whole or streamed, across the turn's API calls: the client sees one message. An
 * {@link IOException} means the client has gone.
 */
interface ChatStream extends TurnView.PartialSink {
    /** A whole content block became visible: text, thinking, redacted thinking, or a call of a client tool. */
    @Override
    void block(ContentBlock block) throws IOException;

    /**
     * A streamed block begins: text (its head's text empty), thinking, redacted thinking, or a call of a client tool
     * (its input follows as {@link Delta.InputJsonDelta}s, pieces of JSON text only valid joined).
     */
    @Override
    void blockStart(BlockHead head) throws IOException;

    /** One upstream delta of the open block: text, thinking, signature, or a piece of a client tool call's input. */
    @Override
    void blockDelta(Delta delta) throws IOException;

    /** The open streamed block is complete. */
    @Override
    void blockStop() throws IOException;

    /** Nothing happened for the ping interval: keeps the connection alive, and finds a client that left. */
    void keepAlive() throws IOException;

    /** The turn completed: the closing events (stop reason, usage). */
    void finish(String stopReason, Usage usage) throws IOException;

    /** The turn failed after the stream began: the API's error event, and no closing events. */
    void fail(HttpError error) throws IOException;
}
