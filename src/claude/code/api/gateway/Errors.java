package claude.code.api.gateway;

import claude.code.api.events.ApiError;
import claude.code.api.failures.BackendClosedException;
import claude.code.api.failures.PoolExhaustedException;
import claude.code.api.failures.SessionStartException;
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
