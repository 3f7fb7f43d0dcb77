package claude.code.api.gateway;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonParseException;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import claude.code.api.options.ClientTool;
import claude.code.api.options.ClientToolNameException;
import claude.code.api.options.ClientToolSet;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's {@code tools} and {@code tool_choice} in each API's shape, read into the client tool set a backend
 * offers and a {@link ToolChoice}. The rules, the same for every API:
 * <ul>
 *   <li>a client tool (Anthropic custom, OpenAI {@code function}) keeps its schema exactly as given
 *       ({@code $schema} included); unknown tool fields ({@code cache_control}, {@code strict},
 *       {@code eager_input_streaming}) are ignored; a bad definition is a 400 naming {@code tools[i].field}, a name
 *       the CLI cannot offer under the API's limits one naming the tool;
 *   <li>server and built-in tools the CLI cannot provide ({@code web_search}, {@code code_execution},
 *       {@code computer_*}, {@code bash_*}, {@code text_editor_*}, {@code file_search}, {@code code_interpreter},
 *       {@code namespace}, unknown types) are left out when merely offered (the model cannot call them, which
 *       cannot make an answer wrong; said once in the log) and a 400 naming the tool when {@code tool_choice}
 *       forces one;
 *   <li>every {@code tool_choice} over client tools ({@code auto}, {@code none}, {@code any}/{@code required}, a named
 *       tool, parallel use disabled) is honoured: the relay sets it on the model API request that answers the client's
 *       ({@link TurnRequest#turnOptions()}); one naming a tool not offered is a 400, as the API's.
 * </ul>
 */
final class ToolRequests {
    private ToolRequests() {}

    /**
     * The tools of a request, split in two.
     *
     * @param notProvidable names (or, without a name, types) of the server and built-in tools left out
     */
    record Offer(List<ClientTool> tools, List<String> notProvidable) {
        static final Offer NONE = new Offer(List.of(), List.of());
    }

    /** Reads one tool; {@code null} when it is a tool the CLI cannot provide. */
    private interface ToolReader {
        ClientTool read(JsonObject tool, String at) throws HttpError;
    }

    // --- tools ------------------------------------------------------------------------------------

    /** Anthropic {@code tools}: a custom tool has no type or type {@code custom}; every other type is a server tool. */
    static Offer anthropic(JsonArray tools) throws HttpError {
        return read(tools, "tools", (tool, at) -> {
            String type = FieldPolicy.string(tool, "type");
            if (type != null && !type.equals("custom")) {
                return null;
            }
            return tool(tool, at, requiredObject(tool, "input_schema", at));
        });
    }

    /** OpenAI chat {@code tools}: {@code {type: function, function: {name, description, parameters, strict}}}. */
    static Offer openAiChat(JsonArray tools) throws HttpError {
        return read(tools, "tools", (tool, at) -> {
            if (!"function".equals(requiredString(tool, "type", at))) {
                return null;
            }
            JsonObject function = requiredObject(tool, "function", at);
            return function(function, at + ".function");
        });
    }

    /** OpenAI's legacy {@code functions}: each entry a function definition. */
    static Offer openAiFunctions(JsonArray functions) throws HttpError {
        return read(functions, "functions", ToolRequests::function);
    }

    /** Responses {@code tools}: {@code {type: function, name, description, parameters, strict}}. */
    static Offer responses(JsonArray tools) throws HttpError {
        return read(tools, "tools", (tool, at) -> {
            if (!"function".equals(requiredString(tool, "type", at))) {
                return null;
            }
            return function(tool, at);
        });
    }

    private static ClientTool function(JsonObject function, String at) throws HttpError {
        // "parameters" may be left out for a function without arguments; an MCP input schema is an object
        JsonObject schema = field(() -> FieldPolicy.object(function, "parameters"), at);
        return tool(function, at, schema == null ? JsonObject.builder().put("type", "object").build() : schema, "parameters");
    }

    private static ClientTool tool(JsonObject tool, String at, JsonObject schema) throws HttpError {
        return tool(tool, at, schema, "input_schema");
    }

    private static ClientTool tool(JsonObject tool, String at, JsonObject schema, String schemaField) throws HttpError {
        String name = requiredString(tool, "name", at);
        String description = field(() -> FieldPolicy.string(tool, "description"), at);
        if (schema.get("type") != null && !(schema.get("type") instanceof JsonString s && s.value().equals("object"))) {
            throw HttpError.badRequest(at + "." + schemaField + ".type: a tool's input schema must be of type \"object\"");
        }
        ClientTool read = new ClientTool(name, description == null ? "" : description, schema, false);
        try {
            read.checkName(ClientToolSet.MCP_SERVER);
        } catch (ClientToolNameException e) {
            throw HttpError.badRequest(at + ".name: " + e.getMessage());
        }
        return read;
    }

    private static Offer read(JsonArray list, String field, ToolReader reader) throws HttpError {
        if (list == null) {
            return Offer.NONE;
        }
        List<ClientTool> tools = new ArrayList<>();
        List<String> notProvidable = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = field + "[" + i + "]";
            if (!(list.get(i) instanceof JsonObject tool)) {
                throw HttpError.badRequest(at + ": expected an object, found " + Json.describeType(list.get(i)));
            }
            ClientTool read = reader.read(tool, at);
            if (read == null) {
                String name = tool.get("name") instanceof JsonString s ? s.value()
                        : tool.get("type") instanceof JsonString t ? t.value() : "?";
                notProvidable.add(name);
            } else {
                tools.add(read);
            }
        }
        return new Offer(tools, notProvidable);
    }

    // --- tool_choice ------------------------------------------------------------------------------

    /** Anthropic {@code tool_choice}: {@code {type: auto|any|none|tool, name, disable_parallel_tool_use}}. */
    static ToolChoice anthropicChoice(JsonObject body) throws HttpError {
        JsonObject choice = FieldPolicy.object(body, "tool_choice");
        if (choice == null) {
            return ToolChoice.AUTO;
        }
        String type = requiredString(choice, "type", "tool_choice");
        boolean parallel = !field(() -> FieldPolicy.bool(choice, "disable_parallel_tool_use"), "tool_choice");
        ToolChoice read = switch (type) {
            case "auto" -> ToolChoice.AUTO;
            case "none" -> new ToolChoice(ToolChoice.Kind.NONE, null, true);
            case "any" -> new ToolChoice(ToolChoice.Kind.ANY, null, true);
            case "tool" -> new ToolChoice(ToolChoice.Kind.TOOL, requiredString(choice, "name", "tool_choice"), true);
            default -> throw HttpError.badRequest("tool_choice.type: \"" + FieldPolicy.printable(type)
                    + "\" is not a tool choice (auto, any, tool, none)");
        };
        return read.withParallel(parallel);
    }

    /**
     * OpenAI chat {@code tool_choice} ({@code "auto"|"none"|"required"}, {@code {type: function, function: {name}}},
     * {@code {type: auto}}) and {@code parallel_tool_calls}; without {@code tool_choice}, the legacy
     * {@code function_call} ({@code "auto"|"none"|{name}}).
     */
    static ToolChoice openAiChatChoice(JsonObject body) throws HttpError {
        JsonValue choice = body.get("tool_choice");
        ToolChoice read;
        if (choice == null || choice instanceof JsonNull) {
            read = legacyFunctionCall(body.get("function_call"));
        } else {
            read = openAiChoice(choice, "tool_choice", named -> {
                JsonObject function = requiredObject(named, "function", "tool_choice");
                return requiredString(function, "name", "tool_choice.function");
            });
        }
        return read.withParallel(parallel(body));
    }

    /** Responses {@code tool_choice}: as chat's, a named function flat ({@code {type: function, name}}). */
    static ToolChoice responsesChoice(JsonObject body) throws HttpError {
        JsonValue choice = body.get("tool_choice");
        ToolChoice read = choice == null || choice instanceof JsonNull ? ToolChoice.AUTO
                : openAiChoice(choice, "tool_choice", named -> requiredString(named, "name", "tool_choice"));
        return read.withParallel(parallel(body));
    }

    private interface NameReader {
        String name(JsonObject choice) throws HttpError;
    }

    private static ToolChoice openAiChoice(JsonValue choice, String field, NameReader functionName) throws HttpError {
        return switch (choice) {
            case JsonString s -> mode(s.value(), field);
            case JsonObject o -> {
                String type = requiredString(o, "type", field);
                yield switch (type) {
                    case "auto", "none", "required" -> mode(type, field);
                    case "function" -> new ToolChoice(ToolChoice.Kind.TOOL, functionName.name(o), true);
                    case "allowed_tools" -> throw HttpError.badRequest(field + ": {\"type\":\"allowed_tools\"} is not "
                            + "supported (send only the allowed tools in tools)");
                    // a forced built-in tool (web_search_preview, file_search, ...) or a custom tool: named by type
                    default -> new ToolChoice(ToolChoice.Kind.TOOL, o.get("name") instanceof JsonString n ? n.value()
                            : o.get("custom") instanceof JsonObject c && c.get("name") instanceof JsonString n ? n.value()
                            : type, true);
                };
            }
            default -> throw FieldPolicy.wrongType(field, choice, "\"auto\", \"none\", \"required\" or an object");
        };
    }

    private static ToolChoice mode(String mode, String field) throws HttpError {
        return switch (mode) {
            case "auto" -> ToolChoice.AUTO;
            case "none" -> new ToolChoice(ToolChoice.Kind.NONE, null, true);
            case "required" -> new ToolChoice(ToolChoice.Kind.ANY, null, true);
            default -> throw HttpError.badRequest(field + ": \"" + FieldPolicy.printable(mode)
                    + "\" is not a tool choice (auto, none, required, or a named function)");
        };
    }

    private static ToolChoice legacyFunctionCall(JsonValue call) throws HttpError {
        return switch (call) {
            case null -> ToolChoice.AUTO;
            case JsonNull n -> ToolChoice.AUTO;
            case JsonString s when s.value().equals("auto") -> ToolChoice.AUTO;
            case JsonString s when s.value().equals("none") -> new ToolChoice(ToolChoice.Kind.NONE, null, true);
            case JsonObject o -> new ToolChoice(ToolChoice.Kind.TOOL, requiredString(o, "name", "function_call"), true);
            default -> throw HttpError.badRequest("function_call: expected \"auto\", \"none\" or {\"name\":...}");
        };
    }

    private static boolean parallel(JsonObject body) throws HttpError {
        JsonValue v = body.get("parallel_tool_calls");
        return v == null || v instanceof JsonNull || FieldPolicy.bool(body, "parallel_tool_calls");
    }

    // --- the decision -----------------------------------------------------------------------------

    /**
     * The tool set a request runs with: the client tools offered, the server and built-in ones left out (said once
     * per API and tool), and the choice checked against them.
     *
     * @param anyName how this API spells "at least one tool" ({@code any}, {@code required})
     * @throws HttpError 400 when the choice forces a tool that is not offered or cannot be provided
     */
    static ClientToolSet resolve(String api, Offer offer, ToolChoice choice, FieldPolicy policy, String anyName)
            throws HttpError {
        ClientToolSet set;
        try {
            set = new ClientToolSet(offer.tools());
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        for (String left : offer.notProvidable()) {
            policy.ignored(api, "tools." + left, "a server or built-in tool the CLI cannot provide; left out");
        }
        switch (choice.kind()) {
            case TOOL -> {
                if (offer.notProvidable().contains(choice.name())) {
                    throw HttpError.badRequest("tool_choice: forces \"" + FieldPolicy.printable(choice.name()) + "\", a "
                            + "server or built-in tool the CLI cannot provide");
                }
                if (!set.contains(choice.name())) {
                    throw HttpError.badRequest("tool_choice: names the tool \"" + FieldPolicy.printable(choice.name())
                            + "\", which is not in tools");
                }
            }
            case ANY -> {
                if (set.isEmpty()) {
                    throw HttpError.badRequest("tool_choice: \"" + anyName + "\" forces a tool call, but no tool the CLI "
                            + "can provide is offered" + (offer.notProvidable().isEmpty() ? ""
                            : " (server and built-in tools are left out: " + String.join(", ",
                                    offer.notProvidable().stream().map(FieldPolicy::printable).toList()) + ")"));
                }
            }
            case AUTO, NONE -> {}
        }
        // Every choice over client tools is honoured: the relay sets it on the model API request that answers this one
        // (docs/CLI-BEHAVIOUR.md#relay-amendments), names as the model sees them, parallel use as the API says it.
        return set;
    }

    // --- echoed calls ----------------------------------------------------------------------------

    /**
     * An OpenAI call's {@code arguments} (a JSON text) as the tool_use input it stands for: the parsed object, so a
     * client that re-serialises it with other spacing or key order echoes the same history (fingerprints compare
     * JSON values). Absent or blank: no arguments.
     */
    static JsonObject arguments(JsonValue arguments, String at) throws HttpError {
        return switch (arguments) {
            case null -> JsonObject.EMPTY;
            case JsonNull n -> JsonObject.EMPTY;
            case JsonString s when s.value().isBlank() -> JsonObject.EMPTY;
            case JsonString s -> {
                JsonValue parsed;
                try {
                    parsed = Json.parse(s.value());
                } catch (JsonParseException e) {
                    throw HttpError.badRequest(at + ": not valid JSON: " + e.getMessage());
                }
                if (!(parsed instanceof JsonObject o)) {
                    throw HttpError.badRequest(at + ": not a JSON object");
                }
                yield o;
            }
            case JsonValue other -> throw FieldPolicy.wrongType(at, other, "a string holding a JSON object");
        };
    }

    // --- fields -----------------------------------------------------------------------------------

    private interface FieldRead<T> {
        T read() throws HttpError;
    }

    /** A FieldPolicy read inside a tool, its error prefixed with the tool's path. */
    private static <T> T field(FieldRead<T> read, String at) throws HttpError {
        try {
            return read.read();
        } catch (HttpError e) {
            throw HttpError.badRequest(at + "." + e.getMessage());
        }
    }

    private static String requiredString(JsonObject o, String field, String at) throws HttpError {
        String value = field(() -> FieldPolicy.string(o, field), at);
        if (value == null) {
            throw HttpError.badRequest(at + "." + field + ": missing; expected a string");
        }
        return value;
    }

    private static JsonObject requiredObject(JsonObject o, String field, String at) throws HttpError {
        JsonObject value = field(() -> FieldPolicy.object(o, field), at);
        if (value == null) {
            throw HttpError.badRequest(at + "." + field + ": missing; expected an object");
        }
        return value;
    }
}
