package claude.code.api.modelapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.StreamEvent;
import claude.code.api.events.StreamEvent.BlockHead;
import claude.code.api.events.StreamEvent.Delta;
import claude.code.api.events.Usage;
import claude.code.api.testing.RecordedStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
    private final List<StreamEvent> events = new ArrayList<>();
    private final List<SseParseError> errors = new ArrayList<>();

    private SseParser parser(int maxLine) {
        return new SseParser(events::add, errors::add, maxLine);
    }

    private void feed(String sse) {
        byte[] b = sse.getBytes(StandardCharsets.UTF_8);
        SseParser p = parser(SseParser.DEFAULT_MAX_LINE_BYTES);
        p.accept(b, 0, b.length);
        p.finish();
    }

    private StreamEvent only(String sse) {
        feed(sse);
        assertEquals(List.of(), errors);
        assertEquals(1, events.size(), events.toString());
        return events.get(0);
    }

    @Test
    void messageStartCarriesIdModelAndUsage() {
        var e = assertInstanceOf(StreamEvent.MessageStart.class, only("event: message_start\ndata: {\"type\":\"message_start\","
                + "\"message\":{\"id\":\"msg_1\",\"model\":\"m\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n"));
        assertEquals("msg_1", e.id());
        assertEquals("m", e.model());
        assertEquals(new Usage(5, 1, 0, 0), e.usage());
    }

    @Test
    void blockStartsOfEveryKnownTypeAndOthersRaw() {
        feed(start(0, "{\"type\":\"text\",\"text\":\"\"}") + start(1, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}")
                + start(2, "{\"type\":\"redacted_thinking\",\"data\":\"xx\"}") + start(3, "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\",\"input\":{}}")
                + start(4, "{\"type\":\"server_tool_use\",\"id\":\"s1\",\"name\":\"web_search\"}"));
        assertEquals(List.of(), errors);
        assertEquals(List.of(new StreamEvent.BlockStart(0, new BlockHead.Text("")),
                new StreamEvent.BlockStart(1, new BlockHead.Thinking("", "")),
                new StreamEvent.BlockStart(2, new BlockHead.RedactedThinking("xx")),
                new StreamEvent.BlockStart(3, new BlockHead.ToolUse("t1", "Bash"))), events.subList(0, 4));
        var other = assertInstanceOf(BlockHead.Other.class, ((StreamEvent.BlockStart) events.get(4)).block());
        assertEquals("server_tool_use", other.type());
        assertEquals("web_search", other.block().string("name"));
    }

    @Test
    void deltasOfEveryKnownTypeAndUnknownKeptRaw() {
        feed(delta("{\"type\":\"text_delta\",\"text\":\"hi\"}") + delta("{\"type\":\"thinking_delta\",\"thinking\":\"hm\"}")
                + delta("{\"type\":\"signature_delta\",\"signature\":\"sg\"}") + delta("{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\"}")
                + delta("{\"type\":\"citations_delta\",\"citation\":{\"x\":1}}"));
        assertEquals(List.of(), errors);
        assertEquals(List.of(new StreamEvent.BlockDelta(0, new Delta.TextDelta("hi")),
                new StreamEvent.BlockDelta(0, new Delta.ThinkingDelta("hm")),
                new StreamEvent.BlockDelta(0, new Delta.SignatureDelta("sg")),
                new StreamEvent.BlockDelta(0, new Delta.InputJsonDelta("{\"a"))), events.subList(0, 4));
        var unknown = assertInstanceOf(Delta.Unknown.class, ((StreamEvent.BlockDelta) events.get(4)).delta());
        assertEquals("citations_delta", unknown.type());
        assertEquals(1, unknown.delta().object("citation").integer("x"));
    }

    @Test
    void blockStopMessageDeltaMessageStopAndPing() {
        feed("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":2}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
                + "event: ping\ndata: {\"type\": \"ping\"}\n\n");
        assertEquals(List.of(), errors);
        assertEquals(List.of(new StreamEvent.BlockStop(2), new StreamEvent.MessageDelta("end_turn", null, new Usage(0, 9, 0, 0)),
                new StreamEvent.MessageStop(), new StreamEvent.Ping()), events);
    }

    @Test
    void errorEventCarriesTypeAndMessage() {
        assertEquals(new StreamEvent.StreamError("overloaded_error", "Overloaded"), only("event: error\ndata: {\"type\":\"error\","
                + "\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"));
    }

    @Test
    void unknownEventTypeIsPreserved() {
        var e = assertInstanceOf(StreamEvent.UnknownEvent.class, only("event: future_thing\ndata: {\"type\":\"future_thing\",\"v\":1}\n\n"));
        assertEquals("future_thing", e.type());
        assertEquals(1, e.data().integer("v"));
    }

    @Test
    void crlfAndCrLineEndsCommentsAndMultiLineData() {
        feed(": keep-alive comment\r\nevent: ping\r\ndata: {\"type\":\r\ndata: \"ping\"}\r\n\r\nevent: message_stop\rdata: {\"type\":\"message_stop\"}\r\r");
        assertEquals(List.of(), errors);
        assertEquals(List.of(new StreamEvent.Ping(), new StreamEvent.MessageStop()), events);
    }

    @Test
    void everySplitOfARecordedStreamGivesTheSameEvents() {
        byte[] sse = RecordedStream.everyBlockType().sse();
        SseParser whole = parser(SseParser.DEFAULT_MAX_LINE_BYTES);
        whole.accept(sse, 0, sse.length);
        List<StreamEvent> expected = List.copyOf(events);
        assertTrue(expected.size() > 10, "recorded stream has its deltas");
        for (int cut = 0; cut <= sse.length; cut++) {
            events.clear();
            SseParser p = parser(SseParser.DEFAULT_MAX_LINE_BYTES);
            p.accept(sse, 0, cut);
            p.accept(sse, cut, sse.length - cut);
            p.finish();
            assertEquals(expected, events, "cut at byte " + cut);
        }
        events.clear();
        SseParser bytewise = parser(SseParser.DEFAULT_MAX_LINE_BYTES);
        for (int i = 0; i < sse.length; i++) bytewise.accept(sse, i, 1);
        assertEquals(expected, events, "one byte at a time");
        assertEquals(List.of(), errors);
    }

    @Test
    void malformedLinesAreReportedWithOffsetsAndTheRestParsed() {
        String bad = "event: ping\ndata: {not json}\n\n";
        String badField = "bogus: 1\n";
        String mismatch = "event: ping\ndata: {\"type\":\"message_stop\"}\n\n";
        feed(bad + "event: ping\ndata: {\"type\":\"ping\"}\n\n" + badField + "data: {\"type\":\"message_stop\"}\n\n" + mismatch
                + "data: {\"type\":\"content_block_stop\"}\n\n" + "data: {\"type\":\"ping\"}\n\n");
        assertEquals(List.of(new StreamEvent.Ping(), new StreamEvent.MessageStop(), new StreamEvent.Ping()), events);
        assertEquals(4, errors.size(), errors.toString());
        int afterPing = bad.length() + "event: ping\ndata: {\"type\":\"ping\"}\n\n".length();
        assertEquals(0, errors.get(0).offset());
        assertTrue(errors.get(0).reason().contains("not JSON"), errors.get(0).reason());
        assertEquals(afterPing, errors.get(1).offset());
        assertTrue(errors.get(1).reason().contains("bogus"));
        int mismatchAt = afterPing + badField.length() + "data: {\"type\":\"message_stop\"}\n\n".length();
        assertEquals(mismatchAt, errors.get(2).offset());
        assertEquals(mismatchAt + mismatch.length(), errors.get(3).offset());
        assertTrue(errors.get(3).reason().contains("\"index\""), errors.get(3).reason());
    }

    @Test
    void aLineOverTheLimitIsAnErrorAndParsingGoesOn() {
        SseParser p = parser(64);
        byte[] head = "data: {\"type\":\"ping\",\"pad\":\"".getBytes(StandardCharsets.US_ASCII);
        p.accept(head, 0, head.length);
        byte[] pad = new byte[4096];
        java.util.Arrays.fill(pad, (byte) 'x');
        for (int i = 0; i < 1000; i++) p.accept(pad, 0, pad.length);
        byte[] tail = "\"}\n\ndata: {\"type\":\"ping\"}\n\n".getBytes(StandardCharsets.US_ASCII);
        p.accept(tail, 0, tail.length);
        assertEquals(List.of(new StreamEvent.Ping()), events);
        assertEquals(1, errors.size());
        assertEquals(0, errors.get(0).offset());
        assertTrue(errors.get(0).reason().contains("longer than 64"));
    }

    @Test
    void aThrowingConsumerDoesNotReachTheBytePath() {
        SseParser p = new SseParser(e -> { throw new IllegalStateException("boom"); }, errors::add);
        byte[] b = "data: {\"type\":\"ping\"}\n\n".getBytes(StandardCharsets.US_ASCII);
        p.accept(b, 0, b.length);
        assertEquals(1, errors.size());
    }

    @Test
    void anEventCutByTheEndOfTheStreamIsReportedNotDispatched() {
        feed("data: {\"type\":\"ping\"}\n");
        assertEquals(List.of(), events);
        assertEquals(List.of(new SseParseError(0, "stream ended before the blank line that ends the event")), errors);
    }

    private static String start(int index, String block) {
        return "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":" + block + "}\n\n";
    }

    private static String delta(String delta) {
        return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":" + delta + "}\n\n";
    }
}
