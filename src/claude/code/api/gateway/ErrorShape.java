package claude.code.api.gateway;

import claude.code.api.json.JsonObject;

/** How one API writes an error response body; each route answers its errors in the shape of its API. */
@FunctionalInterface
interface ErrorShape {
    /** The body of {@code error}, for the request {@code requestId} (the {@code request-id} header). */
    JsonObject errorBody(HttpError error, String requestId);
}
