package claude.code.api.session;

import claude.code.api.events.AssistantMessage;
import claude.code.api.events.ContentBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.options.ClientTool;
import claude.code.api.options.ClientToolSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The model's call of the client's tools as the client gets it: the relayed message with each
 * {@code mcp__<server>__<tool>} name back to the client's own, once the CLI has made a {@code tools/call} for
 * every one of them (so the session really waits for the client, {@code docs/CLI-BEHAVIOUR.md#mcp-tools}). Built
 * from the relay's message and the calls, never from the transcript, which may hold the tool_use record until
 * the result is back.
 */
final class ClientToolUse {
    private ClientToolUse() {}

    /**
     * @param relayed the main-loop response as the relay folded it
     * @param called the {@code claudecode/toolUseId}s of the tools/calls the CLI has made so far
     * @return the message for the client, stop reason {@code tool_use}; empty while a client tool_use has no
     *     call yet, or when the message calls none of the client's tools
     */
    static Optional<AssistantMessage> forClient(AssistantMessage relayed, ClientToolSet tools, Set<String> called) {
        List<ContentBlock> content = new ArrayList<>(relayed.content().size());
        boolean any = false;
        for (ContentBlock block : relayed.content()) {
            if (block instanceof ToolUseBlock use) {
                Optional<ClientTool> tool = clientTool(use.name(), tools);
                if (tool.isEmpty()) {
                    return Optional.empty(); // not the client's: the CLI would run it, no answer to give
                }
                if (!called.contains(use.id())) {
                    return Optional.empty();
                }
                any = true;
                content.add(new ToolUseBlock(use.id(), tool.get().name(), use.input()));
            } else {
                content.add(block);
            }
        }
        if (!any) {
            return Optional.empty();
        }
        return Optional.of(new AssistantMessage(relayed.uuid(), relayed.messageId(), relayed.model(), content,
                "tool_use", relayed.usage(), null));
    }

    /** The message asks for tools, and every one it asks for is the client's. */
    static boolean callsOnlyClientTools(AssistantMessage message, ClientToolSet tools) {
        if (tools.isEmpty()) {
            return false;
        }
        boolean any = false;
        for (ContentBlock block : message.content()) {
            if (block instanceof ToolUseBlock use) {
                if (clientTool(use.name(), tools).isEmpty()) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /** The client's tool behind a name the model used, {@code mcp__<server>__<tool>}. */
    static Optional<ClientTool> clientTool(String apiName, ClientToolSet tools) {
        return tools.tools().stream().filter(t -> t.apiName(ClientToolSet.MCP_SERVER).equals(apiName)).findFirst();
    }
}
