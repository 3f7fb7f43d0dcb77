package claude.code.api.gateway;

import claude.code.api.events.Message;
import claude.code.api.options.ClientToolSet;
import java.util.List;
import java.util.Objects;

/**
 * A chat request reduced to what the backend can do with it, the same for every API
 * ({@link ChatDialect.Request#turn()}).
 *
 * @param messages the conversation, Anthropic-shaped
 * @param model the requested model id as the client sent it, {@code null} for the gateway's default
 * @param system the client's system prompt, {@code null} for none
 * @param stream answer as a stream of events
 * @param tools the client's tools the model is offered ({@link ToolRequests#resolve}: server tools left out)
 * @param toolChoice the request's tool choice, checked against {@code tools}
 */
record TurnRequest(List<Message> messages, String model, String system, boolean stream, ClientToolSet tools,
        ToolChoice toolChoice) {
    TurnRequest {
        Objects.requireNonNull(tools, "tools");
        Objects.requireNonNull(toolChoice, "toolChoice");
    }

    /**
     * What the backend is asked for beyond the messages: the tool choice over the client's tools, set by the relay on
     * the model API request that answers this one; nothing without client tools (the choice has no tool to apply to).
     */
    claude.code.api.TurnOptions turnOptions() {
        return tools.isEmpty() ? claude.code.api.TurnOptions.DEFAULTS : claude.code.api.TurnOptions.of(toolChoice.forBackend());
    }

    /** A turn without client tools. */
    TurnRequest(List<Message> messages, String model, String system, boolean stream) {
        this(messages, model, system, stream, ClientToolSet.NONE, ToolChoice.AUTO);
    }
}
