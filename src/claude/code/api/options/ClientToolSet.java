package claude.code.api.options;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The client's own tools a backend's sessions offer the model instead of the CLI's built-in ones. Part of a
 * backend's options (and so of the gateway's key for picking a backend): sessions started for one tool set never
 * answer a request with another. Empty: the CLI keeps its own tools.
 *
 * <p>The tools reach the model through an MCP server of the session, as {@code mcp__<server>__<name>} with
 * {@link #MCP_SERVER} as the server name; every name is checked against the API's limits with that prefix.
 *
 * @param tools in the client's order, names unique
 */
public record ClientToolSet(List<ClientTool> tools) {
    /** The MCP server name the model sees in front of every client tool; short, so long client names still fit. */
    public static final String MCP_SERVER = "c";

    /** No client tools. */
    public static final ClientToolSet NONE = new ClientToolSet(List.of());

    /**
     * @throws ClientToolNameException naming the first tool whose name cannot be offered
     * @throws IllegalArgumentException when two tools share a name
     */
    public ClientToolSet {
        tools = List.copyOf(Objects.requireNonNull(tools, "tools"));
        Set<String> names = new HashSet<>();
        for (ClientTool tool : tools) {
            tool.checkName(MCP_SERVER);
            if (!names.add(tool.name())) {
                throw new IllegalArgumentException("tools: the name \"" + tool.name() + "\" is used twice; tool names "
                        + "must be unique");
            }
        }
    }

    public boolean isEmpty() {
        return tools.isEmpty();
    }

    public boolean contains(String name) {
        return tools.stream().anyMatch(t -> t.name().equals(name));
    }

    @Override
    public String toString() { // descriptions and schemas are client text
        return "ClientToolSet[" + tools.size() + " tools]";
    }
}
