package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.AssistantMessage;
import claude.code.api.events.ContentBlock;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.events.Usage;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.options.ClientTool;
import claude.code.api.options.ClientToolSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientToolUseTest {
    static final ClientToolSet TOOLS = new ClientToolSet(List.of(
            new ClientTool("getWeather", "", JsonObject.EMPTY, false),
            new ClientTool("get_time", "", JsonObject.EMPTY, false)));
    static final JsonObject OSLO = (JsonObject) Json.parse("{\"city\":\"Oslo\"}");

    static AssistantMessage relayed(ContentBlock... content) {
        return new AssistantMessage("u1", "msg_1", "claude-x", List.of(content), "tool_use", Usage.ZERO, null);
    }

    @Test
    void theClientGetsItsOwnToolNamesWithTheModelsInputAndTheTextBesideThem() {
        AssistantMessage m = relayed(new TextBlock("Let me look."),
                new ToolUseBlock("toolu_1", "mcp__c__getWeather", OSLO),
                new ToolUseBlock("toolu_2", "mcp__c__get_time", JsonObject.EMPTY));
        AssistantMessage out = ClientToolUse.forClient(m, TOOLS, Set.of("toolu_1", "toolu_2")).orElseThrow();
        assertEquals(List.of(new TextBlock("Let me look."), new ToolUseBlock("toolu_1", "getWeather", OSLO),
                new ToolUseBlock("toolu_2", "get_time", JsonObject.EMPTY)), out.content());
        assertEquals("tool_use", out.stopReason());
        assertEquals("msg_1", out.messageId());
    }

    @Test
    void aToolUseWhoseCallHasNotReachedTheMcpServerYetIsWaitedFor() {
        AssistantMessage m = relayed(new ToolUseBlock("toolu_1", "mcp__c__getWeather", OSLO),
                new ToolUseBlock("toolu_2", "mcp__c__get_time", JsonObject.EMPTY));
        assertTrue(ClientToolUse.forClient(m, TOOLS, Set.of("toolu_1")).isEmpty());
    }

    @Test
    void aMessageWithoutClientToolsIsNoClientToolUse() {
        assertTrue(ClientToolUse.forClient(relayed(new TextBlock("sunny")), TOOLS, Set.of()).isEmpty());
        assertTrue(ClientToolUse.forClient(relayed(new ToolUseBlock("toolu_1", "Bash", JsonObject.EMPTY)), TOOLS,
                Set.of("toolu_1")).isEmpty());
    }

    @Test
    void aNameOfAnotherServerOrWithoutThePrefixIsNotTheClientsTool() {
        assertTrue(ClientToolUse.clientTool("getWeather", TOOLS).isEmpty());
        assertTrue(ClientToolUse.clientTool("mcp__other__getWeather", TOOLS).isEmpty());
        assertEquals("getWeather", ClientToolUse.clientTool("mcp__c__getWeather", TOOLS).orElseThrow().name());
    }
}
