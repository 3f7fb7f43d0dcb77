package claude.code.api;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.Message;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.json.JsonObject;
import claude.code.api.options.ClientToolSet;
import claude.code.api.session.RequestAmendment;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * How a conversation that answers tool calls continues on a new session (docs/CLI-BEHAVIOUR.md#relay-amendments):
 * what is seeded, what is typed, and what the relay puts in place of the typed marker.
 *
 * @param seed the history up to its last assistant message without a tool use (a seed the CLI sends as it is);
 *     empty when there is none, or with {@code concat_message}, where nothing is seeded
 * @param marker the prompt to type: random, per session, never client text
 * @param everyMainCall the marker's message replaced by the rest of the history, in every main-loop request
 */
record SeededContinuation(List<Message> seed, String marker, List<RequestAmendment> everyMainCall) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @param messages the whole conversation, its last message the user turn with the tool results
     * @param tools the backend's client tools: their names in the history become the ones the model saw
     * @param seeded seed the history ({@code native_jsonl}); else the marker stands for all of it
     */
    static SeededContinuation of(List<Message> messages, ClientToolSet tools, boolean seeded) {
        int split = 0;
        for (int i = 0; seeded && i < messages.size() - 1; i++) {
            Message m = messages.get(i);
            if (m.role() == Message.Role.ASSISTANT && m.content().stream().noneMatch(ToolUseBlock.class::isInstance)) {
                split = i + 1;
            }
        }
        List<Message> seed = new ArrayList<>();
        for (Message m : messages.subList(0, split)) {
            seed.add(asModelSawIt(m, tools));
        }
        List<JsonObject> rest = new ArrayList<>();
        for (Message m : messages.subList(split, messages.size())) {
            rest.add(asModelSawIt(m, tools).toJson());
        }
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String marker = "continue-" + HexFormat.of().formatHex(random);
        return new SeededContinuation(List.copyOf(seed), marker,
                List.of(new RequestAmendment.ReplaceMarker(marker, rest)));
    }

    /** {@code message} with each call of a client tool under the name the model called it by, {@code mcp__c__<name>}. */
    static Message asModelSawIt(Message message, ClientToolSet tools) {
        if (message.role() != Message.Role.ASSISTANT || message.content().stream().noneMatch(ToolUseBlock.class::isInstance)) {
            return message;
        }
        List<ContentBlock> content = new ArrayList<>(message.content().size());
        for (ContentBlock b : message.content()) {
            if (b instanceof ToolUseBlock use) {
                String name = tools.tools().stream().filter(t -> t.name().equals(use.name())).findFirst()
                        .map(t -> t.apiName(ClientToolSet.MCP_SERVER)).orElse(use.name());
                content.add(new ToolUseBlock(use.id(), name, use.input()));
            } else {
                content.add(b);
            }
        }
        return new Message(message.role(), content);
    }
}
