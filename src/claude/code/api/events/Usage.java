package claude.code.api.events;

import claude.code.api.json.JsonObject;

/** Token counts of one API response, or the sum over a turn. */
public record Usage(long inputTokens, long outputTokens, long cacheCreationInputTokens, long cacheReadInputTokens) {
    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                cacheCreationInputTokens + other.cacheCreationInputTokens, cacheReadInputTokens + other.cacheReadInputTokens);
    }

    /** Reads the API's {@code usage} object; absent counts are 0. */
    public static Usage fromJson(JsonObject usage) {
        return new Usage(usage.findInteger("input_tokens").orElse(0L), usage.findInteger("output_tokens").orElse(0L),
                usage.findInteger("cache_creation_input_tokens").orElse(0L),
                usage.findInteger("cache_read_input_tokens").orElse(0L));
    }

    public JsonObject toJson() {
        return JsonObject.builder().put("input_tokens", inputTokens).put("output_tokens", outputTokens)
                .put("cache_creation_input_tokens", cacheCreationInputTokens)
                .put("cache_read_input_tokens", cacheReadInputTokens).build();
    }
}
