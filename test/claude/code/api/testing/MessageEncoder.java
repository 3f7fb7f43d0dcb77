package claude.code.api.testing;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonValue;
import claude.code.api.testing.MockReply.Block;
import claude.code.api.testing.MockReply.Message;
import claude.code.api.testing.MockReply.RedactedThinking;
import claude.code.api.testing.MockReply.Text;
import claude.code.api.testing.MockReply.Thinking;
import claude.code.api.testing.MockReply.ToolUse;
import claude.code.api.testing.MockReply.Usage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a {@link MockReply} into the Messages API wire format: the SSE event sequence of a
 * streamed response, or the JSON body of a non-streamed one. Pure data, no I/O.
 */
public final class MessageEncoder {

    /** One server-sent event; {@code delta} events are the ones a slow reply is paced by. */
    record SseEvent(String name, JsonObject data, boolean delta) {
        byte[] bytes() {
            return ("event: " + name + "\ndata: " + Json.write(data) + "\n\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Process-wide, so tool-use ids are unique across every mock of a test run. */
    private static final AtomicLong TOOL_USE_IDS = new AtomicLong();

    private MessageEncoder() {}

    static String nextToolUseId() {
        return "toolu_mock_%04d".formatted(TOOL_USE_IDS.incrementAndGet());
    }

    /**
     * Usage when the reply does not fix it: input = 10 per message in the request, output = a
     * quarter of the characters produced (at least 1). Deterministic and never zero.
     */
    static Usage usageFor(RecordedRequest request, List<Block> content) {
        long chars = 0;
        for (Block b : content) {
            chars += switch (b) {
                case Text t -> t.text().length();
                case Thinking t -> t.thinking().length();
                case RedactedThinking r -> r.data().length();
                case ToolUse u -> Json.write(u.input()).length();
            };
        }
        return new Usage(10L * Math.max(1, request.messages().size()), Math.max(1, chars / 4));
    }

    static List<SseEvent> streamEvents(String messageId, String model, List<Block> content, String stopReason, Usage usage) {
        List<SseEvent> events = new ArrayList<>();
        events.add(new SseEvent("message_start", JsonObject.builder()
                .put("type", "message_start")
                .put("message", messageShell(messageId, model, JsonArray.EMPTY, JsonNull.INSTANCE,
                        startUsage(usage.inputTokens())))
                .build(), false));
        events.add(new SseEvent("ping", JsonObject.builder().put("type", "ping").build(), false));
        for (int index = 0; index < content.size(); index++) {
            addBlockEvents(events, index, content.get(index));
        }
        events.add(new SseEvent("message_delta", JsonObject.builder()
                .put("type", "message_delta")
                .put("delta", JsonObject.builder().put("stop_reason", stopReason).put("stop_sequence", JsonNull.INSTANCE).build())
                .put("usage", JsonObject.builder().put("output_tokens", usage.outputTokens()).build())
                .build(), false));
        events.add(new SseEvent("message_stop", JsonObject.builder().put("type", "message_stop").build(), false));
        return events;
    }

    /** The events of {@code before}, its last block left open, then an {@code error} event: a failure mid-block. */
    static List<SseEvent> failingStreamEvents(String messageId, String model, List<Block> before, String errorType,
            String message, Usage usage) {
        List<SseEvent> events = new ArrayList<>(streamEvents(messageId, model, before, "end_turn", usage));
        events.removeLast(); // message_stop
        events.removeLast(); // message_delta
        events.removeLast(); // content_block_stop of the last block
        events.add(new SseEvent("error", errorBody(errorType, message), false));
        return events;
    }

    static JsonObject messageBody(String messageId, String model, List<Block> content, String stopReason, Usage usage) {
        JsonArray.Builder blocks = JsonArray.builder();
        for (Block b : content) {
            blocks.add(completeBlock(b));
        }
        return messageShell(messageId, model, blocks.build(), JsonValue.of(stopReason),
                startUsage(usage.inputTokens()).with("output_tokens", JsonValue.of(usage.outputTokens())));
    }

    static JsonObject errorBody(String errorType, String message) {
        return JsonObject.builder()
                .put("type", "error")
                .put("error", JsonObject.builder().put("type", errorType).put("message", message).build())
                .build();
    }

    private static JsonObject messageShell(String id, String model, JsonArray content, JsonValue stopReason, JsonObject usage) {
        return JsonObject.builder()
                .put("id", id)
                .put("type", "message")
                .put("role", "assistant")
                .put("model", model)
                .put("content", content)
                .put("stop_reason", stopReason)
                .put("stop_sequence", JsonNull.INSTANCE)
                .put("usage", usage)
                .build();
    }

    private static JsonObject startUsage(long inputTokens) {
        return JsonObject.builder()
                .put("input_tokens", inputTokens)
                .put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0)
                .put("output_tokens", 1)
                .build();
    }

    private static JsonObject completeBlock(Block block) {
        return switch (block) {
            case Text t -> JsonObject.builder().put("type", "text").put("text", t.text()).build();
            case Thinking t -> JsonObject.builder().put("type", "thinking").put("thinking", t.thinking())
                    .put("signature", t.signature()).build();
            case RedactedThinking r -> JsonObject.builder().put("type", "redacted_thinking").put("data", r.data()).build();
            case ToolUse u -> JsonObject.builder().put("type", "tool_use").put("id", u.id()).put("name", u.name())
                    .put("input", u.input()).build();
        };
    }

    /** The block as {@code content_block_start} announces it: text and inputs empty, filled by deltas. */
    private static JsonObject startBlock(Block block) {
        return switch (block) {
            case Text t -> JsonObject.builder().put("type", "text").put("text", "").build();
            case Thinking t -> JsonObject.builder().put("type", "thinking").put("thinking", "").put("signature", "").build();
            case RedactedThinking r -> completeBlock(r);
            case ToolUse u -> JsonObject.builder().put("type", "tool_use").put("id", u.id()).put("name", u.name())
                    .put("input", JsonObject.EMPTY).build();
        };
    }

    private static void addBlockEvents(List<SseEvent> events, int index, Block block) {
        events.add(new SseEvent("content_block_start", JsonObject.builder()
                .put("type", "content_block_start").put("index", index).put("content_block", startBlock(block)).build(), false));
        switch (block) {
            case Text t -> {
                for (String piece : words(t.text())) {
                    events.add(delta(index, JsonObject.builder().put("type", "text_delta").put("text", piece).build()));
                }
            }
            case Thinking t -> {
                for (String piece : words(t.thinking())) {
                    events.add(delta(index, JsonObject.builder().put("type", "thinking_delta").put("thinking", piece).build()));
                }
                events.add(delta(index, JsonObject.builder().put("type", "signature_delta").put("signature", t.signature()).build()));
            }
            case RedactedThinking r -> {
                // The API sends a redacted block whole in content_block_start; no deltas.
            }
            case ToolUse u -> {
                // Like the API: an empty first fragment, then the input JSON in arbitrary cuts.
                for (String piece : jsonPieces(Json.write(u.input()))) {
                    events.add(delta(index, JsonObject.builder().put("type", "input_json_delta").put("partial_json", piece).build()));
                }
            }
        }
        events.add(new SseEvent("content_block_stop", JsonObject.builder()
                .put("type", "content_block_stop").put("index", index).build(), false));
    }

    private static SseEvent delta(int index, JsonObject delta) {
        return new SseEvent("content_block_delta", JsonObject.builder()
                .put("type", "content_block_delta").put("index", index).put("delta", delta).build(), true);
    }

    /** Splits text after each run of whitespace: one word (with its trailing space) per delta. */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            if (Character.isWhitespace(text.charAt(i))) {
                while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                out.add(text.substring(start, i));
                start = i;
            } else {
                i++;
            }
        }
        if (start < text.length() || out.isEmpty()) {
            out.add(text.substring(start));
        }
        return out;
    }

    /** {@code ""} then the JSON cut into (up to) four pieces, never inside a surrogate pair. */
    static List<String> jsonPieces(String json) {
        List<String> out = new ArrayList<>();
        out.add("");
        int step = Math.max(1, (json.length() + 3) / 4);
        int start = 0;
        while (start < json.length()) {
            int end = Math.min(json.length(), start + step);
            if (end < json.length() && Character.isHighSurrogate(json.charAt(end - 1))) {
                end++;
            }
            out.add(json.substring(start, end));
            start = end;
        }
        return out;
    }
}
