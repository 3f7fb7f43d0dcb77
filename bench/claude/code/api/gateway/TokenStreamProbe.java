package claude.code.api.gateway;

import claude.code.api.events.Event;
import claude.code.api.events.Message;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * For {@code make bench} only: one streamed turn's events through the gateway's own path
 * ({@link TurnView#stream} into a dialect's {@link ChatStream} and its {@link SseWriter}) onto an
 * output stream, without HTTP. In the gateway's package because that path is package-private.
 */
public final class TokenStreamProbe {
    /** The dialects measured. */
    public enum Dialect { MESSAGES, CHAT_COMPLETIONS, RESPONSES }

    private final Dialect dialect;
    private final OpenAiResponses responses = new OpenAiResponses(new ResponseStore(1, java.time.Duration.ofMinutes(1)), "bench");

    public TokenStreamProbe(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Writes the stream of {@code events} (a completed turn) to {@code out}, as the gateway would. */
    public void stream(List<Event> events, OutputStream out) throws IOException {
        TurnView view = new TurnView(false, "bench");
        TurnRequest turn = new TurnRequest(List.of(Message.user("bench")), "bench", null, true);
        SseWriter sse = new SseWriter(out);
        ChatStream stream = switch (dialect) {
            case MESSAGES -> new AnthropicMessages().startStream(new AnthropicMessages.MessagesRequest(turn), sse, "bench", "req_bench");
            case CHAT_COMPLETIONS -> new OpenAiChatCompletions().startStream(new OpenAiChatCompletions.CompletionRequest(turn, true),
                    sse, "bench", "req_bench");
            case RESPONSES -> responses.startStream(new OpenAiResponses.ResponsesRequest(turn, false, "resp_bench_0", 0L,
                    JsonObject.EMPTY, JsonArray.EMPTY), sse, "bench", "req_bench");
        };
        for (Event e : events) {
            view.stream(e, stream);
        }
        stream.finish(view.stopReason(), view.usage());
    }
}
