package claude.code.api.gateway;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.StreamEvent.BlockHead;
import claude.code.api.events.StreamEvent.Delta;
import claude.code.api.events.TextBlock;
import java.io.IOException;

/**
 * A stream of an API that carries an answer as one text (OpenAI's): whole text blocks and text
 * deltas alike become pieces of {@link JoinedText}, which the dialect sends with {@link #sendText};
 * other blocks and deltas are not shown.
 */
abstract class TextChatStream implements ChatStream {
    /** The answer's text so far. */
    final JoinedText text = new JoinedText();

    /** Sends one non-empty piece of the joined text, in the dialect's own event. */
    abstract void sendText(String piece) throws IOException;

    @Override
    public final void block(ContentBlock block) throws IOException {
        if (block instanceof TextBlock t) {
            text.start();
            piece(t.text());
            text.stop();
        }
    }

    @Override
    public final void blockStart(BlockHead head) {
        if (head instanceof BlockHead.Text) {
            text.start();
        }
    }

    @Override
    public final void blockDelta(Delta delta) throws IOException {
        if (delta instanceof Delta.TextDelta t && text.open()) {
            piece(t.text());
        }
    }

    @Override
    public final void blockStop() {
        text.stop();
    }

    private void piece(String piece) throws IOException {
        String out = text.piece(piece);
        if (!out.isEmpty()) {
            sendText(out);
        }
    }
}
