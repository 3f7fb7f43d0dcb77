package claude.code.api.modelapi;

import claude.code.api.events.AssistantMessage;
import claude.code.api.events.ContentBlock;
import claude.code.api.events.RedactedThinkingBlock;
import claude.code.api.events.StreamEvent;
import claude.code.api.events.StreamEvent.BlockHead;
import claude.code.api.events.StreamEvent.Delta;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.UnknownBlock;
import claude.code.api.events.Usage;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonParseException;
import claude.code.api.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Folds the partial events of one streamed response into the whole {@link AssistantMessage}
 * the transcript would hold: text and thinking joined, the signature kept, a tool's input parsed
 * from its joined {@code input_json_delta} pieces; stop reason and output usage from
 * {@code message_delta}. One accumulator per response.
 */
public final class MessageAccumulator {

    /** Why the events do not fold into a message; {@code index} names the block, or is -1 for the message. */
    public record FoldError(int index, String reason) {}

    /** The folded message, or the first reason it cannot be folded. */
    public sealed interface Folded {
        record Complete(AssistantMessage message) implements Folded {}
        record Failed(FoldError error) implements Folded {}
    }

    private String id;
    private String model;
    private Usage startUsage = Usage.ZERO;
    private Usage deltaUsage;
    private String stopReason;
    private final TreeMap<Integer, OpenBlock> blocks = new TreeMap<>();
    private FoldError error;
    private boolean stopped;

    private static final class OpenBlock {
        final BlockHead head;
        final StringBuilder text = new StringBuilder();
        final StringBuilder signature = new StringBuilder();
        final List<Delta.Unknown> unknownDeltas = new ArrayList<>();
        boolean closed;

        OpenBlock(BlockHead head) {
            this.head = head;
            if (head instanceof BlockHead.Text t) text.append(t.text());
            if (head instanceof BlockHead.Thinking t) {
                text.append(t.thinking());
                signature.append(t.signature());
            }
        }
    }

    public void accept(StreamEvent event) {
        if (error != null) return;
        switch (event) {
            case StreamEvent.MessageStart s -> {
                id = s.id();
                model = s.model();
                startUsage = s.usage();
            }
            case StreamEvent.BlockStart s -> {
                if (blocks.containsKey(s.index())) fail(s.index(), "content_block_start for a block already started");
                else blocks.put(s.index(), new OpenBlock(s.block()));
            }
            case StreamEvent.BlockDelta d -> {
                OpenBlock block = blocks.get(d.index());
                if (block == null || block.closed) fail(d.index(), "delta for a block not open");
                else addDelta(d.index(), block, d.delta());
            }
            case StreamEvent.BlockStop s -> {
                OpenBlock block = blocks.get(s.index());
                if (block == null || block.closed) fail(s.index(), "content_block_stop for a block not open");
                else block.closed = true;
            }
            case StreamEvent.MessageDelta d -> {
                if (d.stopReason() != null) stopReason = d.stopReason();
                deltaUsage = d.usage();
            }
            case StreamEvent.MessageStop s -> stopped = true;
            case StreamEvent.Ping p -> {}
            case StreamEvent.StreamError e -> fail(-1, "stream error " + e.type() + ": " + e.message());
            case StreamEvent.UnknownEvent u -> {} // kept by the parser for whoever knows it; no part of the message
        }
    }

    private void addDelta(int index, OpenBlock block, Delta delta) {
        switch (delta) {
            case Delta.TextDelta t when block.head instanceof BlockHead.Text -> block.text.append(t.text());
            case Delta.ThinkingDelta t when block.head instanceof BlockHead.Thinking -> block.text.append(t.thinking());
            case Delta.SignatureDelta s when block.head instanceof BlockHead.Thinking -> block.signature.append(s.signature());
            case Delta.InputJsonDelta j when block.head instanceof BlockHead.ToolUse -> block.text.append(j.partialJson());
            case Delta.InputJsonDelta j when block.head instanceof BlockHead.Other -> block.text.append(j.partialJson());
            case Delta.Unknown u -> block.unknownDeltas.add(u);
            default -> fail(index, delta.getClass().getSimpleName() + " in a " + blockType(block.head) + " block");
        }
    }

    /** The message so far: complete once {@code message_stop} came and every block was stopped. */
    public Folded result() {
        if (error != null) return new Folded.Failed(error);
        if (id == null) return new Folded.Failed(new FoldError(-1, "no message_start"));
        if (!stopped) return new Folded.Failed(new FoldError(-1, "no message_stop"));
        List<ContentBlock> content = new ArrayList<>(blocks.size());
        int expected = 0;
        for (var entry : blocks.entrySet()) {
            int index = entry.getKey();
            if (index != expected++) return new Folded.Failed(new FoldError(index, "block indices not contiguous from 0"));
            OpenBlock block = entry.getValue();
            if (!block.closed) return new Folded.Failed(new FoldError(index, "block not stopped"));
            ContentBlock folded;
            try {
                folded = fold(block);
            } catch (JsonParseException e) {
                return new Folded.Failed(new FoldError(index, "tool input is not valid JSON at byte " + e.offset()));
            }
            if (folded == null) return new Folded.Failed(new FoldError(index, "tool input is not a JSON object"));
            content.add(folded);
        }
        Usage usage = deltaUsage == null ? startUsage : new Usage(
                pick(deltaUsage.inputTokens(), startUsage.inputTokens()), deltaUsage.outputTokens(),
                pick(deltaUsage.cacheCreationInputTokens(), startUsage.cacheCreationInputTokens()),
                pick(deltaUsage.cacheReadInputTokens(), startUsage.cacheReadInputTokens()));
        return new Folded.Complete(new AssistantMessage(null, id, model, content, stopReason, usage, null));
    }

    /** message_delta's usage is cumulative but may omit the input counts; message_start's stand then. */
    private static long pick(long fromDelta, long fromStart) {
        return fromDelta != 0 ? fromDelta : fromStart;
    }

    private static ContentBlock fold(OpenBlock block) {
        return switch (block.head) {
            case BlockHead.Text t -> new TextBlock(block.text.toString());
            case BlockHead.Thinking t -> new ThinkingBlock(block.text.toString(), block.signature.toString());
            case BlockHead.RedactedThinking r -> new RedactedThinkingBlock(r.data());
            case BlockHead.ToolUse u -> {
                // An empty input streams as no delta at all (the API's own {} start block).
                JsonValue input = block.text.isEmpty() ? JsonObject.EMPTY : Json.parse(block.text.toString());
                yield input instanceof JsonObject object ? new ToolUseBlock(u.id(), u.name(), object) : null;
            }
            case BlockHead.Other o -> {
                JsonObject raw = o.block();
                if (!block.text.isEmpty() && Json.parse(block.text.toString()) instanceof JsonObject input) {
                    raw = raw.with("input", input);
                }
                yield new UnknownBlock(o.type(), raw);
            }
        };
    }

    private static String blockType(BlockHead head) {
        return switch (head) {
            case BlockHead.Text t -> "text";
            case BlockHead.Thinking t -> "thinking";
            case BlockHead.RedactedThinking r -> "redacted_thinking";
            case BlockHead.ToolUse u -> "tool_use";
            case BlockHead.Other o -> o.type();
        };
    }

    private void fail(int index, String reason) {
        if (error == null) error = new FoldError(index, reason);
    }
}
