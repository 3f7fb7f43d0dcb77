package claude.code.api.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.testing.Launched;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow-loris clients against the launcher's gateway: a request whose headers or body trickle in
 * is cut off once the request time limit ({@code sun.net.httpserver.maxReqTime}, 60 s by default,
 * here 2 s as the README says it may be set) has passed, while other clients are served.
 * The CLI is a stand-in script: nothing here needs one.
 */
class SlowClientTest {
    @TempDir
    static Path home;
    static Launched gateway;
    static URI base;

    @BeforeAll
    static void start() throws IOException {
        Path claude = home.resolve("claude");
        Files.writeString(claude, "#!/bin/sh\necho '{\"loggedIn\":true,\"authMethod\":\"claude.ai\"}'\n");
        Files.setPosixFilePermissions(claude, PosixFilePermissions.fromString("rwx------"));
        List<String> command = new ArrayList<>(Launched.javaLauncher("serve", "--port", "0", "--claude", claude.toString(),
                "--cwd", home.toString()));
        command.add(1, "-Dsun.net.httpserver.maxReqTime=2");
        gateway = Launched.start(command, Map.of("HOME", home.toString(), "PATH", System.getenv("PATH"), "IS_SANDBOX", "1"), null);
        base = gateway.awaitListening(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            assertEquals(143, gateway.terminate(Duration.ofSeconds(30)), "stopped by SIGTERM: " + gateway.stderr());
            gateway.close();
        }
    }

    /** Writes {@code start}, then one more byte of {@code trickle} every 300 ms until the server hangs up; returns what it answered. */
    static String trickle(String start, String trickle) {
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Socket s = new Socket(base.getHost(), base.getPort())) {
                s.setSoTimeout(300);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                out.write(start.getBytes(StandardCharsets.US_ASCII));
                StringBuilder answer = new StringBuilder();
                for (int i = 0; ; i++) {
                    try {
                        int b = in.read();
                        if (b < 0) {
                            return answer.toString();
                        }
                        answer.append((char) b);
                        continue;
                    } catch (java.net.SocketTimeoutException stillOpen) {
                        // the server is still waiting for us
                    } catch (SocketException reset) {
                        return answer.toString();
                    }
                    try {
                        out.write(trickle.charAt(i % trickle.length()));
                        out.flush();
                    } catch (IOException closed) {
                        return answer.toString();
                    }
                }
            }
        }, "the server never hung up on a slow client");
    }

    static void assertServing() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
    }

    @Test
    void headersSentAByteAtATimeAreCutOffAndOthersAreStillServed() throws Exception {
        String answer = trickle("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n", "X-Slow: aaaaaaaaaaaa\r\n");
        assertTrue(!answer.startsWith("HTTP/1.1 2"), "the request was never answered as if whole: " + answer);
        assertServing();
    }

    @Test
    void aBodySentAByteAtATimeIsCutOffAndOthersAreStillServed() throws Exception {
        String answer = trickle("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100000\r\n\r\n{\"messages\":", " ");
        assertTrue(!answer.startsWith("HTTP/1.1 2"), "the request was never answered as if whole: " + answer);
        assertServing();
    }
}
