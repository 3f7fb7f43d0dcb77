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
    /** The request field at fault and the API's error code, where the API names them (OpenAI's body); else null. */
    final String param;
    final String code;

    HttpError(int status, String type, String message) {
        this(status, type, message, 0, null);
    }

    HttpError(int status, String type, String message, int retryAfter, Throwable cause) {
        this(status, type, message, retryAfter, cause, null, null);
    }

    /** An error the API identifies by a code, e.g. OpenAI's {@code previous_response_not_found} for {@code param}. */
    HttpError(int status, String type, String message, String param, String code) {
        this(status, type, message, 0, null, param, code);
    }

    private HttpError(int status, String type, String message, int retryAfter, Throwable cause, String param,
            String code) {
        super(message, cause, false, false);
        this.status = status;
        this.type = type;
        this.retryAfter = retryAfter;
        this.param = param;
        this.code = code;
    }

    static HttpError badRequest(String message) {
        return new HttpError(400, "invalid_request_error", message);
    }

    static HttpError notFound(String message) {
        return new HttpError(404, "not_found_error", message);
    }
}
