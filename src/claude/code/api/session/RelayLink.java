package claude.code.api.session;

import claude.code.api.sidechannel.ModelApiRelay;
import claude.code.api.sidechannel.SideChannel;
import java.util.Objects;

/**
 * What a {@link CliSessionFactory} needs to put its sessions behind the backend's side channel: the
 * channel each session registers with, and the relay (one HTTP client) its calls go through.
 *
 * @param channel the backend's loopback server; owned (and closed) by the backend
 * @param relay forwards to the upstream; owned (and closed) by the backend
 * @param partialEvents the sessions' turns carry the relayed {@code StreamEvent}s
 * @param cliRetriesOff the CLIs get {@code CLAUDE_CODE_MAX_RETRIES=0} (unless {@code extraEnv} says otherwise)
 */
public record RelayLink(SideChannel channel, ModelApiRelay relay, boolean partialEvents, boolean cliRetriesOff) {
    public RelayLink {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(relay, "relay");
    }
}
