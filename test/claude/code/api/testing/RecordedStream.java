package claude.code.api.testing;

import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonValue;
import claude.code.api.testing.MessageEncoder.SseEvent;
import claude.code.api.testing.MockReply.Block;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * One response as the mock sends it (the SSE bytes the CLI reads) beside the non-streamed body of
 * the same message (the shape the transcript's record holds), so a parser can be checked against both.
 */
public record RecordedStream(byte[] sse, JsonObject body) {

    /** Thinking with signature, redacted thinking, text with non-ASCII, and a tool use: every block the mock makes. */
    public static RecordedStream everyBlockType() {
        JsonObject input = JsonObject.builder().put("command", "ls -la \"/tmp/é\"").put("count", 3)
                .put("list", claude.code.api.json.JsonArray.of(JsonValue.of("a"), JsonValue.of("ü😀"))).build();
        List<Block> content = List.of(
                new MockReply.Thinking("Let me think about 'this' carefully.", "sig-abc123=="),
                new MockReply.RedactedThinking("cmVkYWN0ZWQ="),
                new MockReply.Text("Héllo wörld, 日本語 and 😀 emoji.\nSecond line."),
                new MockReply.ToolUse("toolu_rec_0001", "Bash", input));
        var usage = new MockReply.Usage(42, 17);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (SseEvent event : MessageEncoder.streamEvents("msg_rec_01", "claude-test-1", content, "tool_use", usage)) {
            out.writeBytes(event.bytes());
        }
        return new RecordedStream(out.toByteArray(),
                MessageEncoder.messageBody("msg_rec_01", "claude-test-1", content, "tool_use", usage));
    }
}
