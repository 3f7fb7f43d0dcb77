package claude.code.api.sidechannel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The relay's HTTP/1.1 client for its one upstream: blocking sockets, run on the caller's (handler) thread, so a
 * request goes out and its answer comes back without crossing to a selector or executor thread (java.net.http's
 * hand-offs cost the hop a few milliseconds). Strict: a status line, header or chunk it cannot parse exactly is an
 * {@link IOException} naming what was wrong. Idle connections are kept (at most {@value #POOL_LIMIT}) and reused;
 * a request on a reused connection that fails before any response byte arrived is sent once more on a fresh
 * connection (the upstream closed it while idle), never after a response byte or a read timeout.
 */
final class UpstreamClient implements AutoCloseable {
    static final int POOL_LIMIT = 8;

    /** One request header, as the CLI sent it. */
    record Header(String name, String value) {}

    private static final int CONNECT_TIMEOUT_MS = 10_000;
    /** An idle connection older than this is closed, not reused (java.net.http's default keep-alive timeout): a
     *  connection a NAT or load balancer forgot without a FIN or RST would take the request and never answer. */
    static final Duration IDLE_LIMIT = Duration.ofSeconds(30);
    /** The longest wait for a response byte: the request timeout the CLI announces (X-Stainless-Timeout: 600), after
     *  which it has given up on the answer itself. Without it a request to an upstream that went silent (a connection
     *  a NAT forgot mid-answer) held its handler thread and socket until the relay closed. */
    static final Duration READ_TIMEOUT = Duration.ofMinutes(10);
    /** One request or status line or header line; a response's head (with the 1xx heads before it), or its trailers. */
    static final int LINE_LIMIT = 64 * 1024;
    static final int HEAD_LIMIT = 256 * 1024;
    /** Header and body go out in one write (one segment with TCP_NODELAY) up to this body size. */
    private static final int COALESCE_LIMIT = 256 * 1024;

    private final URI upstream;
    private final SSLContext ssl;
    private final long idleLimitNanos;
    private final int readTimeoutMillis;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    /** Every connection not yet closed, idle or in use, so close() can end the requests still waiting. */
    private final Set<Connection> open = new HashSet<>();
    private boolean closed;

    /** @param ssl trust for an https upstream; {@code null}: the JDK's default context */
    UpstreamClient(URI upstream, SSLContext ssl) {
        this(upstream, ssl, IDLE_LIMIT);
    }

    UpstreamClient(URI upstream, SSLContext ssl, Duration idleLimit) {
        this(upstream, ssl, idleLimit, READ_TIMEOUT);
    }

    UpstreamClient(URI upstream, SSLContext ssl, Duration idleLimit, Duration readTimeout) {
        this.upstream = upstream;
        this.ssl = ssl;
        this.idleLimitNanos = idleLimit.toNanos();
        this.readTimeoutMillis = Math.clamp(readTimeout.toMillis(), 1, Integer.MAX_VALUE);
    }

    /**
     * Sends one request and returns once the response's status line and headers arrived; the caller reads the body
     * and closes the response (which gives the connection back when the body was read to its end).
     *
     * @param target the request target: the raw path (with the upstream's own path) and query
     * @param headers in order, without Host or any framing header
     * @param body the body, sent with its Content-Length; {@code null}: no body and no Content-Length
     */
    UpstreamResponse send(String method, String target, List<Header> headers, byte[] body) throws IOException {
        byte[] head = requestHead(method, target, headers, body);
        Connection reused = take();
        if (reused != null) {
            try {
                return exchange(reused, method, head, body);
            } catch (IOException e) {
                if (reused.received || e instanceof SocketTimeoutException) {
                    throw e; // a timeout: the upstream may be working on it, and sent again it would run twice
                }
                // Nothing came back on a kept-alive connection: the upstream dropped it while idle. Once more, fresh.
            }
        }
        return exchange(connect(), method, head, body);
    }

    private UpstreamResponse exchange(Connection c, String method, byte[] head, byte[] body) throws IOException {
        c.received = false; // of this request's response
        try {
            if (body != null && body.length > 0 && body.length <= COALESCE_LIMIT) {
                byte[] all = new byte[head.length + body.length];
                System.arraycopy(head, 0, all, 0, head.length);
                System.arraycopy(body, 0, all, head.length, body.length);
                c.out.write(all);
            } else {
                c.out.write(head);
                if (body != null && body.length > 0) {
                    c.out.write(body);
                }
            }
            c.out.flush();
            return UpstreamResponse.read(c, method.equals("HEAD"));
        } catch (IOException | RuntimeException e) {
            discard(c);
            throw e;
        }
    }

    private byte[] requestHead(String method, String target, List<Header> headers, byte[] body) throws IOException {
        if (!isToken(method)) {
            throw new IOException("the request method " + printable(method) + " is not an HTTP token");
        }
        if (target.isEmpty() || target.chars().anyMatch(ch -> ch <= ' ' || ch >= 0x7f)) {
            throw new IOException("the request target " + printable(target) + " is empty or has a space or control character");
        }
        StringBuilder s = new StringBuilder(512).append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader()).append("\r\n");
        for (Header h : headers) {
            if (!isToken(h.name())) {
                throw new IOException("the request header name " + printable(h.name()) + " is not an HTTP token");
            }
            if (h.value().chars().anyMatch(ch -> ch == '\r' || ch == '\n' || ch == 0 || ch > 0xff)) {
                throw new IOException("the value of request header " + h.name() + " has a CR, LF, NUL or non-Latin-1 character");
            }
            s.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        if (body != null) {
            s.append("Content-Length: ").append(body.length).append("\r\n");
        }
        return s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The upstream's authority as Host names it: the port only when it is not the scheme's default. */
    private String hostHeader() throws IOException {
        int port = upstream.getPort();
        return port == -1 || port == defaultPort() ? host() : host() + ":" + port;
    }

    private String host() throws IOException {
        String scheme = upstream.getScheme() == null ? "" : upstream.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || upstream.getHost() == null) {
            throw new IOException("the upstream " + upstream + " is not an http(s) URL with a host");
        }
        return upstream.getHost();
    }

    private boolean https() {
        return "https".equalsIgnoreCase(upstream.getScheme());
    }

    private int defaultPort() {
        return https() ? 443 : 80;
    }

    /** An idle connection to reuse, or null. */
    private Connection take() throws IOException {
        while (true) {
            Connection c = pollIdle();
            if (c == null || !c.spokeWhileIdle()) {
                return c;
            }
            // Bytes nobody asked for (a 408 an upstream sends before it closes an idle connection): read as the
            // answer to the next request they would be the wrong one.
            discard(c);
        }
    }

    /** The most recently used idle connection unless it expired (the older ones with it). */
    private Connection pollIdle() throws IOException {
        List<Connection> expired = new ArrayList<>(0);
        try {
            lock.lock();
            try {
                if (closed) {
                    throw new IOException("the relay is closed");
                }
                long now = System.nanoTime();
                // The most recently used first: the least likely to have timed out upstream. All behind an expired
                // one are older still.
                Connection c = idle.pollFirst();
                if (c == null || now - c.idleSince < idleLimitNanos) {
                    return c;
                }
                expired.add(c);
                expired.addAll(idle);
                idle.clear();
                return null;
            } finally {
                lock.unlock();
            }
        } finally {
            for (Connection c : expired) {
                discard(c);
            }
        }
    }

    private Connection connect() throws IOException {
        String host = host();
        String address = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        int port = upstream.getPort() == -1 ? defaultPort() : upstream.getPort();
        Socket socket = new Socket();
        Connection c = new Connection(this, socket);
        track(c);
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
            if (https()) {
                SSLContext context = ssl != null ? ssl : defaultSsl();
                SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, address, port, true);
                c.socket = tls;
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                if (!address.contains(":") && !address.matches("[0-9.]+")) {
                    parameters.setServerNames(List.of(new SNIHostName(address))); // SNI names hosts, never IP literals
                }
                parameters.setApplicationProtocols(new String[] {"http/1.1"});
                tls.setSSLParameters(parameters);
                tls.setSoTimeout(CONNECT_TIMEOUT_MS); // a handshake that stalls is a connect that stalls
                tls.startHandshake();
            }
            c.socket.setSoTimeout(readTimeoutMillis);
            c.open(c.socket.getInputStream(), c.socket.getOutputStream());
            return c;
        } catch (IOException | RuntimeException e) {
            discard(c);
            if (e instanceof IllegalArgumentException) {
                // The URL's: a port out of range, a host name SNI refuses (a trailing dot). A failure to reach the
                // upstream like any other, so that the relay answers its 502 naming it.
                throw new IOException("the upstream " + upstream + " cannot be connected to: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static SSLContext defaultSsl() throws IOException {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("no default TLS context", e);
        }
    }

    private void track(Connection c) throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new IOException("the relay is closed");
            }
            open.add(c);
        } finally {
            lock.unlock();
        }
    }

    /** A connection whose response was read to its end and may carry another request. */
    void release(Connection c) {
        Connection evicted = null;
        lock.lock();
        try {
            if (closed || !open.contains(c)) {
                evicted = c;
            } else {
                c.idleSince = System.nanoTime();
                idle.addFirst(c);
                if (idle.size() > POOL_LIMIT) {
                    evicted = idle.pollLast();
                }
            }
        } finally {
            lock.unlock();
        }
        if (evicted != null) {
            discard(evicted);
        }
    }

    /** Closes a connection that cannot be reused (broken, unread, or told to close). */
    void discard(Connection c) {
        lock.lock();
        try {
            open.remove(c);
            idle.remove(c);
        } finally {
            lock.unlock();
        }
        c.closeQuietly();
    }

    /** Idle connections in the pool (tests). */
    int idleConnections() {
        lock.lock();
        try {
            return idle.size();
        } finally {
            lock.unlock();
        }
    }

    /** Closes every connection, idle or in use: a request still waiting on the upstream fails with an IOException. */
    @Override
    public void close() {
        List<Connection> all;
        lock.lock();
        try {
            closed = true;
            all = List.copyOf(open);
            open.clear();
            idle.clear();
        } finally {
            lock.unlock();
        }
        for (Connection c : all) {
            c.abort();
        }
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            boolean alnum = ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9';
            if (!alnum && "!#$%&'*+-.^_`|~".indexOf(ch) < 0) {
                return false;
            }
        }
        return true;
    }

    /** A protocol element quoted for an error message: control characters escaped, cut after 80 characters. */
    static String printable(String s) {
        return printable(s, 80);
    }

    static String printable(String s, int max) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < max; i++) {
            char ch = s.charAt(i);
            if (ch < ' ' || ch >= 0x7f) {
                b.append(String.format("\\x%02x", (int) ch & 0xff));
            } else {
                b.append(ch);
            }
        }
        return b.append(s.length() > max ? "...\"" : "\"").toString();
    }

    /**
     * One socket to the upstream with its read buffer. {@code received} says whether any byte of the current
     * request's response came back on it (the line between a stale keep-alive, retried, and a broken response, not).
     */
    static final class Connection {
        private final UpstreamClient client;
        /** The TCP socket; {@link #socket} is it, or the TLS socket layered on it. */
        private final Socket raw;
        volatile Socket socket;
        private InputStream in;
        OutputStream out;
        private final byte[] buffer = new byte[16 * 1024];
        private int position;
        private int limit;
        boolean received;
        long idleSince;
        /** Bytes {@link #readLine} consumed on this connection, CRLFs included: what bounds a response's head. */
        private long lineBytes;

        Connection(UpstreamClient client, Socket socket) {
            this.client = client;
            this.raw = socket;
            this.socket = socket;
        }

        void open(InputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
        }

        UpstreamClient client() {
            return client;
        }

        long lineBytes() {
            return lineBytes;
        }

        /**
         * Whether bytes arrived while it was idle (or it broke): ours, the TLS socket's decrypted ones, and the TCP
         * socket's, which TLS has not read yet (a record sent unasked, say a late session ticket, costs a fresh
         * connection, never a wrong answer). An ioctl, no read.
         */
        boolean spokeWhileIdle() {
            try {
                return hasBuffered() || raw.getInputStream().available() > 0
                        || socket != raw && socket.getInputStream().available() > 0;
            } catch (IOException e) {
                return true;
            }
        }

        /** Bytes read past the end of a response: the connection is out of step and cannot be reused. */
        boolean hasBuffered() {
            return position < limit;
        }

        /** Fills the buffer when it is empty: false at the end of the stream. */
        private boolean fill() throws IOException {
            if (position < limit) {
                return true;
            }
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            received = true;
            position = 0;
            limit = n;
            return true;
        }

        /** At most {@code length} bytes, what is buffered or else one read of the socket; -1 at the end of the stream. */
        int read(byte[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (position == limit && length >= buffer.length) {
                int n = in.read(into, offset, length); // a large read straight into the caller's array
                if (n > 0) {
                    received = true;
                }
                return n;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, limit - position);
            System.arraycopy(buffer, position, into, offset, n);
            position += n;
            return n;
        }

        /**
         * One line without its CRLF (a bare LF is accepted as RFC 9112 §2.2 allows); {@code null} when the stream ends
         * before its first byte. A line longer than {@code max}, a bare CR or an end mid-line is an IOException.
         */
        String readLine(int max, String what) throws IOException {
            StringBuilder line = new StringBuilder(64);
            boolean any = false;
            while (true) {
                if (!fill()) {
                    if (!any) {
                        return null;
                    }
                    throw new IOException("the upstream's response ended inside the " + what);
                }
                any = true;
                while (position < limit) {
                    byte b = buffer[position++];
                    lineBytes++;
                    if (b == '\n') {
                        int end = line.length();
                        if (end > 0 && line.charAt(end - 1) == '\r') {
                            line.setLength(end - 1);
                        }
                        return line.toString();
                    }
                    if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
                        throw new IOException("a bare CR in the " + what);
                    }
                    if (line.length() >= max) {
                        throw new IOException("the " + what + " is longer than " + max + " bytes");
                    }
                    line.append((char) (b & 0xff));
                }
            }
        }

        void closeQuietly() {
            close(socket);
        }

        /**
         * Closes it from another thread than the one using it: the TCP socket first. An SSLSocket's close sends
         * close_notify under the lock a write in progress holds, so it would wait for as long as an upstream that
         * does not read leaves that write blocked; closing the TCP socket ends the write (and a read) at once.
         */
        void abort() {
            close(raw);
            close(socket);
        }

        private static void close(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing: nothing left to do with it
            }
        }
    }
}
