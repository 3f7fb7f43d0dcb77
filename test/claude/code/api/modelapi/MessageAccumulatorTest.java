package claude.code.api.modelapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.AssistantMessage;
import claude.code.api.events.ContentBlock;
import claude.code.api.events.StreamEvent;
import claude.code.api.events.StreamEvent.BlockHead;
import claude.code.api.events.StreamEvent.Delta;
import claude.code.api.events.Usage;
import claude.code.api.json.JsonObject;
import claude.code.api.testing.RecordedStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageAccumulatorTest {

    @Test
    void foldingARecordedStreamGivesTheBlocksOfTheWholeMessage() {
        RecordedStream recorded = RecordedStream.everyBlockType();
        MessageAccumulator accumulator = new MessageAccumulator();
        List<SseParseError> errors = new ArrayList<>();
        SseParser parser = new SseParser(accumulator::accept, errors::add);
        parser.accept(recorded.sse(), 0, recorded.sse().length);
        parser.finish();
        assertEquals(List.of(), errors);

        AssistantMessage message = assertInstanceOf(MessageAccumulator.Folded.Complete.class, accumulator.result()).message();
        List<ContentBlock> expected = recorded.body().array("content").stream()
                .map(v -> ContentBlock.fromJson((JsonObject) v)).toList();
        assertEquals(expected, message.content());
        assertEquals("msg_rec_01", message.messageId());
        assertEquals("claude-test-1", message.model());
        assertEquals(recorded.body().string("stop_reason"), message.stopReason());
        assertEquals(Usage.fromJson(recorded.body().object("usage")), message.usage());
    }

    @Test
    void invalidToolInputJsonIsAnErrorNamingTheBlock() {
        MessageAccumulator a = new MessageAccumulator();
        a.accept(new StreamEvent.MessageStart("m1", "x", Usage.ZERO, JsonObject.EMPTY));
        a.accept(new StreamEvent.BlockStart(0, new BlockHead.Text("")));
        a.accept(new StreamEvent.BlockStop(0));
        a.accept(new StreamEvent.BlockStart(1, new BlockHead.ToolUse("t", "Bash")));
        a.accept(new StreamEvent.BlockDelta(1, new Delta.InputJsonDelta("{\"a\":")));
        a.accept(new StreamEvent.BlockStop(1));
        a.accept(new StreamEvent.MessageStop());
        var failed = assertInstanceOf(MessageAccumulator.Folded.Failed.class, a.result());
        assertEquals(1, failed.error().index());
        assertTrue(failed.error().reason().contains("not valid JSON"), failed.error().reason());
    }

    @Test
    void aToolUseWithoutInputDeltasHasAnEmptyInput() {
        MessageAccumulator a = new MessageAccumulator();
        a.accept(new StreamEvent.MessageStart("m1", "x", Usage.ZERO, JsonObject.EMPTY));
        a.accept(new StreamEvent.BlockStart(0, new BlockHead.ToolUse("t", "Noop")));
        a.accept(new StreamEvent.BlockStop(0));
        a.accept(new StreamEvent.MessageDelta("tool_use", null, new Usage(0, 3, 0, 0)));
        a.accept(new StreamEvent.MessageStop());
        var message = assertInstanceOf(MessageAccumulator.Folded.Complete.class, a.result()).message();
        assertEquals(List.of(new claude.code.api.events.ToolUseBlock("t", "Noop", JsonObject.EMPTY)), message.content());
        assertEquals("tool_use", message.stopReason());
        assertEquals(3, message.usage().outputTokens());
    }

    @Test
    void aStreamErrorFailsTheMessage() {
        MessageAccumulator a = new MessageAccumulator();
        a.accept(new StreamEvent.MessageStart("m1", "x", Usage.ZERO, JsonObject.EMPTY));
        a.accept(new StreamEvent.StreamError("overloaded_error", "Overloaded"));
        var failed = assertInstanceOf(MessageAccumulator.Folded.Failed.class, a.result());
        assertEquals(-1, failed.error().index());
        assertTrue(failed.error().reason().contains("overloaded_error"));
    }

    @Test
    void aDeltaOfTheWrongKindForItsBlockIsAnError() {
        MessageAccumulator a = new MessageAccumulator();
        a.accept(new StreamEvent.MessageStart("m1", "x", Usage.ZERO, JsonObject.EMPTY));
        a.accept(new StreamEvent.BlockStart(0, new BlockHead.Text("")));
        a.accept(new StreamEvent.BlockDelta(0, new Delta.InputJsonDelta("{}")));
        var failed = assertInstanceOf(MessageAccumulator.Folded.Failed.class, a.result());
        assertEquals(0, failed.error().index());
    }
}
