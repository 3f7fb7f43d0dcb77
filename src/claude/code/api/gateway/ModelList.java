package claude.code.api.gateway;

import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/models} and {@code /v1/models/{id}}: the model ids offered, {@code default} (the
 * gateway's model), the gateway's {@code --model} and the CLI's aliases. Each entry carries both
 * APIs' fields (Anthropic {@code type}, {@code display_name}, {@code created_at}; OpenAI
 * {@code object}, {@code created}, {@code owned_by}), so one list serves both kinds of client.
 */
final class ModelList {
    private static final List<String> CLI_ALIASES = List.of("sonnet", "opus", "haiku");

    private final List<JsonObject> models;

    /** @param gatewayModel the gateway's {@code --model}, {@code null} for the CLI's default */
    ModelList(String gatewayModel) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        ids.add("default");
        if (gatewayModel != null) {
            ids.add(gatewayModel);
        }
        ids.addAll(CLI_ALIASES);
        this.models = ids.stream().map(id -> JsonObject.builder().put("type", "model").put("id", id)
                .put("display_name", id.equals("default")
                        ? "The gateway's model (" + (gatewayModel == null ? "the CLI's default" : gatewayModel) + ")"
                        : "Claude (" + id + ", as the claude CLI resolves it)")
                .put("created_at", "2025-01-01T00:00:00Z").put("object", "model").put("created", 1735689600L)
                .put("owned_by", new JsonString("anthropic")).build()).toList();
    }

    /** The list page, in the shape both APIs' clients read ({@code data}, plus Anthropic's paging fields). */
    JsonObject list() {
        JsonArray.Builder data = JsonArray.builder();
        models.forEach(data::add);
        return JsonObject.builder().put("object", "list").put("data", data.build()).put("has_more", false)
                .put("first_id", models.getFirst().string("id")).put("last_id", models.getLast().string("id")).build();
    }

    /** The entry of {@code id}, if it is offered. */
    Optional<JsonObject> find(String id) {
        return models.stream().filter(m -> m.string("id").equals(id)).findFirst();
    }
}
