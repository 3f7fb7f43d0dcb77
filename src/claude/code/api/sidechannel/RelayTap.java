package claude.code.api.sidechannel;

import java.util.List;
import java.util.Map;

/**
 * Sees what the relay passes through, one exchange (request and response) at a time, so the session
 * layer can classify each call and parse its stream. It observes: it gets the response's bytes after
 * they were passed on and cannot change them, and an exception it throws is logged and ignored by the
 * relay. The one thing it may change is the body of a request it amends ({@link Exchange#forwardedBody}),
 * which the session layer does only for the conversation's own calls (docs/CLI-BEHAVIOUR.md#relay-amendments).
 * Its methods run on the relay's handler thread for that exchange and must not block.
 */
public interface RelayTap {

    RelayTap NONE = (method, path, query, body) -> Exchange.NONE;

    /**
     * A request is about to be forwarded.
     *
     * @param path the raw path below the session's secret ({@code /v1/messages})
     * @param query the raw query, or {@code null}
     * @param body the request body exactly as the CLI sent it (read only)
     * @return what sees the rest of this exchange
     */
    Exchange exchange(String method, String path, String query, byte[] body);

    /** One exchange's response, in order: {@code response}, {@code bytes}..., then {@code end} or {@code failed}. */
    interface Exchange {
        Exchange NONE = new Exchange() {};

        /**
         * The body to forward, asked once before the request goes out: {@code sent} itself (the default) forwards
         * the CLI's bytes unchanged; another array replaces them (its length is the new {@code Content-Length}).
         * When this throws, the CLI's bytes are forwarded.
         */
        default byte[] forwardedBody(byte[] sent) {
            return sent;
        }

        /** The upstream's status and headers, as passed on to the CLI. */
        default void response(int status, Map<String, List<String>> headers) {}

        /** Bytes of the upstream's response body, in order, as they are passed on to the CLI. */
        default void bytes(byte[] bytes, int offset, int length) {}

        /** The whole response was passed on. */
        default void end() {}

        /** The exchange failed: nothing (unreachable) or only part (broken) of the response reached the CLI. */
        default void failed(Failure failure) {}
    }

    /** Why an exchange failed. */
    sealed interface Failure {
        String upstream();

        String reason();
    }

    /** The relay could not reach the upstream; the CLI got a 502 naming it. */
    record UpstreamUnreachable(String upstream, String reason) implements Failure {}

    /** The response broke off after it had begun (the upstream dropped, or the CLI went away). */
    record StreamBroken(String upstream, String reason) implements Failure {}
}
