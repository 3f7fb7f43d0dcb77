package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import claude.code.api.BackendOptions;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.CliPeer;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** The gateway on the real pinned CLI, pointed at the mock Messages API in an isolated home. */
final class RealGateway implements AutoCloseable {
    final MockMessagesApi api;
    final ClaudeTestHome home;
    final GatewayServer server;

    private RealGateway(UnaryOperator<GatewayConfig.Builder> config) {
        api = MockMessagesApi.start();
        try {
            home = ClaudeTestHome.builder(api).bypassPermissionsAccepted().maxRetries(0).build();
            BackendOptions options = BackendOptions.builder(home.workspace()).executable(CliPeer.executable())
                    .preserveProviderEnv(true).extraEnv(home.environment()).extraEnv("IS_SANDBOX", "1").maxSessions(4).build();
            server = GatewayServer.start(config.apply(GatewayConfig.builder(options).port(0)).build());
        } catch (IOException | RuntimeException e) {
            api.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    static RealGateway start(UnaryOperator<GatewayConfig.Builder> config) {
        return new RealGateway(config);
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
    JsonObject node(String script) {
        return node(script, baseUrl());
    }

    /** Runs a client script of test/resources/clients with node against the gateway at {@code baseUrl}. */
    static JsonObject node(String script, String baseUrl) {
        Path file = Path.of(System.getProperty("project.dir", "."), "test/resources/clients", script);
        String modules = System.getProperty("npm.clients");
        if (modules == null || !Files.isDirectory(Path.of(modules))) {
            throw new IllegalStateException("system property npm.clients does not name the installed SDKs: run `make test`");
        }
        ProcessBuilder pb = new ProcessBuilder(List.of("node", file.toString(), baseUrl));
        pb.environment().put("NODE_PATH", modules);
        try {
            Process p = pb.start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(script + " did not finish in 180 s");
            }
            assertEquals(0, p.exitValue(), () -> script + " failed: " + err.join());
            return (JsonObject) Json.parse(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run node " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            assertEquals(List.of(), home.strayProcesses(), "no CLI left running once the gateway is closed");
        } finally {
            home.close();
            api.close();
        }
    }
}
