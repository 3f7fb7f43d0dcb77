/**
 * The public face of the library: {@link claude.code.api.ClaudeCodeBackend} runs conversations
 * ({@link claude.code.api.events.Message} lists) on the Claude Code CLI and returns each turn as an
 * {@link claude.code.api.events.EventStream}; {@link claude.code.api.BackendOptions} configures it.
 */
package claude.code.api;
