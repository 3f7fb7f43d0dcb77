package claude.code.api.gateway;

import claude.code.api.json.Json;
import claude.code.api.json.JsonValue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events on a response body, each flushed at once. JSON data is written compact,
 * so it never holds a line break. An {@link IOException} means the client has gone.
 */
final class SseWriter {
    private final OutputStream out;

    SseWriter(OutputStream out) {
        this.out = out;
    }

    /** {@code event: <name>} + {@code data: <json>} (the Anthropic framing). */
    void event(String name, JsonValue data) throws IOException {
        write("event: " + name + "\ndata: " + Json.write(data) + "\n\n");
    }

    /** {@code data: <text>} alone (the OpenAI framing); {@code text} must hold no line break. */
    void data(String text) throws IOException {
        write("data: " + text + "\n\n");
    }

    /** A comment line, ignored by SSE parsers: a keep-alive. */
    void comment(String text) throws IOException {
        write(": " + text + "\n\n");
    }

    private void write(String frame) throws IOException {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
