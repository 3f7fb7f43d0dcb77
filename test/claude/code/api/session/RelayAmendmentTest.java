package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.options.ToolChoice;
import claude.code.api.sidechannel.ModelApiRelay;
import claude.code.api.sidechannel.SessionChannel;
import claude.code.api.sidechannel.SideChannel;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The session's amendments through the relay to an upstream (the mock): what it receives, byte for byte. */
class RelayAmendmentTest {
    /** A main-loop request as the CLI writes it, with spacing our JSON writer would not keep. */
    static final String MAIN = "{ \"model\": \"m\", \"system\": [{\"type\": \"text\", \"text\": \"You are Claude Code\"}],"
            + " \"messages\": [{\"role\": \"user\", \"content\": \"hi \\u00e9\"}, {\"role\": \"system\", \"content\": \"env\"}],"
            + " \"max_tokens\": 1.0e3, \"stream\": true }";
    static final String TITLE = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"output_config\":{\"format\":{\"type\":\"json_schema\"}}, \"stream\": true}";

    MockMessagesApi api;
    SideChannel channel;
    ModelApiRelay relay;
    SessionRelay session;
    HttpClient client;

    @BeforeEach
    void start() throws Exception {
        api = MockMessagesApi.start();
        channel = SideChannel.start();
        relay = new ModelApiRelay(api.baseUrl());
        SessionChannel sessionChannel = channel.register();
        session = new SessionRelay("00000000-0000-4000-8000-000000000005", new LinkedBlockingQueue<>(), false,
                api.baseUrl().toString(), sessionChannel);
        sessionChannel.mount(SideChannel.RELAY, relay.route(session));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() {
        client.close();
        session.close();
        relay.close();
        channel.close();
        api.close();
    }

    RecordedRequest post(String body) throws Exception {
        int before = api.requests().size();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(session.baseUrl()
                + "/v1/messages?beta=true")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return api.requests().get(before);
    }

    @Test
    void aCallWithoutAmendmentReachesTheUpstreamByteForByte() throws Exception {
        RecordedRequest got = post(MAIN);
        assertArrayEquals(MAIN.getBytes(StandardCharsets.UTF_8), api.rawBody(got));
    }

    @Test
    void theNextMainCallGetsTheToolChoiceAndSideQueriesBeforeItAreUntouched() throws Exception {
        session.newTurn();
        session.amendNextMainCall(List.of(RequestAmendment.toolChoice(ToolChoice.none(),
                claude.code.api.options.ClientToolSet.NONE).orElseThrow()));
        RecordedRequest title = post(TITLE);
        assertArrayEquals(TITLE.getBytes(StandardCharsets.UTF_8), api.rawBody(title), "a side query is never amended");
        RecordedRequest main = post(MAIN);
        assertEquals(((JsonObject) Json.parse(MAIN)).with("tool_choice", (JsonObject) Json.parse("{\"type\":\"none\"}")),
                main.body(), "the same request with tool_choice; numbers and text as the CLI wrote them");
        assertEquals("1.0e3", main.body().get("max_tokens").toString());
        RecordedRequest next = post(MAIN.replace("hi", "hi again"));
        assertFalse(next.body().has("tool_choice"), "only the request that answers the client's");
        assertArrayEquals(MAIN.replace("hi", "hi again").getBytes(StandardCharsets.UTF_8), api.rawBody(next));
    }
}
