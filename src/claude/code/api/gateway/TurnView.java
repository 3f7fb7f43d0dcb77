package claude.code.api.gateway;

import claude.code.api.events.ApiError;
import claude.code.api.events.AssistantMessage;
import claude.code.api.events.ContentBlock;
import claude.code.api.events.Event;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.SystemMessage;
import claude.code.api.events.UserMessage;
import claude.code.api.history.TurnRendering;
import java.io.IOException;

/**
 * A turn's events as a client sees them: the blocks of one assistant message
 * ({@link TurnRendering}, the same rendering the backend registers sessions under), the model,
 * the stop reason, and how the turn ended.
 */
final class TurnView {
    /** Receives each block as it becomes visible. */
    @FunctionalInterface
    interface BlockSink {
        void block(ContentBlock block) throws IOException;
    }

    private final boolean toolActivity;
    private String model;
    private ApiError lastApiError;
    private ResultMessage result;

    TurnView(boolean toolActivity) {
        this.toolActivity = toolActivity;
    }

    /** Takes the next event of the turn and hands the blocks it makes visible to {@code sink}. */
    void accept(Event event, BlockSink sink) throws IOException {
        switch (event) {
            case AssistantMessage a when a.isApiError() -> lastApiError = a.apiError();
            case AssistantMessage a -> {
                if (a.model() != null && !a.model().isBlank() && !a.model().startsWith("<")) {
                    model = a.model();
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
        }
    }

    private static void emit(ContentBlock block, BlockSink sink) throws IOException {
        if (block != null) {
            sink.block(block);
        }
    }

    /** The model that answered, or {@code fallback} when no model message came. */
    String model(String fallback) {
        return model != null ? model : fallback;
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
