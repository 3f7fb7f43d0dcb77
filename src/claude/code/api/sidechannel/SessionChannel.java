package claude.code.api.sidechannel;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One session's part of the {@link SideChannel}: its secret, its base URL and the routes it mounts. */
public final class SessionChannel implements AutoCloseable {

    private final String secret;
    private final URI baseUrl;
    private final Runnable unregister;
    private final Map<String, RouteHandler> routes = new ConcurrentHashMap<>();

    SessionChannel(String secret, URI baseUrl, Runnable unregister) {
        this.secret = secret;
        this.baseUrl = baseUrl;
        this.unregister = unregister;
    }

    String secret() {
        return secret;
    }

    /** {@code http://127.0.0.1:<port>/<secret>}: give it to the CLI as {@code ANTHROPIC_BASE_URL}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** Mounts {@code handler} as {@code route}; the handler sees the path below the secret. */
    public void mount(String route, RouteHandler handler) {
        routes.put(route, handler);
    }

    RouteHandler handler(String route) {
        return routes.get(route);
    }

    @Override
    public void close() {
        unregister.run();
    }
}
