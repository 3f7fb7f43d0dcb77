package claude.code.api.history;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.Message;
import claude.code.api.events.RedactedThinkingBlock;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonValue;
import claude.code.api.transcript.TranscriptPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Writes prior history as a transcript that {@code claude --resume <id>} loads and sends to the
 * API as it is ({@code docs/CLI-BEHAVIOUR.md#resume-seeding}). The format is in the package documentation.
 */
public final class SeedTranscript {
    /**
     * The {@code message.model} of seeded assistant messages that hold thinking. The CLI drops
     * thinking from messages whose model is not the session's (signatures are bound to the model
     * that made them) but exempts its own {@code <synthetic>} messages; the seed cannot know the
     * session's model (an alias, or the account's default), and a real model name in the last
     * assistant record would make the resumed session switch to that model. Measured on 2.1.331.
     */
    static final String SYNTHETIC_MODEL = "<synthetic>";

    private SeedTranscript() {}

    /**
     * Writes the seed for {@code sessionId} at {@code file}: created 0600 under a temporary name
     * in the same directory, then renamed into place, so the CLI never sees a partial file.
     * Missing parent directories are created 0700.
     *
     * @return the seed's size in bytes: where the session's new records will begin
     * @throws FileAlreadyExistsException when {@code file} exists (session ids are never reused)
     */
    public static long write(Path file, String sessionId, List<Message> history) throws IOException {
        TranscriptPaths.requireSessionId(sessionId);
        byte[] bytes = render(sessionId, history, Instant.now(), () -> UUID.randomUUID().toString())
                .getBytes(StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        Path tmp = Files.createTempFile(dir, ".seed-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return bytes.length;
    }

    /** The seed's text: one JSON record per line, each line ending in {@code \n}. */
    static String render(String sessionId, List<Message> history, Instant now, Supplier<String> uuids) {
        StringBuilder out = new StringBuilder();
        for (JsonObject record : records(sessionId, history, now, uuids)) {
            out.append(Json.write(record)).append('\n');
        }
        return out.toString();
    }

    /** The seed's records, chained by {@code parentUuid} from the first to the last. */
    static List<JsonObject> records(String sessionId, List<Message> history, Instant now, Supplier<String> uuids) {
        List<JsonObject> records = new ArrayList<>();
        String parent = null;
        String timestamp = now.toString();
        for (Message m : prepare(history)) {
            if (m.role() == Message.Role.ASSISTANT) {
                // the CLI's own shape: one record per block, all sharing the message id
                String messageId = "msg_seed_" + uuids.get().replace("-", "");
                String stopReason = m.content().stream().anyMatch(ToolUseBlock.class::isInstance) ? "tool_use" : "end_turn";
                boolean thinks = m.content().stream()
                        .anyMatch(b -> b instanceof ThinkingBlock || b instanceof RedactedThinkingBlock);
                for (ContentBlock block : m.content()) {
                    JsonObject.Builder message = JsonObject.builder().put("id", messageId).put("type", "message")
                            .put("role", "assistant");
                    if (thinks) {
                        message.put("model", SYNTHETIC_MODEL);
                    }
                    message.put("content", JsonArray.of(block.toJson())).put("stop_reason", stopReason)
                            .put("stop_sequence", JsonNull.INSTANCE);
                    String uuid = uuids.get();
                    records.add(record("assistant", parent, uuid, message.build(), sessionId, timestamp));
                    parent = uuid;
                }
            } else {
                JsonArray.Builder blocks = JsonArray.builder();
                m.content().forEach(b -> blocks.add(b.toJson()));
                JsonObject message = JsonObject.builder().put("role", "user").put("content", blocks.build()).build();
                String uuid = uuids.get();
                records.add(record("user", parent, uuid, message, sessionId, timestamp));
                parent = uuid;
            }
        }
        return records;
    }

    /**
     * Thinking without a signature is dropped: the API rejects it, and would reject every later
     * request of the session with it. Then adjacent same-role messages are merged, so an
     * assistant's blocks share one message id.
     */
    static List<Message> prepare(List<Message> history) {
        List<Message> kept = new ArrayList<>(history.size());
        for (Message m : history) {
            kept.add(new Message(m.role(), m.content().stream()
                    .filter(b -> !(b instanceof ThinkingBlock t) || !t.signature().isEmpty()).toList()));
        }
        return Message.mergeAdjacent(kept);
    }

    private static JsonObject record(String type, String parent, String uuid, JsonObject message, String sessionId,
            String timestamp) {
        return JsonObject.builder().put("parentUuid", JsonValue.of(parent))
                .put("isSidechain", false).put("type", type).put("message", message).put("uuid", uuid)
                .put("timestamp", timestamp).put("sessionId", sessionId).build();
    }
}
