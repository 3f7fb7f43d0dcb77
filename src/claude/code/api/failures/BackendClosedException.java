package claude.code.api.failures;

/** The backend is closed or closing: it takes no new turn (HTTP 503 in the gateway). */
public final class BackendClosedException extends BackendException {
    private static final long serialVersionUID = 1L;

    /** @param message which backend, e.g. {@code ClaudeCodeBackend is closed} */
    public BackendClosedException(String message) {
        super(message, null);
    }
}
