package claude.code.api.events;

/**
 * The model API failed and the CLI gave up (after its own retries).
 *
 * @param kind the CLI's classification, e.g. {@code server_error}, {@code rate_limit}, {@code authentication_failed}
 * @param status the HTTP status, 0 when unknown
 * @param type the API's error type, e.g. {@code api_error}, {@code rate_limit_error}; when no API response
 *     came, the CLI's cause, e.g. {@code connection_failed}; may be empty
 * @param message the text the CLI shows, e.g. {@code API Error: 500 ...}
 */
public record ApiError(String kind, int status, String type, String message) {}
