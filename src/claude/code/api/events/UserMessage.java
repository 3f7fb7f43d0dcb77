package claude.code.api.events;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A user-side record: the prompt as the CLI received it ({@code prompt} true: the transcript
 * held plain string content), tool results, or the CLI's own notes such as
 * {@code [Request interrupted by user]}.
 *
 * @param meta the CLI marked the record {@code isMeta} (system reminders and the like); only
 *     delivered when asked for
 */
public record UserMessage(String uuid, List<ContentBlock> content, boolean prompt, boolean meta) implements Event {
    public UserMessage {
        content = List.copyOf(content);
    }

    /** The text blocks joined, without separator. */
    public String text() {
        return content.stream().filter(TextBlock.class::isInstance).map(b -> ((TextBlock) b).text())
                .collect(Collectors.joining());
    }

    public boolean hasToolResult() {
        return content.stream().anyMatch(ToolResultBlock.class::isInstance);
    }
}
