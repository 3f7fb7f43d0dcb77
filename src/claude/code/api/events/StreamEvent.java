package claude.code.api.events;

import claude.code.api.json.JsonObject;

/**
 * One partial event of a streamed model response, as the Messages API sends it.
 *
 * <p>Order within one response: {@link MessageStart}; then per content block {@link BlockStart},
 * any number of {@link BlockDelta}, {@link BlockStop} (blocks by ascending index); then {@link MessageDelta}
 * and {@link MessageStop}. {@link Ping} may come anywhere; {@link StreamError} ends the stream early.
 * Types this library does not know are kept as {@link UnknownEvent}, never dropped.
 *
 * <p>An {@link Event}: in a turn's {@link EventStream} they come between the whole-record events
 * (each response's partial events before the {@link AssistantMessage} records the transcript makes of it).
 * Nothing emits them yet: the model-API relay does (issue 13); until then consumers ignore them.
 */
public sealed interface StreamEvent extends Event {

    /** {@code message_start}: the response's id, model and the usage known so far (input tokens). */
    record MessageStart(String id, String model, Usage usage, JsonObject message) implements StreamEvent {}

    /** {@code content_block_start}: block {@code index} begins with {@code block}'s type and initial fields. */
    record BlockStart(int index, BlockHead block) implements StreamEvent {}

    /** {@code content_block_delta}: one piece of block {@code index}. */
    record BlockDelta(int index, Delta delta) implements StreamEvent {}

    /** {@code content_block_stop}: block {@code index} is complete. */
    record BlockStop(int index) implements StreamEvent {}

    /** {@code message_delta}: the stop reason (null while absent), stop sequence (or null) and cumulative usage. */
    record MessageDelta(String stopReason, String stopSequence, Usage usage) implements StreamEvent {}

    /** {@code message_stop}: the response is complete. */
    record MessageStop() implements StreamEvent {}

    /** {@code ping}: keeps the connection alive; carries nothing. */
    record Ping() implements StreamEvent {}

    /** {@code error}: the API's error mid-stream, e.g. {@code overloaded_error}. */
    record StreamError(String type, String message) implements StreamEvent {}

    /** An event type this library does not know, with its SSE event name and data. */
    record UnknownEvent(String type, JsonObject data) implements StreamEvent {}

    /** The initial fields of a content block. */
    sealed interface BlockHead {
        record Text(String text) implements BlockHead {}
        record Thinking(String thinking, String signature) implements BlockHead {}
        record RedactedThinking(String data) implements BlockHead {}
        record ToolUse(String id, String name) implements BlockHead {}
        /** Server tool use, web search results and any other type, kept as the API sent it. */
        record Other(String type, JsonObject block) implements BlockHead {}
    }

    /** One delta of a content block. */
    sealed interface Delta {
        record TextDelta(String text) implements Delta {}
        record ThinkingDelta(String thinking) implements Delta {}
        record SignatureDelta(String signature) implements Delta {}
        /** A piece of the tool input's JSON text; only the joined pieces are valid JSON. */
        record InputJsonDelta(String partialJson) implements Delta {}
        /** A delta type this library does not know, kept as the API sent it. */
        record Unknown(String type, JsonObject delta) implements Delta {}
    }
}
