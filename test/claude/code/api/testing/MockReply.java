package claude.code.api.testing;

import claude.code.api.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What {@link MockMessagesApi} answers to one request. A responder returns one of these; the
 * server turns it into the bytes the real API would send (SSE for {@code stream: true}, one
 * JSON body otherwise).
 */
public sealed interface MockReply {

    /**
     * A complete assistant message. {@code deltaDelay} is slept before every delta event (slow
     * streaming); {@code usage} {@code null} lets the server compute deterministic numbers.
     */
    record Message(List<Block> content, String stopReason, Duration deltaDelay, Usage usage) implements MockReply {
        public Message {
            content = List.copyOf(content);
            Objects.requireNonNull(stopReason, "stopReason");
            Objects.requireNonNull(deltaDelay, "deltaDelay");
            if (content.isEmpty()) {
                throw new IllegalArgumentException("a message needs at least one content block");
            }
        }

        public Message slowly(Duration delayBetweenDeltas) {
            return new Message(content, stopReason, delayBetweenDeltas, usage);
        }

        public Message withUsage(Usage fixed) {
            return new Message(content, stopReason, deltaDelay, fixed);
        }

        /** The text of all text blocks, concatenated. */
        public String text() {
            StringBuilder out = new StringBuilder();
            for (Block b : content) {
                if (b instanceof Text t) {
                    out.append(t.text());
                }
            }
            return out.toString();
        }
    }

    /** An HTTP error with the API's error body; {@code retryAfterSeconds} becomes a {@code retry-after} header. */
    record HttpError(int status, String errorType, String message, OptionalLong retryAfterSeconds) implements MockReply {
        public HttpError {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("not an error status: " + status);
            }
            Objects.requireNonNull(errorType, "errorType");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(retryAfterSeconds, "retryAfterSeconds");
        }
    }

    /**
     * Streams {@code before} as usual but leaves its last block open, then sends an SSE
     * {@code error} event instead of the block's end and {@code message_delta}/{@code message_stop},
     * as the API does when it fails mid-stream. A non-streaming request gets {@code before} as a
     * complete message (the CLI retries a broken stream without streaming).
     */
    record StreamError(List<Block> before, String errorType, String message) implements MockReply {
        public StreamError {
            before = List.copyOf(before);
            Objects.requireNonNull(errorType, "errorType");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Answers 200 and starts the reply ({@code before}: a stream up to its first delta, or half of a
     * JSON body), then closes the connection short of the length it declared: an upstream that drops
     * the connection mid-stream, every time it is asked.
     */
    record Drop(List<Block> before) implements MockReply {
        public Drop {
            before = List.copyOf(before);
        }
    }

    /** Never answers (no status line) until the server is closed. */
    record Hang() implements MockReply {}

    /** One content block of an assistant message, in the API's wire shape. */
    sealed interface Block {}

    record Text(String text) implements Block {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    record Thinking(String thinking, String signature) implements Block {
        public Thinking {
            Objects.requireNonNull(thinking, "thinking");
            Objects.requireNonNull(signature, "signature");
        }
    }

    record RedactedThinking(String data) implements Block {
        public RedactedThinking {
            Objects.requireNonNull(data, "data");
        }
    }

    record ToolUse(String id, String name, JsonObject input) implements Block {
        public ToolUse {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(input, "input");
        }
    }

    /** Token counts reported in {@code message_start} (input) and {@code message_delta} (output). */
    record Usage(long inputTokens, long outputTokens) {}

    // --- the reply vocabulary ----------------------------------------------------------------

    /** Plain text, {@code end_turn}. */
    static Message text(String text) {
        return new Message(List.of(new Text(text)), "end_turn", Duration.ZERO, null);
    }

    /** Some text, then a Bash {@code tool_use} running {@code command}; {@code stop_reason: tool_use}. */
    static Message textThenBash(String text, String command) {
        JsonObject input = JsonObject.builder().put("command", command).put("description", "Run a mock command").build();
        return new Message(List.of(new Text(text), new ToolUse(MessageEncoder.nextToolUseId(), "Bash", input)), "tool_use",
                Duration.ZERO, null);
    }

    /** A thinking block with a signature (derived from the thought, so it is deterministic), then text. */
    static Message thinkingThenText(String thinking, String text) {
        return new Message(List.of(new Thinking(thinking, signatureOf(thinking)), new Text(text)), "end_turn",
                Duration.ZERO, null);
    }

    /** A {@code redacted_thinking} block (opaque data), then text. */
    static Message redactedThinkingThenText(String text) {
        return new Message(List.of(redactedThinking(), new Text(text)), "end_turn", Duration.ZERO, null);
    }

    /** A {@code redacted_thinking} block with fixed opaque data. */
    static RedactedThinking redactedThinking() {
        return new RedactedThinking(Base64.getEncoder().encodeToString("redacted-mock-thinking".getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code lines} numbered lines of text: a reply longer than any screen. */
    static Message longText(int lines) {
        if (lines < 1) {
            throw new IllegalArgumentException("lines must be >= 1, got " + lines);
        }
        List<String> out = new ArrayList<>(lines);
        for (int i = 1; i <= lines; i++) {
            out.add("Line %03d of %d: the quick brown fox jumps over the lazy dog.".formatted(i, lines));
        }
        return text(String.join("\n", out));
    }

    /** An HTTP error with the error type the API uses for that status. */
    static HttpError error(int status) {
        return new HttpError(status, errorTypeFor(status), "mock error " + status, OptionalLong.empty());
    }

    /** An HTTP error carrying {@code retry-after: seconds}. */
    static HttpError error(int status, long retryAfterSeconds) {
        return new HttpError(status, errorTypeFor(status), "mock error " + status, OptionalLong.of(retryAfterSeconds));
    }

    /** Starts a text reply, then fails the stream with an {@code overloaded_error} event. */
    static StreamError streamError(String partialText) {
        return new StreamError(List.of(new Text(partialText)), "overloaded_error", "Overloaded");
    }

    static Hang hang() {
        return new Hang();
    }

    /** The error {@code type} the real API sends with each status. */
    static String errorTypeFor(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    static String signatureOf(String thinking) {
        return Base64.getEncoder().encodeToString(("mock-signature:" + thinking).getBytes(StandardCharsets.UTF_8));
    }
}
