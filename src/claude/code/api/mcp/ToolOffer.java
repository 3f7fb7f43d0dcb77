package claude.code.api.mcp;

import java.util.List;

/**
 * A request's tools split in two: those the MCP bridge lists, and server or built-in tools the CLI cannot
 * provide. The gateway leaves the second out when merely offered and refuses a tool_choice that forces one.
 *
 * @param notProvidable the names (or, without a name, the types) of the tools set aside, in request order
 */
public record ToolOffer(List<ClientTool> tools, List<String> notProvidable) {
    public ToolOffer {
        tools = List.copyOf(tools);
        notProvidable = List.copyOf(notProvidable);
    }

    public boolean providable(String name) {
        return tools.stream().anyMatch(t -> t.name().equals(name));
    }
}
