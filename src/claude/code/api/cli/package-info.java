/**
 * The {@code claude} CLI in a PTY: its argv and environment, start-up (readiness, dialogs), the
 * screen, typing prompts safely, interrupting and stopping it.
 */
package claude.code.api.cli;
