package claude.code.api.transcript;

import claude.code.api.events.ApiError;
import claude.code.api.events.AssistantMessage;
import claude.code.api.events.ContentBlock;
import claude.code.api.events.MessageParseError;
import claude.code.api.events.SystemMessage;
import claude.code.api.events.TextBlock;
import claude.code.api.events.Usage;
import claude.code.api.events.UserMessage;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonBool;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonNumber;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonParseException;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns one transcript line into an event, as CLI 2.1.331 writes them ({@code docs/CLI-BEHAVIOUR.md#turn-records}):
 *
 * <ul>
 *   <li>{@code assistant}: one record per content block, all blocks of a message sharing
 *       {@code message.id}; {@code isApiErrorMessage} records (the CLI's report of a failed call)
 *       carry an {@link ApiError}.
 *   <li>{@code user}: string content is the prompt as received ({@code prompt = true}); block content
 *       is tool results or the CLI's notes ({@code [Request interrupted by user]}). {@code isMeta}
 *       records (system reminders, command caveats) only when asked for.
 *   <li>{@code system}: e.g. {@code turn_duration}, written when a turn completes.
 *   <li>Everything else (attachment, api-request*, queue-operation, file-history-snapshot, mode,
 *       permission-mode, atis-latch, last-prompt, cost-state, tools-used, types yet to come) and
 *       {@code isSidechain} records (a subagent's, never part of the main turn) are skipped.
 * </ul>
 *
 * Only what an event needs is required: a record's {@code type}, an assistant's or user's
 * {@code message.content}, a system record's {@code subtype}, and each content block's own fields.
 * A line that is not JSON, not an object, or lacks one of those becomes a {@link MessageParseError}
 * that names the problem and the line's byte offset. Each line is parsed once, straight from the
 * bytes; the line is decoded to a string only to report an error. Thread-safe (stateless).
 */
public final class RecordParser {
    private static final ParsedRecord BLANK = new ParsedRecord.Skipped("blank line");

    private final Path file;
    private final boolean includeMeta;

    /**
     * @param file the transcript, named in parse errors
     * @param includeMeta deliver {@code isMeta} user records (system reminders, command caveats)
     */
    public RecordParser(Path file, boolean includeMeta) {
        this.file = Objects.requireNonNull(file, "file");
        this.includeMeta = includeMeta;
    }

    /** Parses {@code bytes[off, off + len)}, the line that starts at byte {@code offset} of the file. */
    public ParsedRecord parse(long offset, byte[] bytes, int off, int len) {
        Objects.checkFromIndexSize(off, len, bytes.length);
        if (isBlank(bytes, off, len)) {
            // e.g. the "\n" the CLI writes first when a seed lacks its final newline
            return BLANK;
        }
        JsonValue value;
        try {
            value = Json.parse(bytes, off, len);
        } catch (JsonParseException e) {
            return invalid(offset, bytes, off, len, "not valid JSON: " + e.getMessage());
        }
        if (!(value instanceof JsonObject record)) {
            return invalid(offset, bytes, off, len, "the record is " + Json.describeType(value) + ", expected an object");
        }
        String type = null;
        try {
            type = record.findString("type").orElse(null);
            if (type == null) {
                return invalid(offset, bytes, off, len, "the record has no \"type\"");
            }
            if (!type.equals("assistant") && !type.equals("user") && !type.equals("system")) {
                return new ParsedRecord.Skipped(type);
            }
            if (record.findBool("isSidechain").orElse(false)) {
                return new ParsedRecord.Skipped("sidechain " + type);
            }
            return switch (type) {
                case "assistant" -> new ParsedRecord.Parsed(assistant(record));
                case "user" -> user(record);
                default -> new ParsedRecord.Parsed(system(record));
            };
        } catch (IllegalArgumentException e) {
            String what = type == null ? "the record" : "the " + type + " record";
            return invalid(offset, bytes, off, len, what + ": " + e.getMessage());
        }
    }

    private static AssistantMessage assistant(JsonObject record) {
        JsonObject message = record.object("message");
        List<ContentBlock> content = content(message);
        String messageId = inMessage(() -> message.findString("id").orElse(null));
        String model = inMessage(() -> message.findString("model").orElse(null));
        String stopReason = inMessage(() -> message.findString("stop_reason").orElse(null));
        Usage usage = inMessage(() -> message.findObject("usage").map(Usage::fromJson).orElse(Usage.ZERO));
        ApiError apiError = record.findBool("isApiErrorMessage").orElse(false) ? apiError(record, content) : null;
        return new AssistantMessage(record.findString("uuid").orElse(null), messageId, model, content, stopReason, usage, apiError);
    }

    /**
     * The CLI's error fields: {@code error} (its classification), {@code apiErrorStatus},
     * {@code apiErrorType}; a connection failure has neither status nor type, only
     * {@code apiError: "connection_failed"}, which then stands in for the type.
     */
    private static ApiError apiError(JsonObject record, List<ContentBlock> content) {
        String kind = record.findString("error").orElse("unknown");
        long status = record.findInteger("apiErrorStatus").orElse(0L);
        if (status < 0 || status > 999) {
            throw new IllegalArgumentException("field \"apiErrorStatus\" is " + status + ", expected an HTTP status");
        }
        String type = record.findString("apiErrorType").or(() -> record.findString("apiError")).orElse("");
        StringBuilder text = new StringBuilder();
        for (ContentBlock block : content) {
            if (block instanceof TextBlock t) {
                text.append(t.text());
            }
        }
        return new ApiError(kind, (int) status, type, text.toString());
    }

    private ParsedRecord user(JsonObject record) {
        boolean meta = record.findBool("isMeta").orElse(false);
        if (meta && !includeMeta) {
            return new ParsedRecord.Skipped("meta user");
        }
        JsonObject message = record.object("message");
        boolean prompt = message.get("content") instanceof JsonString && !meta;
        UserMessage event = new UserMessage(record.findString("uuid").orElse(null), content(message), prompt, meta);
        return new ParsedRecord.Parsed(event);
    }

    private static SystemMessage system(JsonObject record) {
        return new SystemMessage(record.findString("uuid").orElse(null), record.string("subtype"), record);
    }

    /** {@code message.content}: a string (one text block) or an array of blocks. */
    private static List<ContentBlock> content(JsonObject message) {
        return switch (message.get("content")) {
            case null -> throw new IllegalArgumentException("field \"message.content\" is missing");
            case JsonString s -> List.of(new TextBlock(s.value()));
            case JsonArray blocks -> {
                List<ContentBlock> out = new ArrayList<>(blocks.size());
                for (int i = 0; i < blocks.size(); i++) {
                    if (!(blocks.get(i) instanceof JsonObject block)) {
                        throw new IllegalArgumentException("message.content[" + i + "] is " + Json.describeType(blocks.get(i))
                                + ", expected an object");
                    }
                    try {
                        out.add(ContentBlock.fromJson(block));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("message.content[" + i + "]: " + e.getMessage(), e);
                    }
                }
                yield out;
            }
            case JsonValue other -> throw new IllegalArgumentException("field \"message.content\" is " + Json.describeType(other)
                    + ", expected a string or an array");
        };
    }

    private interface Read<T> {
        T get();
    }

    /** Prefixes the error of a read inside {@code message} with the path, so it names the field fully. */
    private static <T> T inMessage(Read<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("message: " + e.getMessage(), e);
        }
    }

    private ParsedRecord invalid(long offset, byte[] bytes, int off, int len, String reason) {
        String line = new String(bytes, off, len, StandardCharsets.UTF_8);
        return new ParsedRecord.Invalid(new MessageParseError(file, offset, line, reason + " (line at byte offset " + offset + ")"));
    }

    private static boolean isBlank(byte[] bytes, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
