package claude.code.api.gateway;

import claude.code.api.events.ApiError;
import claude.code.api.events.AssistantMessage;
import claude.code.api.events.ContentBlock;
import claude.code.api.events.Event;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.StreamEvent;
import claude.code.api.events.SystemMessage;
import claude.code.api.events.UserMessage;
import claude.code.api.events.TurnRendering;
import java.io.IOException;

/**
 * A turn's events as a client sees them: the blocks of one assistant message
 * ({@link TurnRendering}, the same rendering the backend registers sessions under), the model to
 * report, the stop reason, and how the turn ended. The same for every API.
 */
final class TurnView {
    /** Receives each block as it becomes visible. */
    @FunctionalInterface
    interface BlockSink {
        void block(ContentBlock block) throws IOException;
    }

    private final boolean toolActivity;
    private final String askedModel;
    private String answeredModel;
    private ApiError lastApiError;
    private ResultMessage result;

    /**
     * @param toolActivity show the CLI's own tool calls and results as text blocks
     * @param askedModel the model asked for (the request's, else the gateway's, else {@code default})
     */
    TurnView(boolean toolActivity, String askedModel) {
        this.toolActivity = toolActivity;
        this.askedModel = askedModel;
    }

    /** Takes the next event of the turn and hands the blocks it makes visible to {@code sink}. */
    void accept(Event event, BlockSink sink) throws IOException {
        switch (event) {
            case AssistantMessage a when a.isApiError() -> lastApiError = a.apiError();
            case AssistantMessage a -> {
                if (a.model() != null && !a.model().isBlank() && !a.model().startsWith("<")) {
                    answeredModel = a.model();
                }
                for (ContentBlock b : a.content()) {
                    emit(TurnRendering.render(b, true, toolActivity), sink);
                }
            }
            case UserMessage u when !u.prompt() && !u.meta() && u.hasToolResult() -> {
                for (ContentBlock b : u.content()) {
                    emit(TurnRendering.render(b, false, toolActivity), sink);
                }
            }
            case UserMessage u -> {}
            case SystemMessage s -> {}
            case ResultMessage r -> result = r;
            case StreamEvent p -> {} // token streaming comes with the relay (issue 13); blocks stay the unit here
        }
    }

    private static void emit(ContentBlock block, BlockSink sink) throws IOException {
        if (block != null) {
            sink.block(block);
        }
    }

    /**
     * The model an answer reports, one rule for every API: the model that produced the answer
     * (as both real APIs report the resolved model, not the alias asked for), until a model
     * message has come (a stream's first event; a turn without one) the model asked for.
     */
    String reportedModel() {
        return answeredModel != null ? answeredModel : askedModel;
    }

    ResultMessage result() {
        return result;
    }

    /**
     * The stop reason to report: the last model message's, except that {@code tool_use} (the
     * CLI's own tools, finished inside the turn) and a missing one read {@code end_turn}.
     */
    String stopReason() {
        String r = result == null ? null : result.stopReason();
        return r == null || r.equals("tool_use") ? "end_turn" : r;
    }

    /** The error to report when the turn did not complete, else {@code null}. */
    HttpError failure() {
        if (result == null) {
            return new HttpError(502, "api_error", "the claude session ended without finishing the turn");
        }
        if (result.isError()) {
            // before the interrupt check: a turn ended by the turn timeout is interrupted too, and its error says why
            return Errors.fromTurn(lastApiError, result.errorText());
        }
        if (result.interrupted()) {
            return new HttpError(502, "api_error", "the turn was interrupted");
        }
        return null;
    }
}
