package claude.code.api.gateway;

import claude.code.api.events.EventStream;
import java.io.IOException;

/** Reading a whole turn for a non-streaming answer. */
final class Turns {
    /** Response header naming the CLI session that answered (non-streaming answers). */
    static final String SESSION_HEADER = "x-claude-code-session-id";
    /** Request header choosing whether tool activity is shown: {@code text} or {@code none}. */
    static final String TOOL_ACTIVITY_HEADER = "x-claude-code-tool-activity";

    private Turns() {}

    /** Feeds every event of {@code turn} to {@code view}; a failing stream becomes an {@link HttpError}. */
    static void drain(EventStream turn, TurnView view, TurnView.BlockSink sink) throws HttpError, IOException {
        try {
            while (turn.hasNext()) {
                view.accept(turn.next(), sink);
            }
        } catch (RuntimeException e) {
            throw Errors.fromException(e);
        }
    }
}
