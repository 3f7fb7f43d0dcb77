package claude.code.api.gateway;

import claude.code.api.events.ApiError;
import claude.code.api.failures.BackendClosedException;
import claude.code.api.failures.PoolExhaustedException;
import claude.code.api.failures.SessionStartException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CancellationException;

/** How failures become HTTP errors (the table is in the README). */
final class Errors {
    private Errors() {}

    /**
     * A turn that ended in an error. When the model API failed, its status decides: a rate
     * limit stays a 429 and an overload a 529 (the client should back off); a request the API
     * rejected as invalid (400, 404 e.g. for an unknown model, 413) keeps its status, since the
     * client's request chose the model and the history. Authentication failures are the
     * gateway's own (its CLI's login), so they are a 502, like every other failure of the CLI.
     */
    static HttpError fromTurn(ApiError api, String errorText) {
        String text = errorText == null || errorText.isBlank() ? "the claude session reported an error" : errorText;
        if (api != null) {
            return switch (api.status()) {
                case 429 -> new HttpError(429, "rate_limit_error", text, 0, null);
                case 529 -> new HttpError(529, "overloaded_error", text);
                case 400 -> new HttpError(400, "invalid_request_error", text);
                case 404 -> new HttpError(404, "not_found_error", text);
                case 413 -> new HttpError(413, "request_too_large", text);
                case 401, 403 -> new HttpError(502, "api_error", "the gateway's claude CLI could not authenticate "
                        + "(log it in again: run claude and /login): " + text);
                default -> new HttpError(502, "api_error", text);
            };
        }
        return new HttpError(502, "api_error", text);
    }

    /**
     * A turn that ended because the model API answered with an error that was read from its HTTP
     * response ({@link ApiError#fromResponse()}, the model-API relay): the client gets what the
     * API gave, its status (429, 529, any other 4xx or 5xx), error type, message and
     * {@code retry-after}, so an SDK's own retry and back-off rules work as against the API.
     * Authentication failures keep {@link #fromTurn}'s rule: the credential the API refused is
     * the gateway's CLI's own login, never the client's, so a 401 or 403 would wrongly tell the
     * client to fix its key (SDKs do not retry it); it is the gateway that must be logged in again.
     */
    static HttpError fromUpstream(ApiError api) {
        String message = api.message() == null || api.message().isBlank() ? "the model API reported an error" : api.message();
        int status = api.status();
        if (status == 401 || status == 403) {
            return fromTurn(api, message);
        }
        if (status < 400 || status > 599) { // no status to pass on (a failed connection): the gateway's own 502
            return new HttpError(502, "api_error", message);
        }
        String type = api.type() == null || api.type().isBlank() ? defaultType(status) : api.type();
        return new HttpError(status, type, message, retryAfter(api), null);
    }

    /**
     * The {@code retry-after} to pass on, in seconds (0: none). The Messages API sends delay-seconds;
     * an HTTP-date (RFC 9110 §10.2.3), which it could also send, becomes the seconds until then.
     */
    static int retryAfter(ApiError api) {
        String value = api.retryAfter() == null ? "" : api.retryAfter().strip();
        if (value.matches("[0-9]{1,9}")) {
            return Integer.parseInt(value);
        }
        try {
            long seconds = Duration.between(Instant.now(), ZonedDateTime.parse(value,
                    DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()).toSeconds();
            return (int) Math.max(0, Math.min(Integer.MAX_VALUE, seconds));
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    /** The Messages API's error type for a status, for an error response that named none. */
    private static String defaultType(int status) {
        return switch (status) {
            case 400, 422 -> "invalid_request_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        };
    }

    /**
     * An exception from the gateway's backends, from {@code complete()} or from the turn's stream,
     * by its type. A session that could not start reports the first line of its reason (which names
     * the exit status), never the CLI's screen (it goes to the log).
     */
    static HttpError fromException(RuntimeException e) {
        return switch (e) {
            case PoolExhaustedException p -> new HttpError(503, "overloaded_error", p.getMessage(), 1, p);
            case BackendClosedException c -> new HttpError(503, "overloaded_error", "the gateway is shutting down", 1, c);
            case SessionStartException s -> new HttpError(502, "api_error", "could not start a claude session: "
                    + firstLine(s.reason()), 0, s);
            case IllegalArgumentException i -> new HttpError(400, "invalid_request_error", i.getMessage(), 0, i);
            case CancellationException c -> new HttpError(503, "overloaded_error", "the gateway is shutting down", 1, c);
            default -> new HttpError(502, "api_error", "the claude session failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())), 0, e);
        };
    }

    /** Start-up failures quote the CLI's screen after the first line; clients get the first line only. */
    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
