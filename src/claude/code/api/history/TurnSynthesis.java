package claude.code.api.history;

import claude.code.api.events.AssistantMessage;
import claude.code.api.events.Event;
import claude.code.api.events.Message;
import claude.code.api.events.UserMessage;
import java.util.ArrayList;
import java.util.List;

/** A turn's events rendered as the messages the Messages API saw during the turn, as a client would echo them back. */
public final class TurnSynthesis {
    private TurnSynthesis() {}

    /**
     * The turn's assistant ↔ tool cycle as Anthropic-shape messages: every model message (its
     * blocks: text, thinking with signature, tool use), and every user record that carries tool
     * results, in order; the CLI's one-record-per-block assistant messages are merged back into
     * one message. Left out: the echoed prompt, {@code isMeta} records, the CLI's notes (such as
     * {@code [Request interrupted by user]}) and the CLI's own API-error messages. Tool results
     * keep {@code is_error} only when it was present.
     */
    public static List<Message> synthesize(List<? extends Event> events) {
        List<Message> out = new ArrayList<>();
        for (Event e : events) {
            switch (e) {
                case AssistantMessage a when !a.isApiError() -> out.add(new Message(Message.Role.ASSISTANT, a.content()));
                case UserMessage u when !u.prompt() && !u.meta() && u.hasToolResult() ->
                        out.add(new Message(Message.Role.USER, u.content()));
                default -> {}
            }
        }
        return Message.mergeAdjacent(out);
    }
}
