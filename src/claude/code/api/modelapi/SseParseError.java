package claude.code.api.modelapi;

/**
 * A line or event of the stream that could not be parsed; the parser skipped it and went on.
 *
 * @param offset the byte offset in the stream where the offending line (or event) starts
 * @param reason what is wrong, naming the field or event
 */
public record SseParseError(long offset, String reason) {}
