package claude.code.api.events;

import claude.code.api.json.JsonObject;

/**
 * A {@code system} record of the CLI, e.g. subtype {@code turn_duration} at the end of a completed turn.
 *
 * @param record the whole transcript record
 */
public record SystemMessage(String uuid, String subtype, JsonObject record) implements Event {}
