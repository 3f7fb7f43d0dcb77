package claude.code.api.gateway;

import claude.code.api.gateway.AccessGuard.Access;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The gateway's endpoints: each path with its name, method, access, error shape and handler,
 * tried in the order added; a path no route matches goes to the fallback route. Which API a
 * request speaks is decided here, once: by the route's {@link ErrorShape} and handler.
 */
final class RouteTable {
    /** Answers a request of its route. */
    @FunctionalInterface
    interface Handler {
        /** @param pathPart what the route's {@code {name}} part matched, {@code null} for a route without one */
        void handle(Call call, String pathPart) throws HttpError, IOException;
    }

    /**
     * One endpoint.
     *
     * @param name its name in the log and the metrics (a fixed set, never the raw path)
     * @param method the method it answers (another one is a 405), {@code null} for any
     * @param path the path, or a template with one {@code {name}} part standing for any characters
     *     (none included), {@code null} for the fallback route
     * @param access what the request must show first ({@link AccessGuard}), after the method check
     * @param errors how its errors are written: the shape of its API
     */
    record Route(String name, String method, String path, Access access, ErrorShape errors, Handler handler) {
        Route {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(access, "access");
            Objects.requireNonNull(errors, "errors");
            Objects.requireNonNull(handler, "handler");
            if (path != null && path.indexOf('{') >= 0 && (path.indexOf('}') < path.indexOf('{')
                    || path.indexOf('{', path.indexOf('{') + 1) >= 0)) {
                throw new IllegalArgumentException("a path template has one {...} part: " + path);
            }
        }

        /** This route with what its {@code {name}} part matched, if {@code requestPath} is one of its paths; else {@code null}. */
        Match match(String requestPath) {
            int open = path.indexOf('{');
            if (open < 0) {
                return path.equals(requestPath) ? new Match(this, null) : null;
            }
            String prefix = path.substring(0, open);
            String suffix = path.substring(path.indexOf('}') + 1);
            boolean fits = requestPath.length() >= prefix.length() + suffix.length() && requestPath.startsWith(prefix)
                    && requestPath.endsWith(suffix);
            return fits ? new Match(this, requestPath.substring(prefix.length(), requestPath.length() - suffix.length()))
                    : null;
        }
    }

    /**
     * The route a request path found, and what its {@code {name}} part matched ({@code null} for a
     * route without one).
     */
    record Match(Route route, String pathPart) {}

    private final List<Route> routes = new ArrayList<>();
    private final Route fallback;

    /** @param fallback answers every path no route matches (its {@code path} is {@code null}) */
    RouteTable(String name, Access access, ErrorShape errors, Handler handler) {
        this.fallback = new Route(name, null, null, access, errors, handler);
    }

    /** Adds a route after those already added. */
    RouteTable add(String name, String method, String path, Access access, ErrorShape errors, Handler handler) {
        routes.add(new Route(name, method, Objects.requireNonNull(path, "path"), access, errors, handler));
        return this;
    }

    /** The first route whose path matches {@code requestPath} (the raw path), else the fallback. */
    Match match(String requestPath) {
        if (requestPath != null) {
            for (Route route : routes) {
                Match match = route.match(requestPath);
                if (match != null) {
                    return match;
                }
            }
        }
        return new Match(fallback, null);
    }
}
