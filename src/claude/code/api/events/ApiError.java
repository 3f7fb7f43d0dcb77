package claude.code.api.events;

/**
 * The model API failed and the CLI gave up (after its own retries).
 *
 * @param kind the CLI's classification, e.g. {@code server_error}, {@code rate_limit}, {@code authentication_failed}
 * @param status the HTTP status, 0 when unknown
 * @param type the API's error type, e.g. {@code api_error}, {@code rate_limit_error}; when no API response
 *     came, the CLI's cause, e.g. {@code connection_failed}; may be empty
 * @param message the text the CLI shows, e.g. {@code API Error: 500 ...}; the API's own message when read
 *     from its response
 * @param retryAfterSeconds the response's {@code retry-after} in seconds (0 when it had none), or
 *     {@link #NOT_FROM_RESPONSE} when this error was not read from the API's HTTP response (the CLI's
 *     account in its transcript, which has neither the headers nor, always, the exact status)
 */
public record ApiError(String kind, int status, String type, String message, int retryAfterSeconds) {
    /** {@link #retryAfterSeconds} of an error that was not read from the API's response. */
    public static final int NOT_FROM_RESPONSE = -1;

    /** The CLI's account of an API error (its transcript): no response headers seen. */
    public ApiError(String kind, int status, String type, String message) {
        this(kind, status, type, message, NOT_FROM_RESPONSE);
    }

    /** Status, type, message and retry-after are the API's own, read from its HTTP response (the model-API relay). */
    public boolean fromResponse() {
        return retryAfterSeconds != NOT_FROM_RESPONSE;
    }
}
