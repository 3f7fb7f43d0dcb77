package claude.code.api.mcp;

import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a request's tool list into a {@link ToolOffer}. Unknown fields of a tool ({@code cache_control},
 * {@code eager_input_streaming}, {@code strict}) are ignored: clients send them by default.
 */
public final class ClientTools {
    private ClientTools() {}

    /** Anthropic {@code tools}: a custom tool has no type or type {@code custom}; every other type is a server or built-in tool. */
    public static ToolOffer anthropic(JsonArray tools) {
        return read(tools, "tools", tool -> {
            String type = tool.string("type", "custom");
            if (!type.equals("custom")) {
                return null;
            }
            return new ClientTool(tool.string("name"), tool.string("description", ""),
                    tool.object("input_schema"), false);
        });
    }

    /** OpenAI {@code tools}: only {@code type: function} can be provided. */
    public static ToolOffer openAi(JsonArray tools) {
        return read(tools, "tools", tool -> {
            if (!tool.string("type").equals("function")) {
                return null;
            }
            return function(tool.object("function"));
        });
    }

    /** The OpenAI legacy {@code functions}: each entry is a function definition. */
    public static ToolOffer openAiFunctions(JsonArray functions) {
        return read(functions, "functions", ClientTools::function);
    }

    private static ClientTool function(JsonObject function) {
        // "parameters" may be left out for a function without arguments; the MCP schema must be an object.
        JsonObject schema = function.findObject("parameters")
                .orElse(JsonObject.builder().put("type", "object").build());
        return new ClientTool(function.string("name"), function.string("description", ""), schema, false);
    }

    private static ToolOffer read(JsonArray list, String field, Function<JsonObject, ClientTool> reader) {
        List<ClientTool> tools = new ArrayList<>();
        List<String> notProvidable = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonValue element = list.get(i);
            if (!(element instanceof JsonObject tool)) {
                throw new IllegalArgumentException(field + "[" + i + "]: expected an object");
            }
            ClientTool read;
            try {
                read = reader.apply(tool);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + "[" + i + "]: " + e.getMessage(), e);
            }
            if (read == null) {
                notProvidable.add(tool.findString("name").orElse(tool.string("type", "")));
            } else {
                tools.add(read);
            }
        }
        return new ToolOffer(tools, notProvidable);
    }
}
