package claude.code.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import claude.code.api.events.Message;
import claude.code.api.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Client text never makes the real CLI read a file of this machine (docs/PROMPT-ENCODING.md). */
class ClientTextFileMentionTest extends BackendRealCliTest {
    @Test
    void aClientsAtPathNeverPutsThatFileIntoTheModelRequest() throws Exception {
        Path secret = Files.createTempFile("mention-canary", ".txt");
        try {
            Files.writeString(secret, "CANARY-4711-NOT-FOR-THE-MODEL");
            try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().build())) {
                run(backend, List.of(Message.user("@" + secret + " what is in it? and look at @" + secret)));
            }
            assertEquals(1, api.mainLoopRequests().size());
            String sent = Json.write(api.mainLoopRequests().get(0).body());
            assertFalse(sent.contains("CANARY-4711"), "the file's text reached the model request");
        } finally {
            Files.delete(secret);
        }
    }
}
