package claude.code.api.events;

/** One event of a turn. The last event of every turn is a {@link ResultMessage}. */
public sealed interface Event permits AssistantMessage, UserMessage, SystemMessage, ResultMessage, StreamEvent {}
