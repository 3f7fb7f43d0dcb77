package claude.code.api.gateway;

/** The HTTP headers of the gateway's own (beside those of the APIs it speaks). */
final class GatewayHeaders {
    /** Response header naming the CLI session that answered (whole answers). */
    static final String SESSION_ID = "x-claude-code-session-id";
    /** Request header choosing whether the CLI's tool activity is shown: {@code text} or {@code none}. */
    static final String TOOL_ACTIVITY = "x-claude-code-tool-activity";

    private GatewayHeaders() {}
}
