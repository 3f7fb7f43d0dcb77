package claude.code.api.gateway;

import claude.code.api.events.Message;
import java.util.List;

/**
 * A chat request reduced to what the backend can do with it.
 *
 * @param messages the conversation, Anthropic-shaped
 * @param model the requested model id as the client sent it, {@code null} for the gateway's default
 * @param system the client's system prompt, {@code null} for none
 * @param stream answer as a stream of events
 * @param includeUsage (OpenAI streams) send a last chunk with the usage
 */
record TurnRequest(List<Message> messages, String model, String system, boolean stream, boolean includeUsage) {}
