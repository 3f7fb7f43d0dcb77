package claude.code.api.modelapi;

import claude.code.api.events.StreamEvent;
import claude.code.api.events.StreamEvent.BlockHead;
import claude.code.api.events.StreamEvent.Delta;
import claude.code.api.events.Usage;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonParseException;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;

/** One SSE event's name and data (a JSON object) to its {@link StreamEvent}; strict about the fields each type needs. */
final class StreamEventDecoder {
    private StreamEventDecoder() {}

    /** A well-formed SSE event whose content is not a valid Messages API event. */
    static final class DecodeException extends Exception {
        DecodeException(String message) {
            super(message, null, false, false);
        }
    }

    static StreamEvent decode(String eventName, byte[] data, int length) throws DecodeException {
        JsonValue value;
        try {
            value = Json.parse(data, 0, length);
        } catch (JsonParseException e) {
            throw new DecodeException("event " + quoted(eventName) + ": data is not JSON at data byte " + e.offset()
                    + ": " + e.getMessage());
        }
        if (!(value instanceof JsonObject object)) {
            throw new DecodeException("event " + quoted(eventName) + ": data is " + Json.describeType(value) + ", not an object");
        }
        String type = string(object, "type", eventName);
        if (eventName != null && !eventName.equals(type)) {
            throw new DecodeException("event name \"" + eventName + "\" differs from data type \"" + type + "\"");
        }
        return switch (type) {
            case "message_start" -> messageStart(object.get("message") instanceof JsonObject m ? m : fail(type, "message"));
            case "content_block_start" -> new StreamEvent.BlockStart(index(object, type),
                    blockHead(object.get("content_block") instanceof JsonObject b ? b : fail(type, "content_block"), type));
            case "content_block_delta" -> new StreamEvent.BlockDelta(index(object, type),
                    delta(object.get("delta") instanceof JsonObject d ? d : fail(type, "delta"), type));
            case "content_block_stop" -> new StreamEvent.BlockStop(index(object, type));
            case "message_delta" -> messageDelta(object, type);
            case "message_stop" -> new StreamEvent.MessageStop();
            case "ping" -> new StreamEvent.Ping();
            case "error" -> {
                JsonObject error = object.get("error") instanceof JsonObject e ? e : fail(type, "error");
                yield new StreamEvent.StreamError(string(error, "type", type), string(error, "message", type));
            }
            default -> new StreamEvent.UnknownEvent(type, object);
        };
    }

    private static StreamEvent messageStart(JsonObject message) throws DecodeException {
        String type = "message_start";
        Usage usage = message.get("usage") instanceof JsonObject u ? Usage.fromJson(u) : Usage.ZERO;
        return new StreamEvent.MessageStart(string(message, "id", type), string(message, "model", type), usage, message);
    }

    private static StreamEvent messageDelta(JsonObject object, String type) throws DecodeException {
        JsonObject delta = object.get("delta") instanceof JsonObject d ? d : fail(type, "delta");
        Usage usage = object.get("usage") instanceof JsonObject u ? Usage.fromJson(u) : Usage.ZERO;
        return new StreamEvent.MessageDelta(nullableString(delta, "stop_reason", type),
                nullableString(delta, "stop_sequence", type), usage);
    }

    private static BlockHead blockHead(JsonObject block, String event) throws DecodeException {
        String type = string(block, "type", event + ".content_block");
        String where = event + ".content_block";
        return switch (type) {
            case "text" -> new BlockHead.Text(string(block, "text", where));
            case "thinking" -> new BlockHead.Thinking(string(block, "thinking", where),
                    block.findString("signature").orElse(""));
            case "redacted_thinking" -> new BlockHead.RedactedThinking(string(block, "data", where));
            case "tool_use" -> new BlockHead.ToolUse(string(block, "id", where), string(block, "name", where));
            default -> new BlockHead.Other(type, block);
        };
    }

    private static Delta delta(JsonObject delta, String event) throws DecodeException {
        String where = event + ".delta";
        String type = string(delta, "type", where);
        return switch (type) {
            case "text_delta" -> new Delta.TextDelta(string(delta, "text", where));
            case "thinking_delta" -> new Delta.ThinkingDelta(string(delta, "thinking", where));
            case "signature_delta" -> new Delta.SignatureDelta(string(delta, "signature", where));
            case "input_json_delta" -> new Delta.InputJsonDelta(string(delta, "partial_json", where));
            default -> new Delta.Unknown(type, delta);
        };
    }

    private static int index(JsonObject object, String event) throws DecodeException {
        if (object.get("index") == null) throw new DecodeException(event + ": missing field \"index\"");
        try {
            long index = object.integer("index");
            if (index < 0 || index > Integer.MAX_VALUE) throw new DecodeException(event + ": field \"index\" out of range: " + index);
            return (int) index;
        } catch (RuntimeException e) {
            throw new DecodeException(event + ": field \"index\" is not an integer");
        }
    }

    private static String string(JsonObject object, String field, String where) throws DecodeException {
        if (object.get(field) instanceof JsonString s) return s.value();
        throw new DecodeException(where + ": field \"" + field + "\" " + (object.get(field) == null ? "missing" : "is not a string"));
    }

    private static String nullableString(JsonObject object, String field, String where) throws DecodeException {
        JsonValue value = object.get(field);
        if (value == null || value instanceof JsonNull) return null;
        return string(object, field, where);
    }

    private static JsonObject fail(String event, String field) throws DecodeException {
        throw new DecodeException(event + ": field \"" + field + "\" missing or not an object");
    }

    private static String quoted(String name) {
        return name == null ? "(unnamed)" : "\"" + name + "\"";
    }
}
