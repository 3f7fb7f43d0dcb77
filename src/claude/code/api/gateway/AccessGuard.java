package claude.code.api.gateway;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who may use the gateway. Without a token (loopback only) the {@code Host} must name a
 * loopback address or the bound host, and an {@code Origin}, when sent, must be a loopback one:
 * web pages the user visits cannot drive the CLI through the browser (DNS rebinding,
 * cross-site requests). With a token, {@link Access#PROTECTED} requests must carry it; it is
 * compared as SHA-256 digests, so in constant time whatever its length.
 */
final class AccessGuard {
    /** What a route asks of a request before it is answered. */
    enum Access {
        /** Nothing: answered for anyone ({@code /health}). */
        OPEN,
        /** No data behind it (a static page, an unknown path): the loopback checks when no token is set, else nothing. */
        STATIC,
        /** The loopback checks when no token is set, else the token. */
        PROTECTED
    }

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private final String boundHost;
    private final byte[] tokenDigest;

    /**
     * @param boundHost the host the gateway listens on (also accepted as a {@code Host})
     * @param token the token clients must present, {@code null} for none (loopback only)
     */
    AccessGuard(String boundHost, String token) {
        this.boundHost = boundHost;
        this.tokenDigest = token == null ? null : sha256(token);
    }

    /** Refuses {@code call} (403 or 401) unless it may use a route of this {@code access}. */
    void check(Call call, Access access) throws HttpError {
        if (access == Access.OPEN) {
            return;
        }
        if (tokenDigest == null) {
            String host = call.header("Host");
            if (host != null && !loopbackName(stripPort(host)) && !stripPort(host).equalsIgnoreCase(boundHost)) {
                throw new HttpError(403, "permission_error", "the Host header does not name this gateway (a loopback "
                        + "address); set a token (--token) to serve other names");
            }
            String origin = call.header("Origin");
            if (origin != null && !loopbackOrigin(origin)) {
                throw new HttpError(403, "permission_error", "requests from web pages of other origins are refused");
            }
            return;
        }
        if (access == Access.STATIC) {
            return;
        }
        String presented = null;
        String authorization = call.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).strip();
        } else if (call.header("x-api-key") != null) {
            presented = call.header("x-api-key").strip();
        }
        if (presented == null || presented.isEmpty()) {
            throw new HttpError(401, "authentication_error", "this gateway needs a token: send Authorization: Bearer "
                    + "<token> or x-api-key: <token>");
        }
        if (!MessageDigest.isEqual(tokenDigest, sha256(presented))) { // digests: equal length, constant time
            throw new HttpError(401, "authentication_error", "invalid token");
        }
    }

    static String stripPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(1, end);
        }
        int colon = host.indexOf(':');
        return colon >= 0 && host.indexOf(':', colon + 1) < 0 ? host.substring(0, colon) : host;
    }

    /** A loopback name or literal, decided without a DNS lookup. */
    static boolean loopbackName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || IPV4_LOOPBACK.matcher(h).matches();
    }

    static boolean loopbackOrigin(String origin) {
        URI uri;
        try {
            uri = URI.create(origin.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                && loopbackName(stripPort(uri.getHost()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
