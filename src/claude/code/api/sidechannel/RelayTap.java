package claude.code.api.sidechannel;

/** Sees what the relay passes through, for the session layer (SSE parsing); a no-op by default. */
public interface RelayTap {

    RelayTap NONE = new RelayTap() {};

    /** Bytes of an upstream response body, in order, as they are passed on to the CLI. */
    default void responseBytes(byte[] bytes, int offset, int length) {}

    /** The relay could not reach the upstream; the CLI got a 502 naming it. */
    default void failed(UpstreamUnreachable failure) {}

    /** Why a request could not be forwarded. */
    record UpstreamUnreachable(String upstream, String reason) {}
}
