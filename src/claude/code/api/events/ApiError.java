package claude.code.api.events;

/**
 * The model API failed and the turn ended on it.
 *
 * <p>Where it comes from: with the model-API relay on, the upstream's own answer as it passed
 * through (its HTTP status, its error body's {@code type} and {@code message}, its
 * {@code retry-after} header) — exactly what a client of the real API would have seen. Without the
 * relay, or when the relay saw no error, the CLI's error record in the transcript, which has
 * neither the headers nor, always, the exact status.
 *
 * @param kind the classification: the CLI's ({@code server_error}, {@code rate_limit},
 *     {@code authentication_failed}, ...), or for an error seen by the relay the same words derived
 *     from the status ({@code docs/CLI-BEHAVIOUR.md#api-errors})
 * @param status the HTTP status, 0 when unknown (no response came); for an SSE {@code error} event
 *     in a 200 stream, the status the API gives that error type
 * @param type the API's error type, e.g. {@code api_error}, {@code rate_limit_error}; when no API response
 *     came, the cause, e.g. {@code connection_failed}; may be empty
 * @param message the upstream's error message (relay), or the text the CLI shows ({@code API Error: 500 ...})
 * @param retryAfter the upstream's {@code retry-after} header exactly as sent, or {@code null}
 * @param fromResponse status, type, message and retry-after are the API's own, read from its response
 *     by the model-API relay; false for the CLI's account in its transcript
 */
public record ApiError(String kind, int status, String type, String message, String retryAfter, boolean fromResponse) {

    /** The CLI's account of an API error (its transcript): no response seen. */
    public ApiError(String kind, int status, String type, String message) {
        this(kind, status, type, message, null, false);
    }
}
