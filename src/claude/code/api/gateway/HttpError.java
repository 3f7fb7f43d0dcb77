package claude.code.api.gateway;

/**
 * A request that ends in an HTTP error: the status, the Anthropic error type (the OpenAI body
 * uses the same names) and a message safe to show the client.
 */
final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;

    final int status;
    final String type;
    /** Seconds for a {@code retry-after} header, or 0 for none. */
    final int retryAfter;

    HttpError(int status, String type, String message) {
        this(status, type, message, 0, null);
    }

    HttpError(int status, String type, String message, int retryAfter, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
        this.type = type;
        this.retryAfter = retryAfter;
    }

    static HttpError badRequest(String message) {
        return new HttpError(400, "invalid_request_error", message);
    }

    static HttpError notFound(String message) {
        return new HttpError(404, "not_found_error", message);
    }
}
