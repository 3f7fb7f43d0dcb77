package claude.code.api.modelapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ApiCallTest {
    static ApiCall.Kind kind(String method, String path, String body) {
        return ApiCall.classify(method, path, body.getBytes(StandardCharsets.UTF_8)).kind();
    }

    @Test
    void aSystemEntryInMessagesMakesAMainLoopCallEvenWithoutTools() {
        assertEquals(ApiCall.Kind.MAIN_LOOP, kind("POST", "/v1/messages",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"system\",\"content\":\"env\"}],\"tools\":[]}"));
    }

    @Test
    void aStructuredOutputOrNoSystemEntryMakesASideQuery() {
        assertEquals(ApiCall.Kind.SIDE_QUERY, kind("POST", "/v1/messages", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        assertEquals(ApiCall.Kind.SIDE_QUERY, kind("POST", "/v1/messages", "{\"messages\":[{\"role\":\"system\",\"content\":\"e\"}],"
                + "\"output_config\":{\"format\":{}}}"));
    }

    @Test
    void otherPathsAndBodiesAreNotModelCalls() {
        assertEquals(ApiCall.Kind.COUNT_TOKENS, kind("POST", "/v1/messages/count_tokens", "{}"));
        assertEquals(ApiCall.Kind.OTHER, kind("HEAD", "/api/hello", ""));
        assertEquals(ApiCall.Kind.OTHER, kind("POST", "/v1/messages", "not json"));
    }

    @Test
    void theSystemTextJoinsTheTextBlocks() {
        assertEquals("a\nb\n", ApiCall.classify("POST", "/v1/messages", ("{\"system\":[{\"type\":\"text\",\"text\":\"a\"},"
                + "{\"type\":\"text\",\"text\":\"b\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":[]}")
                .getBytes(StandardCharsets.UTF_8)).systemText());
    }
}
