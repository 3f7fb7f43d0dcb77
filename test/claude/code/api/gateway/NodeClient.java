package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A client script of test/resources/clients, run with node and the official SDKs the Makefile installs. */
final class NodeClient {
    private NodeClient() {}

    /** Runs {@code script} against the gateway at {@code baseUrl}; its stdout is one JSON object. */
    static JsonObject run(String script, String baseUrl, String... args) {
        Path file = Path.of(System.getProperty("project.dir", "."), "test/resources/clients", script);
        String modules = System.getProperty("npm.clients");
        if (modules == null || !Files.isDirectory(Path.of(modules))) {
            throw new IllegalStateException("system property npm.clients does not name the installed SDKs: run `make test`");
        }
        List<String> command = new ArrayList<>(List.of("node", file.toString(), baseUrl));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
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

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
