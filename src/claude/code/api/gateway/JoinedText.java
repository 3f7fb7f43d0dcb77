package claude.code.api.gateway;

import claude.code.api.events.TurnRendering;

/**
 * The text blocks of a turn streamed as one string, as OpenAI's APIs carry an answer: the first
 * piece of every text block after the first gets {@link TurnRendering#BLOCK_SEPARATOR} in front,
 * so the streamed pieces add up to {@link TurnRendering#joinedText} of the whole answer (what a
 * client echoes back as history, and the backend fingerprints).
 */
final class JoinedText {
    private final StringBuilder all = new StringBuilder();
    private boolean open;
    private boolean blockHasText;

    /** A text block begins. */
    void start() {
        open = true;
        blockHasText = false;
    }

    /** The open text block ended. */
    void stop() {
        open = false;
    }

    boolean open() {
        return open;
    }

    /** A piece of the open block's text, as it is to be sent (empty: nothing to send). */
    String piece(String text) {
        if (text.isEmpty()) {
            return "";
        }
        String out = !blockHasText && !all.isEmpty() ? TurnRendering.BLOCK_SEPARATOR + text : text;
        blockHasText = true;
        all.append(out);
        return out;
    }

    /** Everything sent so far. */
    String text() {
        return all.toString();
    }

    boolean isEmpty() {
        return all.isEmpty();
    }
}
