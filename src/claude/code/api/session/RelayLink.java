package claude.code.api.session;

import claude.code.api.options.ClientToolSet;
import claude.code.api.sidechannel.ModelApiRelay;
import claude.code.api.sidechannel.SideChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link CliSessionFactory} needs to put its sessions behind the backend's side channel: the
 * channel each session registers with, and the relay (one HTTP client) its calls go through.
 *
 * @param channel the backend's loopback server; owned (and closed) by the backend
 * @param relay forwards to the upstream; owned (and closed) by the backend
 * @param partialEvents the sessions' turns carry the relayed {@code StreamEvent}s
 * @param cliRetriesOff the CLIs get {@code CLAUDE_CODE_MAX_RETRIES=0} (unless {@code extraEnv} says otherwise)
 * @param tools the client's tools every session offers through its MCP route, in place of the CLI's own
 *     ({@link ClientToolSet#NONE}: the CLI keeps its own)
 * @param toolCallTimeout how long a client tool call waits for the client's result
 * @param toolStats where the sessions count the calls they hand out and the ones that time out
 */
public record RelayLink(SideChannel channel, ModelApiRelay relay, boolean partialEvents, boolean cliRetriesOff,
        ClientToolSet tools, Duration toolCallTimeout, ClientToolStats toolStats) {
    /** The default wait for a client's tool result (the issue's {@code --client-tool-timeout}). */
    public static final Duration DEFAULT_TOOL_CALL_TIMEOUT = Duration.ofMinutes(10);

    public RelayLink {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(tools, "tools");
        Objects.requireNonNull(toolCallTimeout, "toolCallTimeout");
        Objects.requireNonNull(toolStats, "toolStats");
        if (toolCallTimeout.isNegative() || toolCallTimeout.isZero()) {
            throw new IllegalArgumentException("toolCallTimeout must be positive: " + toolCallTimeout);
        }
    }

    /** Sessions for {@code tools}, counted apart. */
    public RelayLink(SideChannel channel, ModelApiRelay relay, boolean partialEvents, boolean cliRetriesOff,
            ClientToolSet tools, Duration toolCallTimeout) {
        this(channel, relay, partialEvents, cliRetriesOff, tools, toolCallTimeout, new ClientToolStats());
    }

    /** Sessions that keep the CLI's own tools. */
    public RelayLink(SideChannel channel, ModelApiRelay relay, boolean partialEvents, boolean cliRetriesOff) {
        this(channel, relay, partialEvents, cliRetriesOff, ClientToolSet.NONE, DEFAULT_TOOL_CALL_TIMEOUT);
    }
}
