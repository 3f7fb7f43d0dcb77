package claude.code.api.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import claude.code.api.BackendOptions;
import claude.code.api.gateway.GatewayConfig;
import claude.code.api.gateway.GatewayServer;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.MockMessagesApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The real pinned CLI against the mock Messages API in an isolated home, for the fault tests:
 * backends and gateways made here point their CLIs at the mock. {@link #close()} closes every
 * gateway it started, then checks that no process of the home is left running.
 */
final class RealStack implements AutoCloseable {
    final MockMessagesApi api;
    final ClaudeTestHome home;
    private final List<GatewayServer> gateways = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    RealStack() {
        this(b -> b);
    }

    RealStack(UnaryOperator<ClaudeTestHome.Builder> homeOptions) {
        api = MockMessagesApi.start();
        try {
            home = homeOptions.apply(ClaudeTestHome.builder(api).bypassPermissionsAccepted().maxRetries(0)).build();
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
    }

    /** Backend options for real sessions at the mock: the home's environment (mock URL, test key) is kept. */
    BackendOptions.Builder backend() {
        return home.backendOptions().apiMaxRetries(0).maxSessions(4);
    }

    /** A gateway on {@code options}, on a free loopback port; closed with this stack. */
    GatewayServer gateway(BackendOptions options) {
        try {
            GatewayServer g = GatewayServer.start(GatewayConfig.builder(options).port(0).pingInterval(Duration.ofMillis(500)).build());
            gateways.add(g);
            return g;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POSTs {@code body} to {@code path} of the gateway; returns once the response has begun, its body unread. */
    HttpResponse<java.io.InputStream> open(GatewayServer gateway, String path, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POSTs {@code body} to {@code path} of the gateway. */
    HttpResponse<String> post(GatewayServer gateway, String path, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GETs {@code path} of the gateway. */
    HttpResponse<String> get(GatewayServer gateway, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            gateways.forEach(GatewayServer::close);
            assertEquals(List.of(), home.strayProcesses(), "no process of this home still running");
        } finally {
            try {
                home.close();
            } finally {
                api.close();
            }
        }
    }
}
