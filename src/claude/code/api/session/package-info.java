/**
 * A live conversation with the CLI: one {@code claude} process in a PTY plus its transcript,
 * driven one turn at a time. The pool and the backend know sessions only through
 * {@link claude.code.api.session.ClaudeSession} and {@link claude.code.api.session.SessionFactory}.
 */
package claude.code.api.session;
