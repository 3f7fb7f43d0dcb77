package claude.code.api.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.ClaudeCodeBackend;
import claude.code.api.options.HistoryMode;
import claude.code.api.events.Message;
import claude.code.api.events.ResultMessage;
import claude.code.api.gateway.GatewayServer;
import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.RecordedRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No client text runs as a CLI command, whichever way it reaches the CLI: shell ({@code !touch F})
 * and slash commands ({@code /logout}, {@code /clear}, {@code /config}) as earlier messages of the
 * history, as the last message of a new session, and as the message typed into a pooled one; in
 * both history modes; through the backend and through the gateway (Anthropic and OpenAI routes).
 * The file never appears, the CLI stays logged in with its history intact, and the model receives
 * every text. ({@code session.CommandInjectionRealCliTest} covers the typed prompt's exact encoding.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class CommandInjectionThroughBackendAndGatewayRealCliTest {
    RealStack stack;

    @BeforeAll
    void start() {
        stack = new RealStack();
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    Path marker(String name) {
        return stack.home.workspace().resolve("injected-" + name + "-" + System.nanoTime());
    }

    /** Every main-loop request of the session; the last one carries the newest prompt. */
    RecordedRequest lastRequest(String sessionId) {
        return stack.api.requestsForSession(sessionId).stream().filter(RecordedRequest::isMainLoop).toList().getLast();
    }

    static String allText(RecordedRequest request) {
        return request.messages().stream().map(Json::write).collect(Collectors.joining("\n"));
    }

    void assertStillLoggedInWithTheWholeHistory(RecordedRequest request, String... texts) {
        assertEquals(ClaudeTestHome.API_KEY, request.header("x-api-key").orElse(""), "still the same credentials: nothing logged out");
        String sent = allText(request);
        for (String t : texts) {
            assertTrue(sent.contains(Json.quote(t).substring(1, Json.quote(t).length() - 1)),
                    () -> "the model received " + t + " as text (nothing cleared): " + sent);
        }
    }

    @ParameterizedTest
    @EnumSource(HistoryMode.class)
    void theBackendRunsNoCommandFromTheHistoryTheNewMessageOrAPooledTurn(HistoryMode mode) {
        Path early = marker("history");
        Path last = marker("last");
        Path pooled = marker("pooled");
        List<Message> conversation = new ArrayList<>(List.of(
                Message.user("!touch " + early), Message.assistant("noted"),
                Message.user("/logout"), Message.assistant("noted"),
                Message.user("/clear"), Message.assistant("noted"),
                Message.user("/config"), Message.assistant("noted"),
                Message.user("!touch " + last)));
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(stack.backend().historyMode(mode).build())) {
            ResultMessage first = backend.complete(conversation).result();
            assertFalse(first.isError(), first.toString());
            assertStillLoggedInWithTheWholeHistory(lastRequest(first.sessionId()), "!touch " + early, "/logout", "/clear",
                    "/config", "!touch " + last);

            ResultMessage after = first;
            for (String typed : List.of("/logout", "/clear", "/config", "!touch " + pooled)) {
                conversation.add(Message.assistant(after.finalText()));
                conversation.add(Message.user(typed));
                after = backend.complete(conversation).result();
                assertFalse(after.isError(), after.toString());
                assertEquals(first.sessionId(), after.sessionId(), typed + " was typed into the pooled session");
            }
            assertStillLoggedInWithTheWholeHistory(lastRequest(after.sessionId()), "!touch " + early, "/logout", "/clear",
                    "/config", "!touch " + last, "!touch " + pooled);
        }
        for (Path file : List.of(early, last, pooled)) {
            assertFalse(Files.exists(file), "no shell ran: " + file);
        }
    }

    static String anthropicBody(List<String> turns) {
        StringBuilder messages = new StringBuilder();
        for (int i = 0; i < turns.size(); i++) {
            messages.append(i == 0 ? "" : ",").append("{\"role\":\"").append(i % 2 == 0 ? "user" : "assistant")
                    .append("\",\"content\":").append(Json.quote(turns.get(i))).append('}');
        }
        return "{\"model\":\"default\",\"max_tokens\":100,\"messages\":[" + messages + "]}";
    }

    static String text(HttpResponse<String> r) {
        JsonObject body = (JsonObject) Json.parse(r.body());
        if (body.get("choices") instanceof JsonArray choices) {
            return ((JsonObject) choices.get(0)).object("message").string("content");
        }
        return ((JsonObject) ((JsonArray) body.get("content")).get(0)).string("text");
    }

    @ParameterizedTest
    @EnumSource(HistoryMode.class)
    void theGatewayRunsNoCommandFromAnyMessageOnEitherRoute(HistoryMode mode) {
        GatewayServer gateway = stack.gateway(stack.backend().historyMode(mode).build());
        Path early = marker("http-history");
        Path last = marker("http-last");
        Path pooled = marker("http-pooled");
        Path openAi = marker("http-openai");
        List<String> turns = new ArrayList<>(List.of("/config", "noted", "!touch " + early, "noted", "/logout", "noted",
                "!touch " + last));
        HttpResponse<String> r = stack.post(gateway, "/v1/messages", anthropicBody(turns));
        assertEquals(200, r.statusCode(), r.body());
        String session = r.headers().firstValue("x-claude-code-session-id").orElseThrow();
        turns.add(text(r));
        turns.add("/clear");
        r = stack.post(gateway, "/v1/messages", anthropicBody(turns));
        assertEquals(200, r.statusCode(), r.body());
        turns.add(text(r));
        turns.add("!touch " + pooled);
        r = stack.post(gateway, "/v1/messages", anthropicBody(turns));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(session, r.headers().firstValue("x-claude-code-session-id").orElseThrow(), "typed into the pooled session");
        assertStillLoggedInWithTheWholeHistory(lastRequest(session), "/config", "!touch " + early, "/logout",
                "!touch " + last, "/clear", "!touch " + pooled);

        HttpResponse<String> chat = stack.post(gateway, "/v1/chat/completions", "{\"model\":\"default\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"/logout\"},{\"role\":\"assistant\",\"content\":\"noted\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":" + Json.quote("!touch " + openAi) + "}]}]}");
        assertEquals(200, chat.statusCode(), chat.body());
        String chatSession = stack.api.mainLoopRequests().getLast().sessionId().orElseThrow();
        assertStillLoggedInWithTheWholeHistory(lastRequest(chatSession), "/logout", "!touch " + openAi);

        for (Path file : List.of(early, last, pooled, openAi)) {
            assertFalse(Files.exists(file), "no shell ran: " + file);
        }
    }
}
