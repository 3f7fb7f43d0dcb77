package claude.code.api.options;

import claude.code.api.json.JsonObject;
import java.util.Objects;

/**
 * One tool of the client, listed to the CLI as {@code mcp__<server>__<name>}.
 *
 * @param inputSchema passed on exactly as the client gave it ($schema and unknown keywords included)
 * @param readOnly the MCP {@code annotations.readOnlyHint}: the CLI runs read-only calls of one message concurrently
 */
public record ClientTool(String name, String description, JsonObject inputSchema, boolean readOnly) {
    /** The API's limit on a tool name, which the CLI's prefixed name must keep. */
    public static final int MAX_API_NAME_LENGTH = 64;

    public ClientTool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(inputSchema, "inputSchema");
    }

    /** The name the model sees once the CLI prefixed it. */
    public String apiName(String server) {
        return "mcp__" + server + "__" + name;
    }

    /** Fails naming this tool when its prefixed name breaks the API's length or character limits. */
    public void checkName(String server) {
        if (name.isEmpty()) {
            throw new ClientToolNameException(name, "a tool name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
            if (!allowed) {
                throw new ClientToolNameException(name,
                        "tool name \"" + name + "\" has a character outside [a-zA-Z0-9_-] at index " + i);
            }
        }
        int length = apiName(server).length();
        if (length > MAX_API_NAME_LENGTH) {
            throw new ClientToolNameException(name, "tool name \"" + name + "\" is " + name.length()
                    + " characters; with the prefix \"mcp__" + server + "__\" it is " + length
                    + ", over the API's limit of " + MAX_API_NAME_LENGTH);
        }
    }
}
