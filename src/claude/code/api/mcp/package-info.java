/**
 * The client's own tools as an MCP server the CLI connects to (internal).
 *
 * <p>{@link claude.code.api.mcp.ClientTools} turns a request's Anthropic or OpenAI tool list into
 * {@link claude.code.api.mcp.ClientTool}s and sets aside the tools the CLI cannot provide. Depends only on
 * {@code claude.code.api.json}.
 */
package claude.code.api.mcp;
