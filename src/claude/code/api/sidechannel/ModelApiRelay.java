package claude.code.api.sidechannel;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Forwards the CLI's model-API requests to the upstream unchanged (unless the session's tap amends one of its
 * conversation's own calls, {@link RelayTap.Exchange#forwardedBody}) and streams the answer back as it arrives. It never adds credentials and never logs headers or bodies. One relay (one HTTP client)
 * serves every session of a backend (its {@link UpstreamClient}'s kept-alive connections are shared); {@link #route(RelayTap)} gives a session its route with its own tap.
 */
public final class ModelApiRelay implements RouteHandler, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ModelApiRelay.class.getName());

    /** Not forwarded: hop-by-hop (RFC 9110 §7.6.1) and Host, which names the relay, not the upstream. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization", "proxy-authenticate", "host");
    /** The client's own: it frames the body (content-length) and has it whole, so nothing to expect (expect);
     *  it speaks HTTP/1.1 only (http2-settings). */
    private static final Set<String> CLIENT_RESTRICTED = Set.of("content-length", "expect", "http2-settings");

    private final URI upstream;
    /** The upstream's own raw path, without a trailing slash: every request target starts with it. */
    private final String upstreamPath;
    private final UpstreamClient client;
    private final RelayTap tap;

    public ModelApiRelay(URI upstream, SSLContext ssl, RelayTap tap) {
        this.upstream = upstream;
        this.upstreamPath = upstream.getRawPath() == null ? "" : upstream.getRawPath().replaceAll("/+$", "");
        this.tap = tap;
        this.client = new UpstreamClient(upstream, ssl);
    }

    public ModelApiRelay(URI upstream) {
        this(upstream, null, RelayTap.NONE);
    }

    /** Where requests go. */
    public URI upstream() {
        return upstream;
    }

    /** A route over this relay's client that shows its exchanges to {@code sessionTap}. */
    public RouteHandler route(RelayTap sessionTap) {
        return (exchange, path) -> relay(exchange, path, sessionTap);
    }

    @Override
    public void handle(HttpExchange exchange, String path) throws IOException {
        relay(exchange, path, tap);
    }

    private void relay(HttpExchange exchange, String path, RelayTap sessionTap) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String base = upstream.toString().replaceAll("/+$", "");
        String rawPath = upstreamPath + path;
        String target = (rawPath.isEmpty() ? "/" : rawPath) + (query == null ? "" : "?" + query);
        byte[] body = exchange.getRequestBody().readAllBytes();
        RelayTap.Exchange seen = observe(() -> sessionTap.exchange(exchange.getRequestMethod(), path, query, body));
        if (seen == null) {
            seen = RelayTap.Exchange.NONE;
        }
        RelayTap.Exchange tapped = seen;
        byte[] amended = observe(() -> tapped.forwardedBody(body));
        byte[] forwarded = amended == null ? body : amended; // the same array unless the session amends this call
        List<UpstreamClient.Header> headers = new ArrayList<>();
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || CLIENT_RESTRICTED.contains(name)) {
                continue;
            }
            for (String value : h.getValue()) {
                headers.add(new UpstreamClient.Header(h.getKey(), value));
            }
        }
        UpstreamResponse response;
        try {
            response = client.send(exchange.getRequestMethod(), target, headers,
                    forwarded.length == 0 && !hasBody(exchange) ? null : forwarded);
        } catch (IOException e) {
            RelayTap.UpstreamUnreachable failure = new RelayTap.UpstreamUnreachable(base, e.getClass().getSimpleName());
            RelayTap.Exchange s = seen;
            observe(() -> { s.failed(failure); return null; });
            SideChannel.refuse(exchange, 502, "api_error", "model-API relay cannot reach upstream " + base
                    + " (" + failure.reason() + "); the relay is switched by --model-api-relay on|off");
            return;
        }
        try (response) {
            forward(exchange, response, seen, base);
        }
    }

    private static void forward(HttpExchange exchange, UpstreamResponse response, RelayTap.Exchange s, String base)
            throws IOException {
        for (Map.Entry<String, List<String>> h : response.headers().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || name.equals("content-length") || name.startsWith(":")) {
                continue;
            }
            exchange.getResponseHeaders().put(h.getKey(), h.getValue());
        }
        long length = response.length();
        observe(() -> { s.response(response.status(), response.headers()); return null; });
        try {
            exchange.sendResponseHeaders(response.status(), length < 0 ? 0 : length == 0 ? -1 : length);
            try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    out.flush(); // unbuffered: each upstream piece reaches the CLI as it arrives
                    int count = n;
                    observe(() -> { s.bytes(buffer, 0, count); return null; });
                }
            }
        } catch (IOException e) {
            RelayTap.StreamBroken broken = new RelayTap.StreamBroken(base, e.getClass().getSimpleName());
            observe(() -> { s.failed(broken); return null; });
            throw e;
        }
        observe(() -> { s.end(); return null; });
    }

    /** A tap only observes: what it throws never breaks the byte path. */
    private static <T> T observe(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a relay tap failed: " + e.getClass().getName());
            return null;
        }
    }

    private static boolean hasBody(HttpExchange exchange) {
        return exchange.getRequestHeaders().containsKey("Content-Length")
                || exchange.getRequestHeaders().containsKey("Transfer-Encoding");
    }

    /**
     * Closes every upstream connection, so a request still waiting on the upstream fails now (a model API that never
     * answers must not hold a handler thread, and so the side channel's close, forever). The client has no threads.
     */
    @Override
    public void close() {
        client.close();
    }
}
