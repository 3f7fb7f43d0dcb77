package claude.code.api.events;

import java.nio.file.Path;

/**
 * A transcript line that could not be turned into an event. The turn goes on without it.
 *
 * @param offset the byte offset of the line in the file
 * @param line the line as read (invalid UTF-8 replaced)
 * @param reason what was wrong
 */
public record MessageParseError(Path file, long offset, String line, String reason) {
    private static final int EXCERPT = 200;

    @Override
    public String toString() {
        String excerpt = line.length() <= EXCERPT ? line : line.substring(0, EXCERPT) + "... (" + line.length() + " chars)";
        return "MessageParseError[" + file + " @" + offset + ": " + reason + ": " + excerpt + "]";
    }
}
