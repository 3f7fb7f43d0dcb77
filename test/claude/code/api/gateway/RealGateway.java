package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import claude.code.api.BackendOptions;
import claude.code.api.json.JsonObject;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.MockReply;
import claude.code.api.testing.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** The gateway on the real pinned CLI, pointed at the mock Messages API in an isolated home. */
final class RealGateway implements AutoCloseable {
    final MockMessagesApi api;
    final ClaudeTestHome home;
    final GatewayServer server;
    /** Whether closing this gateway closes {@link #api}: not for one started {@link #beside} another. */
    private final boolean ownsApi;

    private RealGateway(UnaryOperator<GatewayConfig.Builder> config, UnaryOperator<BackendOptions.Builder> backend,
            MockMessagesApi api, boolean ownsApi) {
        this.api = api;
        this.ownsApi = ownsApi;
        try {
            home = ClaudeTestHome.builder(api).bypassPermissionsAccepted().maxRetries(0).build();
            BackendOptions options = backend.apply(home.backendOptions().maxSessions(4)).build();
            server = GatewayServer.start(config.apply(GatewayConfig.builder(options).port(0)).build());
        } catch (IOException | RuntimeException e) {
            if (ownsApi) {
                api.close();
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    static RealGateway start(UnaryOperator<GatewayConfig.Builder> config) {
        return new RealGateway(config, b -> b, MockMessagesApi.start(), true);
    }

    /** With the backend options changed by {@code backend}, and a mock that answers with {@code responder}. */
    static RealGateway start(UnaryOperator<GatewayConfig.Builder> config, UnaryOperator<BackendOptions.Builder> backend,
            Function<RecordedRequest, MockReply> responder) {
        return new RealGateway(config, backend, MockMessagesApi.start(responder), true);
    }

    /**
     * Another gateway, in its own home, on the same mock as {@code first}: a gateway that knows none of the first's
     * sessions (as after a restart, or behind a load balancer). Closed on its own; {@code first} keeps the mock.
     */
    static RealGateway beside(RealGateway first, UnaryOperator<GatewayConfig.Builder> config,
            UnaryOperator<BackendOptions.Builder> backend) {
        return new RealGateway(config, backend, first.api, false);
    }

    String baseUrl() {
        return server.baseUrl().toString();
    }

    /** The CLI session ids of the main-loop requests whose typed prompt contains {@code text}. */
    Set<String> sessionsOf(String text) {
        return api.mainLoopRequests().stream().filter(r -> r.promptText().contains(text)).map(RecordedRequest::sessionId)
                .flatMap(java.util.Optional::stream).collect(Collectors.toSet());
    }

    /** Runs a client script of test/resources/clients with node against this gateway; its stdout is one JSON object. */
    JsonObject node(String script, String... args) {
        return NodeClient.run(script, baseUrl(), args);
    }

    @Override
    public void close() {
        try {
            server.close();
            assertEquals(List.of(), home.strayProcesses(), "no CLI left running once the gateway is closed");
        } finally {
            home.close();
            if (ownsApi) {
                api.close();
            }
        }
    }
}
