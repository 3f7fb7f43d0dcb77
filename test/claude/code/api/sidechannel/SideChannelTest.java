package claude.code.api.sidechannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.Procfs;
import claude.code.api.testing.RecordedRequest;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SideChannelTest {

    private static final String BODY = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":false,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    private static HttpResponse<String> post(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01").header("authorization", "Bearer test-token")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void wrongOrMissingSecretIsRefusedAndNothingIsForwarded() throws Exception {
        try (MockMessagesApi mock = MockMessagesApi.start(); SideChannel channel = SideChannel.start();
                SessionChannel session = channel.register(); ModelApiRelay relay = new ModelApiRelay(mock.baseUrl());
                HttpClient client = newClient()) {
            session.mount(SideChannel.RELAY, relay);
            URI root = URI.create("http://127.0.0.1:" + channel.port());
            assertEquals(403, post(client, root.resolve("/v1/messages?beta=true")).statusCode());
            assertEquals(403, post(client, root.resolve("/wrong-secret/v1/messages?beta=true")).statusCode());
            assertEquals(403, post(client, root.resolve("/")).statusCode());
            assertTrue(mock.requests().isEmpty(), "the upstream received " + mock.requests());
        }
    }

    @Test
    void theUpstreamSeesTheSameRequestThroughTheRelayAsDirectly() throws Exception {
        try (MockMessagesApi mock = MockMessagesApi.start(); SideChannel channel = SideChannel.start();
                SessionChannel session = channel.register(); ModelApiRelay relay = new ModelApiRelay(mock.baseUrl());
                HttpClient client = newClient()) {
            session.mount(SideChannel.RELAY, relay);
            HttpResponse<String> direct = post(client, URI.create(mock.baseUrl() + "/v1/messages?beta=true"));
            HttpResponse<String> relayed = post(client, URI.create(session.baseUrl() + "/v1/messages?beta=true"));
            assertEquals(direct.statusCode(), relayed.statusCode());
            assertEquals(direct.body().length(), relayed.body().length());
            List<RecordedRequest> seen = mock.requests();
            assertEquals(2, seen.size());
            assertEquals(seen.get(0).path(), seen.get(1).path());
            assertEquals(seen.get(0).query(), seen.get(1).query());
            assertEquals(seen.get(0).method(), seen.get(1).method());
            assertEquals(seen.get(0).body(), seen.get(1).body());
            assertEquals(withoutHost(seen.get(0).headers()), withoutHost(seen.get(1).headers()));
        }
    }

    @Test
    void anUnreachableUpstreamGetsA502NamingItAndATypedFailure() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        URI upstream = URI.create("http://127.0.0.1:" + freePort);
        AtomicReference<RelayTap.UpstreamUnreachable> failure = new AtomicReference<>();
        RelayTap tap = (method, path, query, body) -> new RelayTap.Exchange() {
            @Override
            public void failed(RelayTap.Failure f) {
                failure.set((RelayTap.UpstreamUnreachable) f);
            }
        };
        try (SideChannel channel = SideChannel.start(); SessionChannel session = channel.register();
                ModelApiRelay relay = new ModelApiRelay(upstream, null, tap);
                HttpClient client = newClient()) {
            session.mount(SideChannel.RELAY, relay);
            HttpResponse<String> response = post(client, URI.create(session.baseUrl() + "/v1/messages"));
            assertEquals(502, response.statusCode());
            assertTrue(response.body().contains(upstream.toString()), response.body());
            assertEquals(upstream.toString(), failure.get().upstream());
        }
    }

    @Test
    void closeLeavesNoThreadOrSocket() throws Exception {
        // A first round opens what the JDK keeps for the rest of the JVM (SecureRandom's /dev/urandom,
        // the virtual-thread poller, networking's own descriptors); the second must leave nothing behind.
        oneRelayedRequest();
        List<String> fdsBefore = Procfs.descriptors();
        oneRelayedRequest();
        assertTrue(Procfs.await(Duration.ofSeconds(10), () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("side-channel-"))), "a side-channel thread is left");
        assertTrue(Procfs.await(Duration.ofSeconds(10), () -> Procfs.descriptors().stream()
                .noneMatch(d -> !fdsBefore.contains(d) && !d.equals(VIRTUAL_THREAD_POLLER))),
                () -> "descriptors before " + fdsBefore + " after " + Procfs.descriptors());
    }

    /** The JDK's virtual-thread I/O pollers open their epoll descriptors lazily, once per JVM, whichever test runs first. */
    private static final String VIRTUAL_THREAD_POLLER = "anon_inode:[eventpoll]";

    private static void oneRelayedRequest() throws Exception {
        try (MockMessagesApi mock = MockMessagesApi.start()) {
            try (SideChannel channel = SideChannel.start(); SessionChannel session = channel.register();
                    ModelApiRelay relay = new ModelApiRelay(mock.baseUrl()); HttpClient client = newClient()) {
                session.mount(SideChannel.RELAY, relay);
                assertEquals(200, post(client, URI.create(session.baseUrl() + "/v1/messages")).statusCode());
            }
        }
    }

    /** HTTP/1.1 as the CLI speaks it (no h2c upgrade headers). */
    private static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    private static Map<String, List<String>> withoutHost(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        copy.remove("Host");
        return copy;
    }
}
