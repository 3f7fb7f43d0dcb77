package claude.code.api.gateway;

import static claude.code.api.gateway.GatewayFixture.at;
import static claude.code.api.gateway.GatewayFixture.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonBool;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonNumber;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Responses API's input side: media parts, the listed input items of a kept response, the echoed settings. */
class ResponsesInputTest {
    static final String PDF = Base64.getEncoder().encodeToString("%PDF-1.4\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    static String imagePart(String dataUrl) {
        return "{\"type\":\"input_image\",\"image_url\":\"" + dataUrl + "\",\"detail\":\"low\"}";
    }

    static String userWith(String... parts) {
        return "{\"role\":\"user\",\"content\":[" + String.join(",", parts) + "]}";
    }

    static String text(String t) {
        return "{\"type\":\"input_text\",\"text\":\"" + t + "\"}";
    }

    static String body(String... items) {
        return "{\"model\":\"claude-test\",\"input\":[" + String.join(",", items) + "]}";
    }

    static String message(HttpResponse<String> r) {
        return ((JsonString) at(json(r), "error", "message")).value();
    }

    // --- media parts --------------------------------------------------------------------------

    @Test
    void anInputImageDataUrlReachesTheSessionAsTheSameBytes() throws IOException {
        String png = MediaRealCliTest.png(3, 2, 0x336699);
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/responses", body(userWith(text("look"),
                    imagePart("data:image/png;base64," + png))));
            assertEquals(200, r.statusCode(), r.body());
            var attached = g.sessions.sessions.getFirst().attached;
            assertEquals(1, attached.size(), "one prompt with attachments");
            assertArrayEquals(Base64.getDecoder().decode(png), attached.getFirst().getFirst().bytes());
        }
    }

    @Test
    void aContinuationByPreviousResponseIdCarriesItsImageOnTheSameSession() throws IOException {
        String first = MediaRealCliTest.png(2, 2, 0x00ff00);
        String second = MediaRealCliTest.png(4, 4, 0xff0000);
        try (GatewayFixture g = GatewayFixture.start()) {
            String id = json(g.post("/v1/responses", body(userWith(imagePart("data:image/png;base64," + first),
                    text("one"))))).string("id");
            HttpResponse<String> r = g.post("/v1/responses", "{\"model\":\"claude-test\",\"previous_response_id\":\"" + id
                    + "\",\"input\":[" + userWith(text("two"), imagePart("data:image/png;base64," + second)) + "]}");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(1, g.sessions.launches.size(), "the kept history (with its image) found its session");
            var attached = g.sessions.sessions.getFirst().attached;
            assertEquals(2, attached.size());
            assertArrayEquals(Base64.getDecoder().decode(second), attached.get(1).getFirst().bytes());
        }
    }

    @Test
    void aRemoteImageUrlIsRefusedAsOnChatCompletions() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/responses", body(userWith(text("look"),
                    imagePart("https://example.com/cat.png"))));
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(message(r).startsWith("input[0].content[1].source: a url source is not supported: no network is "
                    + "assumed"), message(r));
            assertEquals(0, g.sessions.launches.size());
        }
    }

    @Test
    void aBadImageIsA400NamingThePart() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/responses", body(userWith(text("a")), "{\"role\":\"assistant\",\"content\":"
                    + "\"b\"}", userWith(imagePart("data:image/bmp;base64,AA=="))));
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(message(r).startsWith("input[2].content[0].source.media_type: unsupported media type \"image/bmp\""),
                    message(r));
        }
    }

    @Test
    void aFileIdIsA400NamingTheFieldSinceNoFilesApiIsServed() {
        try (GatewayFixture g = GatewayFixture.start()) {
            for (String part : List.of("{\"type\":\"input_image\",\"file_id\":\"file-abc\",\"detail\":\"auto\"}",
                    "{\"type\":\"input_file\",\"file_id\":\"file-abc\"}")) {
                HttpResponse<String> r = g.post("/v1/responses", body(userWith(text("look"), part)));
                assertEquals(400, r.statusCode(), r.body());
                assertTrue(message(r).startsWith("input[0].content[1].file_id: no file with id 'file-abc'"), message(r));
                assertEquals(new JsonString("input[0].content[1].file_id"), at(json(r), "error", "param"));
            }
            assertEquals(0, g.sessions.launches.size());
        }
    }

    @Test
    void aPdfInTheNewTurnWithoutTheRelayIsRefusedSayingTheRelayCarriesIt() {
        try (GatewayFixture g = GatewayFixture.start()) { // fake sessions: no model-API relay
            HttpResponse<String> r = g.post("/v1/responses", body(userWith(text("read"), "{\"type\":\"input_file\","
                    + "\"filename\":\"a.pdf\",\"file_data\":\"data:application/pdf;base64," + PDF + "\"}")));
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(message(r).startsWith("messages[0].content[1]: document blocks cannot be typed into the Claude "
                    + "Code CLI"), message(r));
            assertTrue(message(r).contains("through the model-API relay"), message(r));
            assertTrue(message(r).contains("earlier in the history it is seeded (native_jsonl)"), message(r));
            assertEquals(0, g.sessions.launches.size());
        }
    }

    @Test
    void aPdfEarlierInTheHistoryIsSeededAsADocument() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/responses", body(userWith("{\"type\":\"input_file\",\"file_data\":"
                    + "\"data:application/pdf;base64," + PDF + "\"}", text("read this")),
                    "{\"role\":\"assistant\",\"content\":\"I read it.\"}", userWith(text("what did it say?"))));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(1, g.sessions.seeds.size());
            assertTrue(g.sessions.seeds.getFirst().contains("\"type\":\"document\"") && g.sessions.seeds.getFirst().contains(PDF),
                    "the seed transcript holds the document");
        }
    }

    @Test
    void fileDataMustBeADataUrl() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/responses", body(userWith(text("read"), "{\"type\":\"input_file\","
                    + "\"file_data\":\"" + PDF + "\"}")));
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(message(r).startsWith("input[0].content[1].file_data: expected a base64 data URL"), message(r));
        }
    }

    @Test
    void mediaPartsOutsideUserMessagesAreA400() {
        try (GatewayFixture g = GatewayFixture.start()) {
            HttpResponse<String> r = g.post("/v1/responses", body("{\"role\":\"developer\",\"content\":["
                    + imagePart("data:image/png;base64,AAAA") + "]}", userWith(text("hi"))));
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(message(r).startsWith("input[0].content[0].type: \"input_image\" parts are supported in user messages "
                    + "only"), message(r));
        }
    }

    // --- input items --------------------------------------------------------------------------

    static List<JsonObject> data(JsonObject list) {
        return ((JsonArray) list.get("data")).stream().map(v -> (JsonObject) v).toList();
    }

    static List<String> texts(List<JsonObject> items) {
        return items.stream().map(i -> ((JsonString) at(i, "content", "0", "text")).value()).toList();
    }

    @Test
    void inputItemsListTheRequestsInputNewestFirstInTheListShape() {
        try (GatewayFixture g = GatewayFixture.start()) {
            String id = json(g.post("/v1/responses", body("{\"role\":\"user\",\"content\":\"one\"}",
                    "{\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"two\"}]}",
                    userWith(text("three"))))).string("id");
            HttpResponse<String> r = g.get("/v1/responses/" + id + "/input_items");
            assertEquals(200, r.statusCode(), r.body());
            JsonObject list = json(r);
            assertEquals("list", list.string("object"));
            List<JsonObject> items = data(list);
            assertEquals(List.of("three", "two", "one"), texts(items), "desc is the default order");
            assertEquals(List.of("user", "assistant", "user"), items.stream().map(i -> i.string("role")).toList());
            assertEquals(new JsonString("input_text"), at(items.get(2), "content", "0", "type"), "a string content is one text part");
            assertEquals(new JsonString("output_text"), at(items.get(1), "content", "0", "type"));
            for (JsonObject item : items) {
                assertTrue(item.string("id").startsWith("msg_"), item.toString());
                assertEquals("message", item.string("type"));
                assertEquals("completed", item.string("status"));
            }
            assertEquals(items.getFirst().get("id"), list.get("first_id"));
            assertEquals(items.getLast().get("id"), list.get("last_id"));
            assertEquals(JsonBool.FALSE, list.get("has_more"));
        }
    }

    @Test
    void inputItemsPageByLimitAndAfterInEitherOrder() {
        try (GatewayFixture g = GatewayFixture.start()) {
            String id = json(g.post("/v1/responses", body("{\"role\":\"user\",\"content\":\"a\"}",
                    "{\"role\":\"assistant\",\"content\":\"b\"}", "{\"role\":\"user\",\"content\":\"c\"}"))).string("id");
            JsonObject first = json(g.get("/v1/responses/" + id + "/input_items?order=asc&limit=2"));
            assertEquals(List.of("a", "b"), texts(data(first)));
            assertEquals(JsonBool.TRUE, first.get("has_more"));
            JsonObject rest = json(g.get("/v1/responses/" + id + "/input_items?order=asc&limit=2&after="
                    + first.string("last_id")));
            assertEquals(List.of("c"), texts(data(rest)));
            assertEquals(JsonBool.FALSE, rest.get("has_more"));
            JsonObject desc = json(g.get("/v1/responses/" + id + "/input_items?limit=1&after=" + rest.string("first_id")));
            assertEquals(List.of("b"), texts(data(desc)), "after the newest, newest first");
        }
    }

    @Test
    void aStringInputIsOneUserMessageItemAndImagesAreListedAsSent() throws IOException {
        String png = MediaRealCliTest.png(2, 2, 0x123456);
        try (GatewayFixture g = GatewayFixture.start()) {
            String plain = json(g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"hello\"}")).string("id");
            List<JsonObject> items = data(json(g.get("/v1/responses/" + plain + "/input_items")));
            assertEquals(List.of("hello"), texts(items));
            assertEquals("user", items.getFirst().string("role"));
            String withImage = json(g.post("/v1/responses", body(userWith(text("look"),
                    imagePart("data:image/png;base64," + png))))).string("id");
            JsonObject item = data(json(g.get("/v1/responses/" + withImage + "/input_items"))).getFirst();
            assertEquals(new JsonString("data:image/png;base64," + png), at(item, "content", "1", "image_url"));
        }
    }

    @Test
    void inputItemsOfAnUnknownOrUnkeptResponseAreA404() {
        try (GatewayFixture g = GatewayFixture.start()) {
            assertEquals(404, g.get("/v1/responses/resp_local_nope/input_items").statusCode());
            String id = json(g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"x\",\"store\":false}")).string("id");
            assertEquals(404, g.get("/v1/responses/" + id + "/input_items").statusCode());
        }
    }

    @Test
    void aBadPageParameterIsA400NamingIt() {
        try (GatewayFixture g = GatewayFixture.start()) {
            String id = json(g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"x\"}")).string("id");
            for (String query : List.of("limit=0", "limit=101", "limit=x", "order=up", "after=msg_nope")) {
                HttpResponse<String> r = g.get("/v1/responses/" + id + "/input_items?" + query);
                assertEquals(400, r.statusCode(), query + ": " + r.body());
                String param = query.substring(0, query.indexOf('='));
                assertEquals(new JsonString(param), at(json(r), "error", "param"), r.body());
                assertTrue(message(r).startsWith(param + ":"), message(r));
            }
        }
    }

    @Test
    void inputItemsAnswerOnlyGet() {
        try (GatewayFixture g = GatewayFixture.start()) {
            String id = json(g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"x\"}")).string("id");
            HttpResponse<String> r = g.post("/v1/responses/" + id + "/input_items", "{}");
            assertEquals(405, r.statusCode(), r.body());
            assertEquals(200, g.get("/v1/responses/" + id).statusCode(), "the response itself is still there");
        }
    }

    // --- kept responses -----------------------------------------------------------------------

    @Test
    void getAnswersTheResponseAsItWasAnswered() {
        try (GatewayFixture g = GatewayFixture.start()) {
            JsonObject created = json(g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"x\",\"metadata\":{\"a\":\"b\"}}"));
            HttpResponse<String> r = g.get("/v1/responses/" + created.string("id"));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(created, json(r));
            HttpResponse<String> replay = g.get("/v1/responses/" + created.string("id") + "?stream=true");
            assertEquals(400, replay.statusCode(), replay.body());
            assertEquals(new JsonString("stream"), at(json(replay), "error", "param"));
        }
    }

    @Test
    void deleteAnswersTheApisDeletedObjectAndForgetsTheInputItems() throws Exception {
        try (GatewayFixture g = GatewayFixture.start()) {
            String id = json(g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"x\"}")).string("id");
            HttpResponse<String> r = g.send(java.net.http.HttpRequest.newBuilder(g.uri("/v1/responses/" + id)).DELETE().build());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(Json.parse("{\"id\":\"" + id + "\",\"object\":\"response.deleted\",\"deleted\":true}"), json(r));
            assertEquals(404, g.get("/v1/responses/" + id + "/input_items").statusCode());
            assertEquals(404, g.send(java.net.http.HttpRequest.newBuilder(g.uri("/v1/responses/" + id)).DELETE().build())
                    .statusCode(), "deleted once");
        }
    }

    // --- echoed settings ----------------------------------------------------------------------

    @Test
    void aResponseEchoesTheRequestSettingsAsGiven() {
        try (GatewayFixture g = GatewayFixture.start()) {
            String request = "{\"model\":\"claude-test\",\"input\":\"x\",\"instructions\":\"Be brief.\","
                    + "\"tools\":[{\"type\":\"web_search\"}],\"tool_choice\":\"none\",\"parallel_tool_calls\":false,"
                    + "\"temperature\":0.2,\"top_p\":0.9,\"metadata\":{\"k\":\"v\"},\"max_output_tokens\":500,"
                    + "\"text\":{\"format\":{\"type\":\"text\"},\"verbosity\":\"low\"},\"truncation\":\"auto\","
                    + "\"user\":\"u1\",\"reasoning\":{\"effort\":\"low\"}}";
            JsonObject sent = Json.parse(request) instanceof JsonObject o ? o : null;
            HttpResponse<String> whole = g.post("/v1/responses", request);
            assertEquals(200, whole.statusCode(), whole.body());
            String streamed = GatewayFixture.sse(g.post("/v1/responses", request.replace("\"input\":\"x\"",
                    "\"input\":\"x\",\"stream\":true")).body()).getFirst().json().object("response").toString();
            for (JsonObject response : List.of(json(whole), (JsonObject) Json.parse(streamed))) {
                for (String field : List.of("instructions", "tools", "tool_choice", "parallel_tool_calls", "temperature",
                        "top_p", "metadata", "max_output_tokens", "text", "truncation", "user", "reasoning")) {
                    assertEquals(sent.get(field), response.get(field), field);
                }
            }
        }
    }

    @Test
    void settingsNotGivenAreTheApisDefaults() {
        try (GatewayFixture g = GatewayFixture.start()) {
            JsonObject r = json(g.post("/v1/responses", "{\"model\":\"claude-test\",\"input\":\"x\"}"));
            assertEquals(JsonArray.EMPTY, r.get("tools"));
            assertEquals(new JsonString("auto"), r.get("tool_choice"));
            assertEquals(JsonBool.TRUE, r.get("parallel_tool_calls"));
            assertEquals(JsonNumber.of(1), r.get("temperature"));
            assertEquals(JsonNumber.of(1), r.get("top_p"));
            assertEquals(JsonNull.INSTANCE, r.get("instructions"));
            assertEquals(JsonNull.INSTANCE, r.get("max_output_tokens"));
            assertEquals(JsonObject.EMPTY, r.get("metadata"));
            assertEquals(new JsonString("disabled"), r.get("truncation"));
            assertEquals(new JsonString("text"), at(r, "text", "format", "type"));
            assertTrue(r.get("completed_at") instanceof JsonNumber, "a completed response has its completion time");
        }
    }

    @Test
    void aFunctionToolIsEchoedWithTheFieldsAResponsesToolAlwaysHas() {
        JsonValue echoed = echoedTools("[{\"type\":\"function\",\"name\":\"f\"}]");
        assertEquals(Json.parse("[{\"type\":\"function\",\"name\":\"f\",\"description\":null,\"parameters\":null,"
                + "\"strict\":true}]"), echoed);
    }

    /** A function tool needs the client-tools bridge to run a turn; its echo is read off a parse alone. */
    static JsonValue echoedTools(String tools) {
        OpenAiResponses dialect = new OpenAiResponses(new ResponseStore(1, java.time.Duration.ofMinutes(1)), "local");
        try {
            return dialect.parse((JsonObject) Json.parse("{\"model\":\"m\",\"input\":\"x\",\"tools\":" + tools + "}"),
                    new FieldPolicy()).echo().get("tools");
        } catch (HttpError e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
