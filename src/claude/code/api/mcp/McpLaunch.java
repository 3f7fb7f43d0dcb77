package claude.code.api.mcp;

import claude.code.api.options.ClientTool;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a CLI needs to offer exactly the client's tools from one MCP server (docs/CLI-BEHAVIOUR.md): the
 * {@code --mcp-config} entry, the flags that drop the built-ins, and the environment that keeps the tools from
 * being deferred behind ToolSearch and a held call from being moved to the background.
 *
 * @param server the short server name the model sees in {@code mcp__<server>__<tool>}
 * @param callTimeout the server entry's {@code timeout}: without it the CLI fails a held call at 60 s
 */
public record McpLaunch(String server, URI url, Duration callTimeout) {
    /** The {@code --mcp-config} JSON; written by the JSON writer, so no URL or name can break out of it. */
    public String mcpConfig() {
        JsonObject entry = JsonObject.builder().put("type", "http").put("url", url.toString())
                .put("timeout", callTimeout.toMillis()).build();
        return Json.write(JsonObject.builder()
                .put("mcpServers", JsonObject.builder().put(server, entry).build()).build());
    }

    /** One line per flag, the config inline; {@code --allowedTools} names each tool so a prompting permission mode asks nothing. */
    public List<String> argv(List<ClientTool> tools) {
        List<String> argv = new ArrayList<>(flags(tools));
        argv.addAll(List.of("--mcp-config", mcpConfig()));
        return argv;
    }

    /**
     * The flags without the config, for a CLI given {@link #mcpConfig()} in a private file: argv is readable by
     * every local user, and the URL holds the session's secret.
     */
    public List<String> flags(List<ClientTool> tools) {
        List<String> argv = new ArrayList<>();
        argv.addAll(List.of("--tools", ""));
        argv.add("--strict-mcp-config");
        for (ClientTool tool : tools) {
            argv.addAll(List.of("--allowedTools", tool.apiName(server)));
        }
        return argv;
    }

    public static Map<String, String> environment() {
        return Map.of("ENABLE_TOOL_SEARCH", "false", "CLAUDE_CODE_MCP_AUTO_BACKGROUND_MS", "0");
    }
}
