/**
 * The client's own tools as an MCP server the CLI connects to (internal).
 *
 * <p>The tools are {@link claude.code.api.options.ClientTool}s, read from requests by the gateway. Depends only on
 * {@code claude.code.api.json} and {@code claude.code.api.options}.
 */
package claude.code.api.mcp;
