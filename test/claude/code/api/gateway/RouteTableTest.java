package claude.code.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import claude.code.api.gateway.AccessGuard.Access;
import claude.code.api.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    static final ErrorShape SHAPE = (error, requestId) -> JsonObject.EMPTY;
    static final RouteTable.Handler NOTHING = (call, part) -> {};

    static RouteTable table() {
        return new RouteTable("fallback", Access.STATIC, SHAPE, NOTHING)
                .add("models", "GET", "/v1/models", Access.PROTECTED, SHAPE, NOTHING)
                .add("model", "GET", "/v1/models/{id}", Access.PROTECTED, SHAPE, NOTHING)
                .add("screen", "GET", "/admin/sessions/{id}/screen", Access.PROTECTED, SHAPE, NOTHING)
                .add("chat", "POST", "/v1/chat/completions", Access.PROTECTED, SHAPE, NOTHING)
                .add("chat_other", null, "/v1/chat/{path}", Access.STATIC, SHAPE, NOTHING);
    }

    @Test
    void aPlainPathMatchesOnlyItselfAndHasNoPathPart() {
        RouteTable.Match m = table().match("/v1/models");
        assertEquals("models", m.route().name());
        assertNull(m.pathPart());
        assertEquals("fallback", table().match("/v1/models2").route().name());
    }

    @Test
    void aTemplatePartMatchesAnyCharactersEvenNone() {
        assertEquals("claude-sonnet-4-5", table().match("/v1/models/claude-sonnet-4-5").pathPart());
        assertEquals("a/b", table().match("/v1/models/a/b").pathPart(), "the part is the rest of the path");
        assertEquals("", table().match("/v1/models/").pathPart());
        assertEquals("00000000-0000-4000-8000-00000000000a",
                table().match("/admin/sessions/00000000-0000-4000-8000-00000000000a/screen").pathPart());
        assertEquals("fallback", table().match("/admin/sessions/screen").route().name(),
                "the prefix and the suffix may not overlap");
    }

    @Test
    void theFirstRouteAddedWinsAndEveryOtherPathFallsBack() {
        assertEquals("chat", table().match("/v1/chat/completions").route().name());
        assertEquals("chat_other", table().match("/v1/chat/other").route().name());
        for (String path : new String[] {"/", "/v1/messages", "*", "", null}) {
            RouteTable.Match m = table().match(path);
            assertEquals("fallback", m.route().name(), path);
            assertNull(m.route().method(), "the fallback answers any method");
        }
    }

    @Test
    void aTemplateHoldsOnePart() {
        assertThrows(IllegalArgumentException.class, () -> table().add("x", "GET", "/a/{b}/{c}", Access.OPEN, SHAPE, NOTHING));
        assertThrows(IllegalArgumentException.class, () -> table().add("x", "GET", "/a/}b{", Access.OPEN, SHAPE, NOTHING));
    }

    @Test
    void unknownPathsUnderTheOpenAiPrefixAnswerInOpenAisShape() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.get("/v1/chat/nothing");
            assertEquals(404, r.statusCode());
            assertEquals("not_found_error", GatewayFixture.json(r).object("error").string("type"));
            assertNull(GatewayFixture.json(r).get("type"), "no Anthropic envelope");
            HttpResponse<String> wrongMethod = g.get("/v1/chat/completions");
            assertEquals(405, wrongMethod.statusCode());
            assertEquals("POST", wrongMethod.headers().firstValue("allow").orElseThrow());
            assertEquals("invalid_request_error", GatewayFixture.json(wrongMethod).object("error").string("type"));
        }
    }
}
