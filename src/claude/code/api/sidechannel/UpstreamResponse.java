package claude.code.api.sidechannel;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One upstream response: its status and headers, parsed strictly when it is read, and its body as a stream framed by
 * Content-Length, chunked transfer coding (decoded; trailers read and dropped) or the end of the connection.
 * Closing it gives the connection back to the client when the body was read to its end and neither side said
 * {@code Connection: close}; otherwise it closes the connection.
 */
final class UpstreamResponse implements AutoCloseable {

    private enum Framing { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

    private final UpstreamClient.Connection connection;
    private final int status;
    private final Map<String, List<String>> headers;
    private final Framing framing;
    private final long length;
    private final boolean reusable;
    private final Body body = new Body();
    private boolean closed;

    private UpstreamResponse(UpstreamClient.Connection connection, int status, Map<String, List<String>> headers,
            Framing framing, long length, boolean reusable) {
        this.connection = connection;
        this.status = status;
        this.headers = headers;
        this.framing = framing;
        this.length = length;
        this.reusable = reusable;
        body.remaining = framing == Framing.LENGTH ? length : 0;
        body.done = framing == Framing.NONE || framing == Framing.LENGTH && length == 0;
    }

    /**
     * Reads the status line and headers (informational 1xx responses before them are skipped, their bytes counted
     * in the head's bound: each alone is small, and an upstream may send them without end).
     */
    static UpstreamResponse read(UpstreamClient.Connection c, boolean head) throws IOException {
        long start = c.lineBytes();
        while (true) {
            String line = c.readLine(UpstreamClient.LINE_LIMIT, "status line");
            if (line == null) {
                throw new IOException("the upstream closed the connection before its response");
            }
            boolean http11 = httpVersion(line);
            int status = statusCode(line);
            Map<String, List<String>> headers = readFields(c, "header", start);
            if (status < 200) {
                if (status == 101) {
                    throw new IOException("the upstream switched protocols (101) on a request that asked for none");
                }
                continue; // 100 Continue, 103 Early Hints: the final response follows
            }
            boolean close = !http11 || tokens(headers, "connection").contains("close");
            List<String> codings = tokens(headers, "transfer-encoding");
            if (head || status == 204 || status == 304) {
                return new UpstreamResponse(c, status, headers, Framing.NONE, 0, !close);
            }
            if (!codings.isEmpty()) {
                if (codings.stream().anyMatch(coding -> !coding.equals("chunked"))) {
                    // A request without TE allows chunked only (RFC 9112 §6.1, §7.4): decoded chunked, another
                    // coding would stay on the bytes relayed, and the header that names it is hop-by-hop.
                    throw new IOException("the upstream's Transfer-Encoding " + String.join(", ", codings)
                            + " has a coding other than chunked, which no request asks for");
                }
                if (codings.size() > 1) {
                    throw new IOException("the upstream's Transfer-Encoding " + String.join(", ", codings)
                            + " applies chunked more than once");
                }
                // A Content-Length beside chunked is overridden, but the two may frame the message differently for
                // a hop on the way (response splitting, RFC 9112 §6.3): what follows on this connection is not to
                // be trusted.
                boolean keep = !close && !headers.containsKey("content-length");
                return new UpstreamResponse(c, status, headers, Framing.CHUNKED, -1, keep);
            }
            long length = contentLength(headers);
            return length >= 0 ? new UpstreamResponse(c, status, headers, Framing.LENGTH, length, !close)
                    : new UpstreamResponse(c, status, headers, Framing.UNTIL_CLOSE, -1, false);
        }
    }

    int status() {
        return status;
    }

    /** Every header as received (names case-insensitive, values in order), framing and hop-by-hop ones included. */
    Map<String, List<String>> headers() {
        return headers;
    }

    /** The body's length by Content-Length; -1 when it is chunked or runs to the end of the connection. */
    long length() {
        return framing == Framing.LENGTH ? length : framing == Framing.NONE ? 0 : -1;
    }

    /** The body, decoded from its framing; read it once. Closing it closes the response. */
    InputStream body() {
        return body;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (body.done && reusable && !connection.hasBuffered()) {
            connection.client().release(connection);
        } else {
            connection.client().discard(connection);
        }
    }

    private static boolean httpVersion(String line) throws IOException {
        if (line.length() < 12 || !line.startsWith("HTTP/1.") || line.charAt(8) != ' '
                || line.charAt(7) != '0' && line.charAt(7) != '1') {
            throw new IOException("the upstream's status line " + UpstreamClient.printable(line)
                    + " is not \"HTTP/1.x <3-digit status> [reason]\"");
        }
        return line.charAt(7) == '1';
    }

    private static int statusCode(String line) throws IOException {
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char ch = line.charAt(i);
            if (ch < '0' || ch > '9') {
                throw new IOException("the upstream's status line " + UpstreamClient.printable(line)
                        + " has no 3-digit status code");
            }
            status = status * 10 + ch - '0';
        }
        if (status < 100 || status > 599 || line.length() > 12 && line.charAt(12) != ' ') {
            throw new IOException("the upstream's status line " + UpstreamClient.printable(line)
                    + " has no status code from 100 to 599 followed by a space or its end");
        }
        for (int i = 13; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch < ' ' && ch != '\t' || ch == 0x7f) {
                throw new IOException("the upstream's status line " + UpstreamClient.printable(line)
                        + " has a control character in its reason");
            }
        }
        return status;
    }

    /**
     * Header or trailer fields up to the empty line: names case-insensitive, first spelling kept, values in order.
     * At most {@link UpstreamClient#HEAD_LIMIT} bytes of lines since {@code start}, a {@code Connection.lineBytes()}.
     */
    private static Map<String, List<String>> readFields(UpstreamClient.Connection c, String what, long start)
            throws IOException {
        Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        while (true) {
            String line = c.readLine(UpstreamClient.LINE_LIMIT, what + " line");
            if (line == null) {
                throw new IOException("the upstream's response ended inside its " + what + "s");
            }
            if (line.isEmpty()) {
                break;
            }
            if (c.lineBytes() - start > UpstreamClient.HEAD_LIMIT) {
                throw new IOException("the upstream's " + what + "s" + (what.equals("header")
                        ? " (with the informational responses before them)" : "") + " are longer than "
                        + UpstreamClient.HEAD_LIMIT + " bytes");
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new IOException("the upstream's " + what + " line " + UpstreamClient.printable(line, 32)
                        + " continues the previous one (obsolete line folding)");
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon);
            if (!UpstreamClient.isToken(name)) {
                // Its start only: a header line's value may carry a credential (a cookie), never put in a message.
                throw new IOException("the upstream's " + what + " line " + UpstreamClient.printable(line, 32)
                        + (colon < 0 ? " has no colon" : " has a name that is not an HTTP token"));
            }
            String value = trim(line.substring(colon + 1));
            for (int i = 0; i < value.length(); i++) {
                char ch = value.charAt(i);
                if (ch < ' ' && ch != '\t' || ch == 0x7f) {
                    throw new IOException("the upstream's " + what + " " + name + " has a control character in its value");
                }
            }
            fields.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        fields.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(fields);
    }

    private static String trim(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    /** The comma-separated tokens of every value of a header, lower case, empty elements dropped. */
    private static List<String> tokens(Map<String, List<String>> headers, String name) {
        List<String> tokens = new ArrayList<>();
        for (String value : headers.getOrDefault(name, List.of())) {
            for (String t : value.split(",")) {
                String token = trim(t).toLowerCase(Locale.ROOT);
                if (!token.isEmpty()) {
                    tokens.add(token);
                }
            }
        }
        return tokens;
    }

    /** Content-Length, -1 when absent; several equal values count as one (RFC 9110 §8.6), differing ones are an error. */
    private static long contentLength(Map<String, List<String>> headers) throws IOException {
        long length = -1;
        for (String value : headers.getOrDefault("content-length", List.of())) {
            for (String element : value.split(",", -1)) {
                String number = trim(element);
                String digits = withoutLeadingZeros(number);
                if (number.isEmpty() || digits.length() > 18 || !number.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                    throw new IOException("the upstream's Content-Length " + UpstreamClient.printable(value)
                            + " is not a decimal number");
                }
                long n = digits.isEmpty() ? 0 : Long.parseLong(digits);
                if (length >= 0 && n != length) {
                    throw new IOException("the upstream sent differing Content-Length values " + length + " and " + n);
                }
                length = n;
            }
        }
        return length;
    }

    /** A chunk-size line: hex digits, then optional whitespace and chunk extensions (ignored). */
    private static long chunkSize(String line) throws IOException {
        int end = line.indexOf(';');
        String number = trim(end < 0 ? line : line.substring(0, end));
        String digits = withoutLeadingZeros(number); // 1*HEXDIG: any number of zeros in front, the value's digits bounded
        if (number.isEmpty() || digits.length() > 15 || !number.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw new IOException("the upstream's chunk size " + UpstreamClient.printable(line)
                    + " is not a hexadecimal number (at most 15 digits)");
        }
        return digits.isEmpty() ? 0 : Long.parseLong(digits, 16);
    }

    private static String withoutLeadingZeros(String digits) {
        int from = 0;
        while (from < digits.length() && digits.charAt(from) == '0') {
            from++;
        }
        return digits.substring(from);
    }

    /** The body, as the framing delimits it. */
    private final class Body extends InputStream {
        long remaining;
        boolean done;
        /** Chunked: the CRLF after a chunk's data is still to be read. */
        private boolean afterData;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int max) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, max, into.length);
            if (done) {
                return -1;
            }
            if (max == 0) {
                return 0;
            }
            return switch (framing) {
                case NONE -> -1;
                case LENGTH -> readLength(into, offset, max);
                case CHUNKED -> readChunked(into, offset, max);
                case UNTIL_CLOSE -> {
                    int n = connection.read(into, offset, max);
                    done = n < 0;
                    yield n;
                }
            };
        }

        private int readLength(byte[] into, int offset, int max) throws IOException {
            int n = connection.read(into, offset, (int) Math.min(max, remaining));
            if (n < 0) {
                throw new IOException("the upstream's body ended after " + (length - remaining) + " of its "
                        + length + " bytes");
            }
            remaining -= n;
            done = remaining == 0;
            return n;
        }

        private int readChunked(byte[] into, int offset, int max) throws IOException {
            if (remaining == 0) {
                if (afterData) {
                    String crlf = connection.readLine(UpstreamClient.LINE_LIMIT, "end of a chunk");
                    if (crlf == null || !crlf.isEmpty()) {
                        throw new IOException("the upstream's chunk data is not followed by CRLF");
                    }
                    afterData = false;
                }
                String line = connection.readLine(UpstreamClient.LINE_LIMIT, "chunk size line");
                if (line == null) {
                    throw new IOException("the upstream's chunked body ended before its last chunk");
                }
                long size = chunkSize(line);
                if (size == 0) {
                    readFields(connection, "trailer", connection.lineBytes()); // to the message's end, then dropped
                    done = true;
                    return -1;
                }
                remaining = size;
            }
            int n = connection.read(into, offset, (int) Math.min(max, remaining));
            if (n < 0) {
                throw new IOException("the upstream's chunked body ended inside a chunk");
            }
            remaining -= n;
            afterData = true;
            return n;
        }

        @Override
        public void close() {
            UpstreamResponse.this.close();
        }
    }
}
