/**
 * The {@code claude} process in a PTY: its argv and environment ({@link claude.code.api.cli.CliOptions}),
 * readiness, dialogs, screen and prompt typing.
 */
package claude.code.api.cli;
