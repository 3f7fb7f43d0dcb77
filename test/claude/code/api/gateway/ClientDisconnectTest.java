package claude.code.api.gateway;

import static claude.code.api.gateway.GatewayErrorsTest.waitFor;
import static claude.code.api.gateway.GatewayFixture.messagesBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.FakeSessions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ClientDisconnectTest {

    static Socket send(GatewayFixture g, String body) throws Exception {
        Socket s = new Socket(g.server.address().getAddress(), g.server.address().getPort());
        s.setSoTimeout(20_000);
        OutputStream out = s.getOutputStream();
        out.write(("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
        out.flush();
        return s;
    }

    @Test
    void aClientLeavingMidStreamInterruptsTheTurnAndTheSessionIsClosed() throws Exception {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.gate = new CountDownLatch(1);
            try (Socket s = send(g, messagesBody("\"stream\":true", "slow one"))) {
                InputStream in = s.getInputStream();
                String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
                assertEquals("HTTP/1.1 200", head);
            }
            waitFor(() -> !g.sessions.sessions.isEmpty() && g.sessions.sessions.getFirst().interrupts.get() == 1);
            g.sessions.gate.countDown();
            FakeSessions.Session session = g.sessions.sessions.getFirst();
            waitFor(session::closed);
            waitFor(() -> g.get("/metrics").body().contains("claude_code_api_turns_total{outcome=\"client_gone\"} 1"));
            assertTrue(g.get("/metrics").body().contains("claude_code_api_backend_interrupted_turns_total 1"));
        }
    }

    @Test
    void aClientLeavingDuringAWholeAnswerLeavesTheCompletedSessionPooled() throws Exception {
        try (GatewayFixture g = GatewayFixture.start()) {
            g.sessions.gate = new CountDownLatch(1);
            Socket s = send(g, messagesBody("", "one"));
            waitFor(() -> !g.sessions.sessions.isEmpty() && g.sessions.sessions.getFirst().prompts.size() == 1);
            s.close();
            g.sessions.gate.countDown();
            waitFor(() -> g.get("/metrics").body().contains("claude_code_api_backend_turns_total 1"));
            g.sessions.gate = null;
            assertEquals(200, g.post("/v1/messages", messagesBody("", "one", "reply 1 to: one", "two")).statusCode());
            assertEquals(1, g.sessions.launches.size(), "the answer the client missed still continues its conversation");
            assertFalse(g.sessions.sessions.getFirst().closed());
        }
    }
}
