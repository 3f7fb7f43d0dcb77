package claude.code.api.gateway;

import claude.code.api.events.Message;
import java.util.List;

/**
 * A chat request reduced to what the backend can do with it, the same for every API
 * ({@link ChatDialect.Request#turn()}).
 *
 * @param messages the conversation, Anthropic-shaped
 * @param model the requested model id as the client sent it, {@code null} for the gateway's default
 * @param system the client's system prompt, {@code null} for none
 * @param stream answer as a stream of events
 */
record TurnRequest(List<Message> messages, String model, String system, boolean stream) {}
