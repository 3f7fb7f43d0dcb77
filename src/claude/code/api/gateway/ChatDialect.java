package claude.code.api.gateway;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.Usage;
import claude.code.api.json.JsonObject;
import java.io.IOException;
import java.util.List;

/**
 * One chat API as its clients speak it: how a request body becomes a turn, and how the turn's
 * answer, its stream and its errors look. Everything between is the same for every API and lives
 * in {@link ChatPipeline}: picking a backend, running the turn, reading its events through
 * {@link TurnView}, keep-alives, metrics. A dialect is chosen once, by the route that serves it
 * ({@code GatewayServer}'s route table); a new API is one class implementing this and its routes.
 *
 * @param <R> a request as this API reads it: the turn for the backend, plus whatever only this
 *     API's answers need (e.g. whether an OpenAI stream ends with a usage chunk)
 */
interface ChatDialect<R extends ChatDialect.Request> extends ErrorShape {
    /** What the pipeline needs of every dialect's request. */
    interface Request {
        /** The turn to run: the conversation, the model and system prompt asked for, whether to stream. */
        TurnRequest turn();
    }

    /**
     * A completed turn, for a whole (not streamed) answer.
     *
     * @param model the model to report ({@link TurnView#reportedModel()})
     * @param blocks the blocks the client sees, in order ({@link TurnView})
     * @param stopReason the API's stop reason ({@link TurnView#stopReason()})
     * @param usage the turn's usage, summed over its model calls
     */
    record Answer(String model, List<ContentBlock> blocks, String stopReason, Usage usage) {}

    /**
     * Reads a request body; fields the CLI cannot honour are refused (400) or ignored and said
     * once through {@code policy}.
     */
    R parse(JsonObject body, FieldPolicy policy) throws HttpError;

    /** {@link #parse(JsonObject, FieldPolicy)}, for a dialect that also reads the call's headers. */
    default R parse(JsonObject body, FieldPolicy policy, Call call) throws HttpError {
        return parse(body, policy);
    }

    /**
     * The request body with the url sources of its media fetched ({@code --fetch-media-urls on}), before
     * {@link #parse}: what the client could have sent instead, base64. A dialect whose requests carry no media
     * leaves the body as it is.
     */
    default JsonObject withMediaFetched(JsonObject body, MediaFetch fetch) throws HttpError {
        return body;
    }

    /** The body of a whole answer. */
    JsonObject answer(R request, Answer answer);

    /**
     * Writes the opening events of a streamed answer to {@code sse} (a response already begun
     * with 200) and returns the stream that writes the rest.
     *
     * @param model the model to report ({@link TurnView#reportedModel()} when the stream begins, with
     *     its first output or keep-alive)
     * @param requestId the request's id, for error events that carry it
     */
    ChatStream startStream(R request, SseWriter sse, String model, String requestId) throws IOException;

    /** An error response body in this API's shape (also the error event of a stream). */
    @Override
    JsonObject errorBody(HttpError error, String requestId);

    /**
     * The estimated input tokens of a request, in this API's shape, for an API with a counting
     * endpoint (Anthropic's {@code count_tokens}); only such an API has a route for it.
     */
    default JsonObject countTokens(JsonObject body) throws HttpError {
        throw HttpError.notFound("this API has no token counting endpoint");
    }
}
