package claude.code.api.gateway;

import static claude.code.api.gateway.GatewayFixture.at;
import static claude.code.api.gateway.GatewayFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.JsonNumber;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonString;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponsesApiTest {
    @Test
    void aResponseHasTheResponseShape() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"Hi\"}");
            assertEquals(200, r.statusCode(), r.body());
            JsonObject o = json(r);
            assertTrue(o.string("id").startsWith("resp_local_"), o.string("id"));
            assertEquals("response", o.string("object"));
            assertEquals("completed", o.string("status"));
            assertEquals("claude-test", o.string("model"));
            assertEquals(new JsonString("reply 1 to: Hi"), at(o, "output", "0", "content", "0", "text"));
            assertEquals("reply 1 to: Hi", o.string("output_text"));
            assertEquals(JsonNumber.of(0), at(o, "usage", "input_tokens_details", "cache_write_tokens"));
            assertEquals(JsonNumber.of(0), at(o, "usage", "output_tokens_details", "reasoning_tokens"));
        }
    }

    @Test
    void anIdNamesTheInstanceTheLoadBalancerCallsThisGateway() {
        try (GatewayFixture g = GatewayFixture.start()) {
            String id = json(g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"Hi\"}",
                    "x-claude-code-instance", "gw2")).string("id");
            assertTrue(id.matches("resp_gw2_[0-9a-f]{32}"), id);
            String other = json(g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"Hi\"}",
                    "x-claude-code-instance", "a_b")).string("id");
            assertTrue(other.startsWith("resp_local_"), "a name HAProxy could not route by is not used: " + other);
        }
    }

    @Test
    void previousResponseIdContinuesOnOneSession() {
        try (GatewayFixture g = GatewayFixture.start()) {
            String id = json(g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"one\"}")).string("id");
            HttpResponse<String> r = g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"two\","
                    + "\"previous_response_id\":\"" + id + "\"}");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("reply 2 to: two", json(r).string("output_text"));
            assertEquals(1, g.sessions.launches.size());
        }
    }

    @Test
    void itemReferencesResolveToKeptOutputItems() {
        try (GatewayFixture g = GatewayFixture.start()) {
            JsonObject first = json(g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":[{\"role\":\"user\","
                    + "\"content\":[{\"type\":\"input_text\",\"text\":\"one\"}]}]}"));
            String item = ((JsonString) at(first, "output", "0", "id")).value();
            HttpResponse<String> r = g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":[{\"role\":\"user\","
                    + "\"content\":\"one\"},{\"type\":\"item_reference\",\"id\":\"" + item + "\"},"
                    + "{\"type\":\"message\",\"role\":\"user\",\"content\":\"two\"}]}");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("reply 2 to: two", json(r).string("output_text"));
            assertEquals(1, g.sessions.launches.size());
        }
    }

    @Test
    void anUnknownPreviousResponseIsA404() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"x\","
                    + "\"previous_response_id\":\"resp_local_nope\"}");
            assertEquals(404, r.statusCode(), r.body());
            assertEquals(new JsonString("previous_response_not_found"), at(json(r), "error", "code"));
            assertEquals(new JsonString("previous_response_id"), at(json(r), "error", "param"));
        }
    }

    @Test
    void anUnknownResponseIdOnGetIsA404WithoutThePreviousResponseCode() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.get("/v1/responses/resp_local_nope");
            assertEquals(404, r.statusCode(), r.body());
            assertEquals(JsonNull.INSTANCE, at(json(r), "error", "code"), r.body());
            assertEquals(JsonNull.INSTANCE, at(json(r), "error", "param"), r.body());
        }
    }

    @Test
    void storeFalseKeepsNothing() {
        try (GatewayFixture g = GatewayFixture.start()) {
            String id = json(g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"x\",\"store\":false}"))
                    .string("id");
            assertEquals(404, g.get("/v1/responses/" + id).statusCode());
            String kept = json(g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"y\"}")).string("id");
            HttpResponse<String> r = g.get("/v1/responses/" + kept);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(kept, json(r).string("id"));
        }
    }

    @Test
    void theGatewayKeepsAsManyResponsesAsConfigured() {
        try (GatewayFixture g = GatewayFixture.start(c -> c.responsesKept(1))) {
            String first = json(g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"a\"}")).string("id");
            String second = json(g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"b\"}")).string("id");
            assertEquals(404, g.get("/v1/responses/" + first).statusCode());
            assertEquals(200, g.get("/v1/responses/" + second).statusCode());
        }
    }

    @Test
    void deleteForgetsAKeptResponse() throws Exception {
        try (GatewayFixture g = GatewayFixture.start(); java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            String id = json(g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"a\"}")).string("id");
            HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(g.uri("/v1/responses/" + id)).DELETE()
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(new claude.code.api.json.JsonBool(true), json(r).get("deleted"));
            assertEquals(404, g.get("/v1/responses/" + id).statusCode());
        }
    }

    @Test
    void aBadItemIsA400NamingItsIndexAndField() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":[{\"role\":\"user\","
                    + "\"content\":\"a\"},{\"type\":\"function_call_output\",\"output\":\"o\"}]}");
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(((JsonString) at(json(r), "error", "message")).value().startsWith("input[1].call_id:"), r.body());
        }
    }

    @Test
    void aStreamSendsTheResponseEventsInOrder() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"Hi\",\"stream\":true}");
            assertEquals(200, r.statusCode());
            List<GatewayFixture.Sse> events = GatewayFixture.sse(r.body()).stream().filter(e -> !":".equals(e.event())).toList();
            List<String> types = events.stream().map(GatewayFixture.Sse::event).toList();
            assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                    "response.content_part.added", "response.output_text.delta", "response.output_text.done",
                    "response.content_part.done", "response.output_item.done", "response.completed"), types);
            for (int i = 0; i < events.size(); i++) {
                assertEquals(JsonNumber.of(i), events.get(i).json().get("sequence_number"));
            }
            assertEquals(new JsonString("reply 1 to: Hi"), at(events.getLast().json(), "response", "output_text"));
        }
    }
}
