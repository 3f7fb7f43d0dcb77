package claude.code.api.options;

import java.net.URI;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * The model-API relay: the backend's loopback side channel, through which each CLI sends its model
 * API calls ({@code ANTHROPIC_BASE_URL} points at it), so a turn's events carry the model's own token
 * deltas, usage and errors, and a turn ends at the CLI's {@code Stop} hook rather than when the
 * transcript catches up. The relay forwards the CLI's requests and the upstream's answers byte for
 * byte, with the CLI's own credentials (held in memory for the request, never logged); it never
 * adds credentials of its own.
 *
 * <p>The relay is off by itself when the CLI's environment selects Bedrock, Vertex or Foundry
 * ({@code CLAUDE_CODE_USE_BEDROCK}, {@code _VERTEX}, {@code _FOUNDRY}): those providers are not
 * reached through {@code ANTHROPIC_BASE_URL}.
 *
 * @param enabled relay the model API (default on); off, turns stream block by block from the transcript
 * @param upstream where the relay forwards to; {@code null} (the default) means the user's own
 *     {@code ANTHROPIC_BASE_URL} when provider variables are preserved and it is set, else
 *     {@link #DEFAULT_UPSTREAM}
 * @param sslContext trust for an HTTPS upstream (tests with a test-only certificate); {@code null}
 *     uses the JDK's default trust
 * @param partialEvents deliver the {@link claude.code.api.events.StreamEvent}s of the model's
 *     responses in a turn's events (default on); off, the relay still gives exact errors and the exact end
 * @param keepCliRetries leave the CLI's own API retries on ({@code LaunchOptions.apiMaxRetries}).
 *     By default, with the relay on, the CLI does not retry ({@code CLAUDE_CODE_MAX_RETRIES=0}): the
 *     caller sees the first upstream error, with its status and {@code retry-after}, as a client of the
 *     real API would, and retries itself. Set by the backend builder when {@code apiMaxRetries} is given.
 */
public record RelayOptions(boolean enabled, URI upstream, SSLContext sslContext, boolean partialEvents,
        boolean keepCliRetries) {

    /** The Anthropic API. */
    public static final URI DEFAULT_UPSTREAM = URI.create("https://api.anthropic.com");

    /** On, upstream chosen from the environment, partial events on, the CLI's retries off. */
    public static final RelayOptions DEFAULTS = new RelayOptions(true, null, null, true, false);

    /** Off: everything as without a relay. */
    public static final RelayOptions OFF = new RelayOptions(false, null, null, true, false);

    public RelayOptions {
        if (upstream != null) {
            String scheme = upstream.getScheme() == null ? "" : upstream.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || upstream.getHost() == null) {
                throw new IllegalArgumentException("relayUpstream: " + upstream + " is not an http(s) URL with a host");
            }
            if (upstream.getRawQuery() != null || upstream.getRawFragment() != null) {
                throw new IllegalArgumentException("relayUpstream: " + upstream + " must not have a query or fragment");
            }
        }
    }

    /** {@code sslContext} is shown only as present or not. */
    @Override
    public String toString() {
        return "RelayOptions[enabled=" + enabled + ", upstream=" + (upstream == null ? "(from the environment)" : upstream)
                + ", sslContext=" + (sslContext == null ? "default" : "given") + ", partialEvents=" + partialEvents
                + ", keepCliRetries=" + keepCliRetries + "]";
    }
}
