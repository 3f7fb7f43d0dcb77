package claude.code.api.options;

/** How a new session learns a conversation's earlier messages when no live session holds them. */
public enum HistoryMode {
    /**
     * Write the earlier messages as a transcript under a new session id and start
     * {@code claude --resume <id>}: the model sees them as real messages (text, tool use and
     * results, thinking with signatures), exactly as the client sent them.
     */
    NATIVE_JSONL,
    /**
     * Start a fresh session and fold the earlier messages into its first prompt as tagged text
     * (format in the {@code claude.code.api.history} package documentation).
     */
    CONCAT_MESSAGE
}
