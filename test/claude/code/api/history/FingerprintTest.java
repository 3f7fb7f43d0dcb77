package claude.code.api.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.Message;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ThinkingBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.TurnRendering;
import claude.code.api.events.TurnRenderingTest;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FingerprintTest {
    static ContentBlock block(String json) {
        return ContentBlock.fromJson((JsonObject) Json.parse(json));
    }

    static List<Message> plus(List<Message> a, List<Message> b) {
        List<Message> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static final List<Message> CONVERSATION = List.of(Message.user("list the files"));
    static final ToolUseBlock TOOL_USE = TurnRenderingTest.USE;
    static final ToolResultBlock TOOL_RESULT = TurnRenderingTest.RESULT;
    static final ThinkingBlock THINKING = TurnRenderingTest.THINKING;
    /** A tool turn: thinking + text + tool use, the tool's result, the final answer. */
    static final List<Message> TURN = TurnRenderingTest.TURN;

    @Test
    void aFingerprintIsSha256Hex() {
        String fp = Fingerprint.of(CONVERSATION);
        assertTrue(fp.matches("[0-9a-f]{64}"), fp);
        assertEquals(fp, Fingerprint.of(List.of(Message.user("list the files"))));
    }

    @Test
    void fieldsOutsideTheApiShapeDoNotChangeIt() {
        List<Message> plain = List.of(Message.user(block("{\"type\":\"text\",\"text\":\"hi\"}")));
        List<Message> decorated = List.of(Message.user(block(
                "{\"type\":\"text\",\"text\":\"hi\",\"cache_control\":{\"type\":\"ephemeral\"},\"citations\":[]}")));
        assertEquals(Fingerprint.of(plain), Fingerprint.of(decorated));
    }

    @Test
    void memberOrderAndNumberSpellingInToolInputDoNotChangeIt() {
        ContentBlock a = block("{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"X\",\"input\":{\"a\":1,\"b\":[2.0]}}");
        ContentBlock b = block("{\"input\":{\"b\":[2],\"a\":1.0},\"name\":\"X\",\"id\":\"t\",\"type\":\"tool_use\"}");
        assertEquals(Fingerprint.of(List.of(Message.assistant(a))), Fingerprint.of(List.of(Message.assistant(b))));
    }

    @Test
    void adjacentMessagesOfOneRoleCountAsOne() {
        List<Message> split = List.of(Message.user("q"), Message.assistant("part one"),
                Message.assistant(TOOL_USE));
        List<Message> merged = List.of(Message.user("q"),
                Message.assistant(new TextBlock("part one"), TOOL_USE));
        assertEquals(Fingerprint.of(merged), Fingerprint.of(split));
    }

    @Test
    void emptyTextBlocksAndEmptyMessagesDoNotCount() {
        List<Message> withEmpty = List.of(Message.user(new TextBlock(""), new TextBlock("q")),
                new Message(Message.Role.ASSISTANT, List.of()), Message.assistant("a"));
        assertEquals(Fingerprint.of(List.of(Message.user("q"), Message.assistant("a"))),
                Fingerprint.of(withEmpty));
    }

    @Test
    void aToolResultsStringContentEqualsOneTextBlockAndFalseIsErrorEqualsAbsent() {
        ContentBlock asString = block("{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":\"out\"}");
        ContentBlock asBlocks = block("{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"out\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"is_error\":false}");
        ContentBlock failed = block("{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":\"out\",\"is_error\":true}");
        assertEquals(Fingerprint.of(List.of(Message.user(asString))), Fingerprint.of(List.of(Message.user(asBlocks))));
        assertNotEquals(Fingerprint.of(List.of(Message.user(asString))), Fingerprint.of(List.of(Message.user(failed))));
    }

    @Test
    void textRolesAndOrderAllCount() {
        String base = Fingerprint.of(List.of(Message.user("a"), Message.assistant("b")));
        assertNotEquals(base, Fingerprint.of(List.of(Message.user("a"), Message.assistant("B"))));
        assertNotEquals(base, Fingerprint.of(List.of(Message.assistant("a"), Message.user("b"))));
        assertNotEquals(base, Fingerprint.of(List.of(Message.user("b"), Message.assistant("a"))));
        assertNotEquals(Fingerprint.of(List.of(Message.assistant(THINKING, new TextBlock("x")))),
                Fingerprint.of(List.of(Message.assistant("x"))), "thinking counts in the full view");
    }

    /** The definition, written out: SHA-256 of the canonical JSON array of the normal form's messages. */
    static String byDefinition(List<Message> history) {
        JsonArray.Builder messages = JsonArray.builder();
        Fingerprint.normalise(history).forEach(m -> messages.add(m.toJson()));
        return Fingerprint.sha256Bytes(Json.canonical(messages.build()).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theFingerprintIsTheSha256OfTheCanonicalJsonOfTheNormalForm() {
        for (List<Message> history : List.of(List.<Message>of(), CONVERSATION, plus(CONVERSATION, TURN),
                List.of(Message.user("a"), Message.user("b"), Message.assistant(""), Message.assistant("é 😀")))) {
            assertEquals(byDefinition(history), Fingerprint.of(history), history.toString());
        }
    }

    @Test
    void aTurnAfterAnAssistantPrefillIsRegisteredMergedWithIt() {
        List<Message> prefilled = List.of(Message.user("say hi"), Message.assistant("Hi"));
        Set<String> keys = Fingerprint.registrationKeys(prefilled, List.of(Message.assistant(" there")));
        assertTrue(keys.contains(byDefinition(plus(prefilled, List.of(Message.assistant(" there"))))));
        assertTrue(keys.contains(byDefinition(List.of(Message.user("say hi"),
                Message.assistant(new TextBlock("Hi"), new TextBlock(" there"))))), "one assistant message, two blocks");
    }

    @Test
    void aLastMessageOfThinkingAloneIsDroppedWithItsThinking() {
        List<Message> earlier = List.of(Message.user("q"), Message.assistant(THINKING));
        Set<String> keys = Fingerprint.registrationKeys(earlier, List.of(Message.user("again"), Message.assistant("a")));
        assertTrue(keys.contains(byDefinition(List.of(Message.user("q"), Message.user("again"), Message.assistant("a")))),
                "without its thinking the assistant message is empty, and the two user messages merge");
    }

    @Test
    void everyViewOfATurnIsTheFingerprintOfTheHistoryItNames() {
        List<Message> earlier = List.of(Message.user("hi"), Message.assistant(THINKING, new TextBlock("hello")),
                Message.user("list the files"));
        Set<String> keys = Fingerprint.registrationKeys(earlier, TURN);
        Set<String> expected = new LinkedHashSet<>();
        for (List<Message> tail : List.of(TURN, List.of(Message.assistant("Two files: a.txt and b.txt.")))) {
            expected.add(byDefinition(plus(earlier, tail)));
            expected.add(byDefinition(Fingerprint.withoutThinking(plus(earlier, tail))));
        }
        assertTrue(keys.containsAll(expected), "the cycle and the final text, each with and without thinking");
    }

    @Test
    void aTurnIsRegisteredUnderTheFullCycle() {
        Set<String> keys = Fingerprint.registrationKeys(CONVERSATION, TURN);
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION, TURN))));
    }

    @Test
    void aTurnIsRegisteredUnderItsFinalTextAlone() {
        Set<String> keys = Fingerprint.registrationKeys(CONVERSATION, TURN);
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION, List.of(Message.assistant("Two files: a.txt and b.txt."))))));
    }

    @Test
    void aTurnIsRegisteredUnderAllItsTextAsBlocksAndAsOneString() {
        Set<String> keys = Fingerprint.registrationKeys(CONVERSATION, TURN);
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION, List.of(Message.assistant(
                new TextBlock("Let me look."), new TextBlock("Two files: a.txt and b.txt.")))))));
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION,
                List.of(Message.assistant("Let me look.Two files: a.txt and b.txt."))))));
    }

    @Test
    void aTurnIsRegisteredWithItsThinkingStripped() {
        Set<String> keys = Fingerprint.registrationKeys(CONVERSATION, TURN);
        List<Message> stripped = List.of(Message.assistant(new TextBlock("Let me look."), TOOL_USE),
                Message.user(TOOL_RESULT), Message.assistant(new TextBlock("Two files: a.txt and b.txt.")));
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION, stripped))));
    }

    @Test
    void thinkingInEarlierTurnsMayBeStrippedToo() {
        List<Message> earlier = List.of(Message.user("hi"),
                Message.assistant(THINKING, new TextBlock("hello")), Message.user("list the files"));
        Set<String> keys = Fingerprint.registrationKeys(earlier, List.of(Message.assistant("done")));
        List<Message> echoedWithoutThinking = List.of(Message.user("hi"), Message.assistant("hello"),
                Message.user("list the files"), Message.assistant("done"));
        assertTrue(keys.contains(Fingerprint.of(echoedWithoutThinking)));
    }

    @Test
    void aPlainTurnHasOneViewWithAndOneWithoutThinking() {
        Set<String> keys = Fingerprint.registrationKeys(CONVERSATION, List.of(Message.assistant("hello")));
        assertEquals(Set.of(Fingerprint.of(plus(CONVERSATION, List.of(Message.assistant("hello"))))), keys);
    }

    @Test
    void theViewsNeverMatchTheHistoryBeforeTheTurn() {
        Set<String> keys = Fingerprint.registrationKeys(CONVERSATION, TURN);
        assertTrue(!keys.contains(Fingerprint.of(CONVERSATION)));
        assertEquals(10, keys.size(), "cycle with and without thinking, final text, text blocks, joined text, "
                + "and the gateway's renderings (without and with tool activity, as blocks with and without thinking "
                + "and as one string)");
    }

    @Test
    void aTurnIsRegisteredAsTheGatewayShowsItWithThinkingInPlace() {
        Set<String> keys = Fingerprint.registrationKeys(CONVERSATION, TURN);
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION, List.of(Message.assistant(
                THINKING, new TextBlock("Let me look."), new TextBlock("Two files: a.txt and b.txt.")))))));
    }

    @Test
    void aTurnIsRegisteredAsTheGatewayShowsItWithToolActivity() {
        Set<String> keys = Fingerprint.registrationKeys(CONVERSATION, TURN);
        List<Message> shown = List.of(Message.assistant(THINKING, new TextBlock("Let me look."),
                TurnRendering.toolUseText(TOOL_USE), TurnRendering.toolResultText(TOOL_RESULT),
                new TextBlock("Two files: a.txt and b.txt.")));
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION, shown))));
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION, Fingerprint.withoutThinking(shown)))));
    }

    @Test
    void aTurnIsRegisteredAsTheGatewaysOpenAiStringWithAndWithoutToolActivity() {
        Set<String> keys = Fingerprint.registrationKeys(CONVERSATION, TURN);
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION,
                List.of(Message.assistant("Let me look.\n\nTwo files: a.txt and b.txt."))))));
        String withTools = "Let me look.\n\n[tool_use id=toolu_1 name=Bash]\n{\"command\":\"ls\"}\n[/tool_use]\n\n"
                + "[tool_result id=toolu_1]\na.txt\nb.txt\n[/tool_result]\n\nTwo files: a.txt and b.txt.";
        assertTrue(keys.contains(Fingerprint.of(plus(CONVERSATION, List.of(Message.assistant(withTools))))));
    }

    @Test
    void imagesCountByTheDigestOfTheirBytesNotTheirBase64() {
        String data = java.util.Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5});
        String other = java.util.Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 6});
        Message withImage = Message.user(new claude.code.api.events.ImageBlock(
                new claude.code.api.events.MediaSource.Base64("image/png", data)), new TextBlock("what is it"));
        Message sameImage = Message.user(block("{\"type\":\"image\",\"source\":{\"type\":\"base64\","
                + "\"media_type\":\"image/png\",\"data\":\"" + data + "\"}}"), new TextBlock("what is it"));
        Message otherImage = Message.user(new claude.code.api.events.ImageBlock(
                new claude.code.api.events.MediaSource.Base64("image/png", other)), new TextBlock("what is it"));
        assertEquals(Fingerprint.of(List.of(withImage)), Fingerprint.of(List.of(sameImage)));
        assertNotEquals(Fingerprint.of(List.of(withImage)), Fingerprint.of(List.of(otherImage)));
        String normal = Json.write(Fingerprint.normalise(List.of(withImage)).get(0).toJson());
        assertTrue(!normal.contains(data) && normal.contains(Fingerprint.sha256Bytes(new byte[] {1, 2, 3, 4, 5})), normal);
    }

    @Test
    void aSessionAwaitingToolResultsIsFoundUnderEveryShapeClientsEchoTheToolUseMessageIn() {
        List<Message> conversation = List.of(Message.user("weather in Oslo and Lima?"));
        ToolUseBlock oslo = new ToolUseBlock("toolu_1", "getWeather", (JsonObject) Json.parse("{\"city\":\"Oslo\",\"days\":1}"));
        ToolUseBlock lima = new ToolUseBlock("toolu_2", "getWeather", (JsonObject) Json.parse("{\"city\":\"Lima\"}"));
        Message answer = Message.of(Message.Role.ASSISTANT, new ThinkingBlock("hmm", "sig"), new TextBlock("Checking."),
                new TextBlock("Both."), oslo, lima);
        Set<String> keys = Fingerprint.awaitingKeys(conversation, answer);
        ToolUseBlock osloReserialised = new ToolUseBlock("toolu_1", "getWeather",
                (JsonObject) Json.parse("{ \"days\": 1.0, \"city\": \"Oslo\" }"));
        for (Message echoed : List.of(answer,
                Message.of(Message.Role.ASSISTANT, new TextBlock("Checking."), new TextBlock("Both."), oslo, lima),
                Message.of(Message.Role.ASSISTANT, new TextBlock("Checking.\n\nBoth."), osloReserialised, lima),
                Message.of(Message.Role.ASSISTANT, new TextBlock("Checking.Both."), oslo, lima),
                Message.of(Message.Role.ASSISTANT, new TextBlock(""), osloReserialised, lima))) {
            List<Message> history = new ArrayList<>(conversation);
            history.add(echoed);
            assertTrue(keys.contains(Fingerprint.of(history)), "echoed as " + echoed);
        }
        List<Message> textOnly = new ArrayList<>(conversation);
        textOnly.add(Message.assistant("Checking.\n\nBoth."));
        assertTrue(!keys.contains(Fingerprint.of(textOnly)), "a history without the tool calls never finds it");
    }

    @Test
    void aDocumentCountsByItsBytesTitleAndContext() {
        var source = new claude.code.api.events.MediaSource.Base64("application/pdf", "JVBERi0xLjQK");
        java.util.function.Function<claude.code.api.events.DocumentBlock, String> fp = d -> Fingerprint.of(List.of(
                Message.of(Message.Role.USER, d, new TextBlock("read")), Message.assistant("ok")));
        String titled = fp.apply(new claude.code.api.events.DocumentBlock(source, "Report", null));
        assertEquals(titled, fp.apply(new claude.code.api.events.DocumentBlock(source, "Report", null)));
        assertNotEquals(titled, fp.apply(new claude.code.api.events.DocumentBlock(source)));
        assertNotEquals(titled, fp.apply(new claude.code.api.events.DocumentBlock(source, "Report", "context")));
    }
}
