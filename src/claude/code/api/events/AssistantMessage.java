package claude.code.api.events;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A message of the model. The CLI writes one record per content block, all sharing
 * {@code messageId}; a turn's event stream carries them as they come.
 *
 * @param uuid the transcript record's uuid
 * @param model the model name ({@code <synthetic>} for the CLI's own error messages)
 * @param stopReason {@code end_turn}, {@code tool_use}, ...; {@code null} for a message cut by an interrupt
 * @param apiError set when this record is the CLI's report of a failed API call, else {@code null}
 */
public record AssistantMessage(String uuid, String messageId, String model, List<ContentBlock> content,
        String stopReason, Usage usage, ApiError apiError) implements Event {

    public AssistantMessage {
        content = List.copyOf(content);
        Objects.requireNonNull(usage, "usage");
    }

    public boolean isApiError() {
        return apiError != null;
    }

    /** The text blocks joined, without separator. */
    public String text() {
        return content.stream().filter(TextBlock.class::isInstance).map(b -> ((TextBlock) b).text())
                .collect(Collectors.joining());
    }

    public boolean hasToolUse() {
        return content.stream().anyMatch(ToolUseBlock.class::isInstance);
    }
}
