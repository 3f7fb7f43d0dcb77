/**
 * What a conversation holds and what a turn produces: {@link claude.code.api.events.Message}s (a
 * role and content blocks, the input of a turn), typed events and content blocks, as sealed
 * interfaces and records.
 *
 * <p>A turn is an {@link claude.code.api.events.EventStream}: the {@link claude.code.api.events.AssistantMessage}
 * and {@link claude.code.api.events.UserMessage} records the CLI writes while it works (text, thinking,
 * tool use, tool results), {@link claude.code.api.events.SystemMessage}s, and last a synthesized
 * {@link claude.code.api.events.ResultMessage}. Walk them with a pattern-matching {@code switch}.
 *
 * <p>{@link claude.code.api.events.ContentBlock}s have the Anthropic Messages API wire shape
 * ({@code toJson()} / {@code fromJson}), the same in transcripts, API requests and seeded history.
 */
package claude.code.api.events;
