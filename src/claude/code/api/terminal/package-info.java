/** Terminal emulation for reading what a TUI shows: a screen model fed with PTY output. */
package claude.code.api.terminal;
