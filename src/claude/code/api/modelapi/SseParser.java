package claude.code.api.modelapi;

import claude.code.api.events.StreamEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Incremental parser of the Messages API's {@code text/event-stream}, fed the bytes as they pass
 * through the relay. Lines end in LF, CR or CRLF; a blank line dispatches the event; {@code :}
 * starts a comment. Bytes are buffered, not decoded, until an event is dispatched, so a line or a
 * UTF-8 code point split across chunks costs nothing special.
 *
 * <p>Never throws from {@link #accept}: the relay's byte path must not be broken by what it merely
 * observes. Anything malformed goes to the error callback with its byte offset and parsing goes on.
 * Memory is bounded: a line, or an event's joined data, longer than {@code maxLineBytes} is reported
 * and skipped up to its end. Not thread-safe: one parser per response stream.
 */
public final class SseParser {
    public static final int DEFAULT_MAX_LINE_BYTES = 16 << 20;

    private final Consumer<StreamEvent> events;
    private final Consumer<SseParseError> errors;
    private final int maxLineBytes;

    private byte[] line = new byte[256];
    private int lineLength;
    private long lineStart;
    private boolean skippingLine;
    private boolean afterCr;
    private long position;

    private String eventName;
    private byte[] data = new byte[256];
    private int dataLength = -1; // -1: no data line in this event yet
    private long eventStart = -1;
    private boolean eventBroken;

    public SseParser(Consumer<StreamEvent> events, Consumer<SseParseError> errors, int maxLineBytes) {
        this.events = Objects.requireNonNull(events, "events");
        this.errors = Objects.requireNonNull(errors, "errors");
        if (maxLineBytes < 1) throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        this.maxLineBytes = maxLineBytes;
    }

    public SseParser(Consumer<StreamEvent> events, Consumer<SseParseError> errors) {
        this(events, errors, DEFAULT_MAX_LINE_BYTES);
    }

    /** Feeds the next {@code len} bytes of the stream. */
    public void accept(byte[] buf, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            byte b = buf[i];
            if (afterCr) {
                afterCr = false;
                if (b == '\n') { i++; position++; lineStart = position; continue; }
            }
            // Scan to the next line end in one go: the common case is a long run of ordinary bytes.
            int j = i;
            while (j < end && buf[j] != '\n' && buf[j] != '\r') j++;
            append(buf, i, j - i);
            position += j - i;
            if (j == end) return;
            afterCr = buf[j] == '\r';
            position++;
            endOfLine();
            lineStart = position;
            i = j + 1;
        }
    }

    /** The stream ended: an event without its closing blank line is reported, not dispatched (as the SSE spec says). */
    public void finish() {
        if (lineLength > 0 || skippingLine) {
            report(lineStart, "stream ended inside a line");
        } else if (eventStart >= 0) {
            report(eventStart, "stream ended before the blank line that ends the event");
        }
        lineLength = 0;
        skippingLine = false;
        resetEvent();
    }

    /** Bytes fed so far. */
    public long position() {
        return position;
    }

    private void append(byte[] buf, int from, int count) {
        if (skippingLine || count == 0) return;
        if ((long) lineLength + count > maxLineBytes) {
            report(lineStart, "line longer than " + maxLineBytes + " bytes");
            skippingLine = true;
            // The overlong line belongs to an event, which is dropped whole rather than half-read.
            eventBroken = true;
            if (eventStart < 0) eventStart = lineStart;
            lineLength = 0;
            return;
        }
        if (lineLength + count > line.length) line = Arrays.copyOf(line, Math.max(lineLength + count, Math.min(maxLineBytes, line.length * 2)));
        System.arraycopy(buf, from, line, lineLength, count);
        lineLength += count;
    }

    private void endOfLine() {
        if (skippingLine) {
            skippingLine = false;
            lineLength = 0;
            return;
        }
        int n = lineLength;
        lineLength = 0;
        if (n == 0) {
            dispatch();
            return;
        }
        if (line[0] == ':') return;
        if (eventStart < 0) eventStart = lineStart;
        int colon = 0;
        while (colon < n && line[colon] != ':') colon++;
        int valueStart = colon < n ? colon + 1 : n;
        if (valueStart < n && line[valueStart] == ' ') valueStart++;
        if (is("data", colon)) {
            appendData(valueStart, n - valueStart);
        } else if (is("event", colon)) {
            eventName = new String(line, valueStart, n - valueStart, StandardCharsets.UTF_8);
        } else if (!is("id", colon) && !is("retry", colon)) {
            report(lineStart, "unknown field \"" + new String(line, 0, Math.min(colon, 64), StandardCharsets.UTF_8) + "\"");
        }
    }

    private boolean is(String field, int length) {
        if (field.length() != length) return false;
        for (int k = 0; k < length; k++) if (line[k] != field.charAt(k)) return false;
        return true;
    }

    private void appendData(int from, int count) {
        if (eventBroken) return;
        int needed = (dataLength < 0 ? 0 : dataLength + 1) + count;
        if (needed > maxLineBytes) {
            report(lineStart, "event data longer than " + maxLineBytes + " bytes");
            eventBroken = true;
            return;
        }
        if (needed > data.length) data = Arrays.copyOf(data, Math.max(needed, Math.min(maxLineBytes, data.length * 2)));
        if (dataLength >= 0) data[dataLength++] = '\n';
        else dataLength = 0;
        System.arraycopy(line, from, data, dataLength, count);
        dataLength += count;
    }

    private void dispatch() {
        if (eventStart < 0) return; // blank lines between events
        try {
            if (eventBroken) return;
            if (dataLength < 0) {
                report(eventStart, "event " + (eventName == null ? "" : "\"" + eventName + "\" ") + "without data");
                return;
            }
            try {
                events.accept(StreamEventDecoder.decode(eventName, data, dataLength));
            } catch (StreamEventDecoder.DecodeException e) {
                report(eventStart, e.getMessage());
            }
        } catch (RuntimeException e) {
            // A consumer's own failure must not break the byte path either.
            report(eventStart, "event consumer failed: " + e.getClass().getSimpleName());
        } finally {
            resetEvent();
        }
    }

    private void resetEvent() {
        eventName = null;
        dataLength = -1;
        eventStart = -1;
        eventBroken = false;
        if (data.length > 1 << 16) data = new byte[256];
        if (line.length > 1 << 16 && lineLength == 0) line = new byte[256];
    }

    private void report(long offset, String reason) {
        try {
            errors.accept(new SseParseError(offset, reason));
        } catch (RuntimeException ignored) {
            // The error callback is diagnostics; its failure must not reach the relay's byte path.
        }
    }
}
