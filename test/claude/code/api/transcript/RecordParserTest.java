package claude.code.api.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.ApiError;
import claude.code.api.events.AssistantMessage;
import claude.code.api.events.MessageParseError;
import claude.code.api.events.RedactedThinkingBlock;
import claude.code.api.events.SystemMessage;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.UnknownBlock;
import claude.code.api.events.Usage;
import claude.code.api.events.UserMessage;
import claude.code.api.json.JsonString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records as CLI 2.1.331 writes them (docs/CLI-BEHAVIOUR.md#turn-records on, and a run of the real CLI). */
class RecordParserTest {
    private static final Path FILE = Path.of("/cfg/projects/-w/0f8fad5b-d9cb-469f-a165-70867728950e.jsonl");
    private final RecordParser parser = new RecordParser(FILE, false);

    private static ParsedRecord parse(RecordParser parser, long offset, String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return parser.parse(offset, bytes, 0, bytes.length);
    }

    private <T> T event(String line, Class<T> type) {
        ParsedRecord.Parsed parsed = assertInstanceOf(ParsedRecord.Parsed.class, parse(parser, 0, line));
        return assertInstanceOf(type, parsed.event());
    }

    private MessageParseError error(long offset, String line) {
        return assertInstanceOf(ParsedRecord.Invalid.class, parse(parser, offset, line)).error();
    }

    @Test
    void anAssistantTextRecordBecomesAnAssistantMessage() {
        AssistantMessage m = event("""
                {"parentUuid":"u1","isSidechain":false,"type":"assistant","uuid":"a1","timestamp":"2026-11-25T09:56:36.100Z",\
                "message":{"id":"msg_Y","type":"message","role":"assistant","model":"claude-opus-5-5",\
                "content":[{"type":"text","text":"MOCK REPLY to: hi"}],"stop_reason":"end_turn","stop_sequence":null,\
                "usage":{"input_tokens":12,"output_tokens":5,"cache_creation_input_tokens":3,"cache_read_input_tokens":7}},\
                "userType":"external","cwd":"/w","sessionId":"0f8fad5b-d9cb-469f-a165-70867728950e","version":"2.1.331"}""",
                AssistantMessage.class);
        assertEquals(new AssistantMessage("a1", "msg_Y", "claude-opus-5-5", List.of(new TextBlock("MOCK REPLY to: hi")),
                "end_turn", new Usage(12, 5, 3, 7), null), m);
    }

    @Test
    void aToolUseRecordCarriesTheBlockWithItsInput() {
        AssistantMessage m = event("""
                {"type":"assistant","uuid":"a2","message":{"id":"msg_X","role":"assistant","model":"claude-opus-5-5",\
                "content":[{"type":"tool_use","id":"toolu_01","name":"Bash","input":{"command":"echo hi","description":"Say hi"}}],\
                "stop_reason":"tool_use","usage":{"input_tokens":1,"output_tokens":9}}}""", AssistantMessage.class);
        ToolUseBlock block = assertInstanceOf(ToolUseBlock.class, m.content().getFirst());
        assertEquals("toolu_01", block.id());
        assertEquals("Bash", block.name());
        assertEquals("echo hi", block.input().string("command"));
        assertEquals("tool_use", m.stopReason());
        assertTrue(m.hasToolUse());
    }

    @Test
    void aToolResultRecordBecomesAUserMessageThatIsNotAPrompt() {
        UserMessage m = event("""
                {"parentUuid":"a2","type":"user","uuid":"u2","message":{"role":"user","content":[{"tool_use_id":"toolu_01",\
                "type":"tool_result","content":"hi","is_error":false}]},"toolUseResult":{"stdout":"hi","stderr":"",\
                "interrupted":false},"sourceToolAssistantUUID":"a2","permissionDecision":{"decision":"accept","source":"config"}}""",
                UserMessage.class);
        assertEquals(new UserMessage("u2", List.of(new ToolResultBlock("toolu_01", new JsonString("hi"), false)), false, false), m);
        assertTrue(m.hasToolResult());
    }

    @Test
    void aThinkingRecordKeepsItsSignature() {
        AssistantMessage m = event("""
                {"type":"assistant","message":{"id":"msg_mock1","role":"assistant","content":[{"type":"thinking",\
                "thinking":"Let me think about THINK request.","signature":"c2lnbmF0dXJlLW1vY2stMTIz"}],"stop_reason":"end_turn"},\
                "thinkingDurationMs":1,"thinkingDisplay":"updates","uuid":"a3"}""", AssistantMessage.class);
        assertEquals(List.of(new ThinkingBlock("Let me think about THINK request.", "c2lnbmF0dXJlLW1vY2stMTIz")), m.content());
        assertEquals(Usage.ZERO, m.usage(), "absent usage counts as zero");
    }

    @Test
    void aRedactedThinkingRecordKeepsItsData() {
        AssistantMessage m = event("""
                {"type":"assistant","uuid":"a4","message":{"id":"msg_mock2","role":"assistant",\
                "content":[{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT"}],"stop_reason":"end_turn"}}""",
                AssistantMessage.class);
        assertEquals(List.of(new RedactedThinkingBlock("EmwKAhgBEgy3va3pzix/LafPsn4aDFIT")), m.content());
    }

    @Test
    void anApiErrorRecordCarriesTheErrorItReports() {
        AssistantMessage m = event("""
                {"type":"assistant","uuid":"a5","message":{"id":"2b6a3c1e-8d7f-4e0a-9c5b-1f2e3d4c5b6a","model":"<synthetic>",\
                "role":"assistant","stop_reason":"stop_sequence","stop_sequence":"","content":[{"type":"text","text":"API Error: 500 \
                mock error 500. This is a server-side issue, usually temporary — try again in a moment."}],"usage":{"input_tokens":0,\
                "output_tokens":0}},"error":"server_error","isApiErrorMessage":true,"apiErrorStatus":500,"apiErrorType":"api_error",\
                "failedResponseHadNoToolCall":true}""", AssistantMessage.class);
        assertEquals(new ApiError("server_error", 500, "api_error",
                "API Error: 500 mock error 500. This is a server-side issue, usually temporary — try again in a moment."), m.apiError());
        assertEquals("<synthetic>", m.model());
    }

    @Test
    void aConnectionFailureRecordHasNoStatusAndNamesItsCause() {
        // Written by the real CLI for `claude -p hi` against a closed port.
        AssistantMessage m = event("""
                {"parentUuid":"d1c9502a-59f8-4ea8-929a-26ee28759e8f","isSidechain":false,"type":"assistant",\
                "uuid":"116c3cce-1211-4201-bf58-102fee5ac593","timestamp":"2026-11-25T10:39:07.619Z","message":{"diagnostics":null,\
                "id":"e867e2e2-f7a2-4041-90a6-f7b32709ef93","container":null,"model":"<synthetic>","role":"assistant",\
                "stop_details":null,"stop_reason":"stop_sequence","stop_sequence":"","type":"message","usage":{"output_tokens_details":null,\
                "input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"server_tool_use":\
                {"web_search_requests":0,"web_fetch_requests":0},"service_tier":null,"cache_creation":{"ephemeral_1h_input_tokens":0,\
                "ephemeral_5m_input_tokens":0},"inference_geo":null,"iterations":null,"speed":null,"fallback_credit":null},\
                "content":[{"type":"text","text":"API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)"}],\
                "context_management":null},"apiError":"connection_failed","error":"server_error","isApiErrorMessage":true,\
                "perTurnEffort":"medium","failedResponseHadNoToolCall":true,"madeBy":"model","userType":"external",\
                "entrypoint":"sdk-cli","cwd":"/tmp/cctest/w/dots.in name","sessionId":"364dfbbe-1aed-4cd2-b51a-2a4132783608",\
                "version":"2.1.331","gitBranch":"HEAD"}""", AssistantMessage.class);
        assertEquals(new ApiError("server_error", 0, "connection_failed",
                "API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)"), m.apiError());
    }

    @Test
    void anInterruptedPartialAssistantRecordHasNoStopReason() {
        AssistantMessage m = event("""
                {"type":"assistant","uuid":"a6","message":{"id":"msg_p","role":"assistant","content":[{"type":"text",\
                "text":"MOCK REPLY to: SLOW0p3 stream | nmsgs=2 "}],"stop_reason":null}}""", AssistantMessage.class);
        assertNull(m.stopReason());
        assertFalse(m.isApiError());
    }

    @Test
    void theInterruptRecordIsAUserTextMessageThatIsNotAPrompt() {
        UserMessage m = event("""
                {"type":"user","uuid":"u3","message":{"role":"user","content":[{"type":"text","text":"[Request interrupted by user]"}]}}""",
                UserMessage.class);
        assertEquals("[Request interrupted by user]", m.text());
        assertFalse(m.prompt());
    }

    @Test
    void aRejectedToolUseIsAnErrorToolResult() {
        UserMessage m = event("""
                {"type":"user","uuid":"u4","toolUseResult":"User rejected tool use","message":{"role":"user","content":\
                [{"type":"tool_result","content":"The user doesn't want to proceed with this tool use.","is_error":true,\
                "tool_use_id":"toolu_02"}]}}""", UserMessage.class);
        assertEquals(Boolean.TRUE, assertInstanceOf(ToolResultBlock.class, m.content().getFirst()).isError());
    }

    @Test
    void stringContentIsTheEchoedPrompt() {
        UserMessage m = event("""
                {"parentUuid":null,"isSidechain":false,"type":"user","message":{"role":"user","content":"please USE_TOOL"},\
                "uuid":"u5","timestamp":"2026-11-25T09:56:35.900Z","userType":"external","cwd":"/w","version":"2.1.331"}""",
                UserMessage.class);
        assertEquals(new UserMessage("u5", List.of(new TextBlock("please USE_TOOL")), true, false), m);
    }

    @Test
    void turnDurationBecomesASystemMessageWithTheWholeRecord() {
        SystemMessage m = event("""
                {"parentUuid":"a1","isSidechain":false,"type":"system","subtype":"turn_duration","durationMs":157,\
                "messageCount":19,"timestamp":"2026-11-25T09:56:36.307Z","uuid":"s1","isMeta":false,"cwd":"/w",\
                "sessionId":"0f8fad5b-d9cb-469f-a165-70867728950e","version":"2.1.331"}""", SystemMessage.class);
        assertEquals("turn_duration", m.subtype());
        assertEquals("s1", m.uuid());
        assertEquals(157L, m.record().integer("durationMs"));
    }

    private static final String META = """
            {"type":"user","isMeta":true,"uuid":"m1","message":{"role":"user","content":"<system-reminder>\\nBe brief.\\n</system-reminder>"}}""";

    @Test
    void metaUserRecordsAreSkippedByDefault() {
        assertEquals(new ParsedRecord.Skipped("meta user"), parse(parser, 0, META));
    }

    @Test
    void metaUserRecordsAreDeliveredWhenAskedForAndAreNeverPrompts() {
        ParsedRecord.Parsed parsed = assertInstanceOf(ParsedRecord.Parsed.class, parse(new RecordParser(FILE, true), 0, META));
        UserMessage m = assertInstanceOf(UserMessage.class, parsed.event());
        assertTrue(m.meta());
        assertFalse(m.prompt());
        assertEquals("<system-reminder>\nBe brief.\n</system-reminder>", m.text());
    }

    @Test
    void recordsThatAreNotMessagesAreSkippedByType() {
        String[][] cases = {
            {"mode", "{\"type\":\"mode\",\"mode\":\"default\",\"sessionId\":\"s\"}"},
            {"permission-mode", "{\"type\":\"permission-mode\",\"permissionMode\":\"auto\",\"sessionId\":\"s\"}"},
            {"atis-latch", "{\"type\":\"atis-latch\",\"atis\":\"\",\"sessionId\":\"s\"}"},
            {"file-history-snapshot", "{\"type\":\"file-history-snapshot\",\"messageId\":\"m\",\"snapshot\":{\"trackedFileBackups\":{}}}"},
            {"attachment", "{\"parentUuid\":\"u\",\"attachment\":{\"type\":\"date\",\"date\":\"2026-11-25\"},\"type\":\"attachment\"}"},
            {"api-request-shape", "{\"type\":\"api-request-shape\",\"shapeHash\":\"c6ec\",\"shape\":{\"system\":[]}}"},
            {"api-request-blob", "{\"type\":\"api-request-blob\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}]}}"},
            {"api-request", "{\"type\":\"api-request\",\"id\":\"r\",\"params\":{\"model\":\"claude-opus-5-5\"}}"},
            {"queue-operation", "{\"type\":\"queue-operation\",\"operation\":\"enqueue\",\"content\":\"queued second\"}"},
            {"tools-used", "{\"type\":\"tools-used\",\"tools\":[\"Bash\"]}"},
            {"last-prompt", "{\"type\":\"last-prompt\",\"lastPrompt\":\"hi\",\"leafUuid\":\"a\"}"},
            {"cost-state", "{\"type\":\"cost-state\",\"totalCostUSD\":0,\"modelUsage\":{}}"},
            {"a-type-from-a-future-cli", "{\"type\":\"a-type-from-a-future-cli\",\"message\":7}"},
        };
        for (String[] c : cases) {
            assertEquals(new ParsedRecord.Skipped(c[0]), parse(parser, 0, c[1]), c[1]);
        }
    }

    @Test
    void sidechainRecordsOfASubagentAreSkipped() {
        String line = "{\"type\":\"assistant\",\"isSidechain\":true,\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"sub\"}]}}";
        assertEquals(new ParsedRecord.Skipped("sidechain assistant"), parse(parser, 0, line));
    }

    @Test
    void blankLinesAreSkipped() {
        assertEquals(new ParsedRecord.Skipped("blank line"), parse(parser, 0, ""));
        assertEquals(new ParsedRecord.Skipped("blank line"), parse(parser, 0, " \r"));
    }

    @Test
    void anUnknownContentBlockIsKeptAsAnUnknownBlock() {
        AssistantMessage m = event("""
                {"type":"assistant","message":{"id":"m","content":[{"type":"server_tool_use","id":"srv_1","name":"web_search"}]}}""",
                AssistantMessage.class);
        UnknownBlock block = assertInstanceOf(UnknownBlock.class, m.content().getFirst());
        assertEquals("server_tool_use", block.type());
        assertEquals("web_search", block.raw().string("name"));
    }

    @Test
    void aLineInsideALargerBufferIsParsedFromItsSlice() {
        byte[] buffer = ("junk{\"type\":\"system\",\"subtype\":\"turn_duration\",\"durationMs\":5}more").getBytes(StandardCharsets.UTF_8);
        ParsedRecord result = parser.parse(100, buffer, 4, buffer.length - 8);
        SystemMessage m = assertInstanceOf(SystemMessage.class, assertInstanceOf(ParsedRecord.Parsed.class, result).event());
        assertEquals(5L, m.record().integer("durationMs"));
    }

    @Test
    void malformedJsonIsAParseErrorWithTheFileOffsetAndLine() {
        String line = "{\"type\":\"assistant\",\"message\":{\"content\":[";
        MessageParseError e = error(4096, line);
        assertEquals(FILE, e.file());
        assertEquals(4096, e.offset());
        assertEquals(line, e.line());
        assertTrue(e.reason().startsWith("not valid JSON: unexpected end of input"), e.reason());
        assertTrue(e.reason().contains("4096"), e.reason());
    }

    @Test
    void invalidUtf8IsAParseErrorAndTheLineKeepsWhatCanBeRead() {
        byte[] bytes = {'{', '"', 't', '"', ':', '"', (byte) 0xC3, '"', '}'};
        MessageParseError e = assertInstanceOf(ParsedRecord.Invalid.class, parser.parse(7, bytes, 0, bytes.length)).error();
        assertTrue(e.reason().contains("invalid UTF-8"), e.reason());
        assertEquals("{\"t\":\"\uFFFD\"}", e.line());
    }

    @Test
    void aRecordThatIsNotAnObjectIsAParseError() {
        assertEquals("the record is an array, expected an object (line at byte offset 0)", error(0, "[1,2]").reason());
        assertEquals("the record is a string, expected an object (line at byte offset 0)", error(0, "\"assistant\"").reason());
    }

    @Test
    void aRecordWithoutATypeIsAParseError() {
        assertTrue(error(0, "{\"message\":{}}").reason().startsWith("the record has no \"type\""));
        assertTrue(error(0, "{\"type\":7}").reason().startsWith("the record: field \"type\" is a number, expected a string"));
    }

    @Test
    void anAssistantRecordWithoutAMessageIsAParseErrorNamingTheField() {
        assertTrue(error(0, "{\"type\":\"assistant\",\"uuid\":\"a\"}").reason()
                .startsWith("the assistant record: field \"message\" is missing"));
    }

    @Test
    void aMessageWithoutContentIsAParseErrorNamingTheField() {
        assertTrue(error(0, "{\"type\":\"user\",\"message\":{\"role\":\"user\"}}").reason()
                .startsWith("the user record: field \"message.content\" is missing"));
        assertTrue(error(0, "{\"type\":\"user\",\"message\":{\"content\":42}}").reason()
                .startsWith("the user record: field \"message.content\" is a number, expected a string or an array"));
    }

    @Test
    void aBrokenContentBlockIsAParseErrorNamingTheBlockAndField() {
        String line = "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"ok\"},{\"type\":\"tool_use\",\"id\":\"t\"}]}}";
        assertTrue(error(0, line).reason().startsWith("the assistant record: message.content[1]: field \"name\" is missing"),
                error(0, line).reason());
        assertTrue(error(0, "{\"type\":\"assistant\",\"message\":{\"content\":[\"text\"]}}").reason()
                .startsWith("the assistant record: message.content[0] is a string, expected an object"));
    }

    @Test
    void aWronglyTypedMessageFieldIsAParseErrorNamingIt() {
        assertTrue(error(0, "{\"type\":\"assistant\",\"message\":{\"content\":[],\"usage\":[]}}").reason()
                .startsWith("the assistant record: message: field \"usage\" is an array, expected an object"));
    }

    @Test
    void aSystemRecordWithoutSubtypeIsAParseError() {
        assertTrue(error(0, "{\"type\":\"system\",\"durationMs\":3}").reason()
                .startsWith("the system record: field \"subtype\" is missing"));
    }
}
