package claude.code.api.session;

import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonBool;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.json.JsonValue;
import claude.code.api.options.ClientTool;
import claude.code.api.options.ClientToolSet;
import claude.code.api.options.ToolChoice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A change the relay makes to the body of one of the conversation's own (main-loop) model API requests: the one
 * exception to "the relay forwards the CLI's requests unchanged" (docs/CLI-BEHAVIOUR.md#relay-amendments). Never
 * applied to side queries, count_tokens or a sub-agent's calls, never to headers; a request without amendments is
 * forwarded byte for byte.
 *
 * <p>Each amendment is a total function of the request: a request without the shape it changes (no tool result to
 * put text after, no marker message) is returned as it is, the same object, so the relay can tell that nothing
 * changed and keep the CLI's bytes.
 */
public sealed interface RequestAmendment {

    /** The request with this amendment; {@code request} itself when there is nothing to change. */
    JsonObject apply(JsonObject request);

    /**
     * Sets {@code tool_choice}. A forcing choice ({@code any}, {@code tool}) also takes the request's
     * {@code thinking} out, and the {@code clear_thinking_*} edits of {@code context_management} that need it: the API
     * does not allow thinking with forced tool use, and the CLI sends {@code thinking} on every main-loop call.
     *
     * @param toolChoice the API's {@code tool_choice} object, tool names as the model sees them
     */
    record SetToolChoice(JsonObject toolChoice) implements RequestAmendment {
        public SetToolChoice {
            Objects.requireNonNull(toolChoice, "toolChoice");
        }

        @Override
        public JsonObject apply(JsonObject request) {
            JsonObject out = request.with("tool_choice", toolChoice);
            String type = toolChoice.string("type", "");
            if (!type.equals("any") && !type.equals("tool")) {
                return out;
            }
            out = out.without("thinking");
            if (out.get("context_management") instanceof JsonObject cm && cm.get("edits") instanceof JsonArray edits) {
                List<JsonValue> kept = edits.stream().filter(e -> !(e instanceof JsonObject o
                        && o.string("type", "").startsWith("clear_thinking_"))).toList();
                if (kept.size() != edits.size()) {
                    out = kept.isEmpty() && cm.size() == 1 ? out.without("context_management")
                            : out.with("context_management", cm.with("edits", JsonArray.of(kept)));
                }
            }
            return out;
        }
    }

    /**
     * Appends content blocks (the client's text beside its tool results) after the {@code tool_result} blocks of the
     * request's last user message, as the API gives the model both in one user message. A request whose last user
     * message holds no tool result is left as it is.
     *
     * @param blocks content blocks in the API's shape
     */
    record AppendAfterToolResults(List<JsonObject> blocks) implements RequestAmendment {
        public AppendAfterToolResults {
            blocks = List.copyOf(blocks);
        }

        @Override
        public JsonObject apply(JsonObject request) {
            if (blocks.isEmpty() || !(request.get("messages") instanceof JsonArray messages)) {
                return request;
            }
            for (int i = messages.size() - 1; i >= 0; i--) {
                if (messages.get(i) instanceof JsonObject m && "user".equals(m.string("role", null))) {
                    if (!(m.get("content") instanceof JsonArray content) || content.stream().noneMatch(
                            b -> b instanceof JsonObject o && "tool_result".equals(o.string("type", null)))) {
                        return request;
                    }
                    List<JsonValue> amended = new ArrayList<>(content.elements());
                    amended.addAll(blocks);
                    List<JsonValue> all = new ArrayList<>(messages.elements());
                    all.set(i, m.with("content", JsonArray.of(amended)));
                    return request.with("messages", JsonArray.of(all));
                }
            }
            return request;
        }
    }

    /**
     * Puts the {@code tool_result} blocks of the request's last user message in the order of {@code toolUseIds} (the
     * model's order of its calls), each in one of the places the results held, the other blocks where they are. The
     * CLI lists the results of parallel calls in the order their answers reached it, which a client's answers in
     * one request do not fix. A request already in that order, or whose last user message holds no result, is left
     * as it is.
     *
     * @param toolUseIds the ids in the order wanted; results of other ids keep their places
     */
    record OrderToolResults(List<String> toolUseIds) implements RequestAmendment {
        public OrderToolResults {
            toolUseIds = List.copyOf(toolUseIds);
        }

        @Override
        public JsonObject apply(JsonObject request) {
            if (!(request.get("messages") instanceof JsonArray messages)) {
                return request;
            }
            int at = messages.size() - 1; // the CLI may put entries of its own after the last user message
            while (at >= 0 && !(messages.get(at) instanceof JsonObject m && "user".equals(m.string("role", null)))) {
                at--;
            }
            if (at < 0 || !(((JsonObject) messages.get(at)).get("content") instanceof JsonArray content)) {
                return request;
            }
            JsonObject last = (JsonObject) messages.get(at);
            List<Integer> places = new ArrayList<>();
            List<JsonObject> ordered = new ArrayList<>();
            for (int i = 0; i < content.size(); i++) {
                if (content.get(i) instanceof JsonObject b && "tool_result".equals(b.string("type", null))
                        && toolUseIds.contains(b.string("tool_use_id", null))) {
                    places.add(i);
                    ordered.add(b);
                }
            }
            ordered.sort(Comparator.comparingInt(b -> toolUseIds.indexOf(b.string("tool_use_id", null))));
            List<JsonValue> amended = new ArrayList<>(content.elements());
            boolean changed = false;
            for (int k = 0; k < places.size(); k++) {
                changed |= amended.set(places.get(k), ordered.get(k)) != ordered.get(k);
            }
            if (!changed) {
                return request;
            }
            List<JsonValue> all = new ArrayList<>(messages.elements());
            all.set(at, last.with("content", JsonArray.of(amended)));
            return request.with("messages", JsonArray.of(all));
        }
    }

    /**
     * Puts the true history in place of a marker: every user message whose text is {@code marker} (the CLI's record
     * of the prompt we typed for it) is replaced by {@code messages}. Blocks the CLI added beside the marker go in
     * front of the first replacing user message, and a {@code cache_control} on the marker's block moves to the
     * last block of the replacement, so the CLI's own additions and cache breakpoint stay.
     *
     * @param marker a per-session random text that no client writes
     * @param messages the messages in the API's shape, starting with a user message
     */
    record ReplaceMarker(String marker, List<JsonObject> messages) implements RequestAmendment {
        public ReplaceMarker {
            Objects.requireNonNull(marker, "marker");
            messages = List.copyOf(messages);
            if (messages.isEmpty() || !"user".equals(messages.getFirst().string("role", null))) {
                throw new IllegalArgumentException("a marker is replaced by messages that start with a user message");
            }
        }

        @Override
        public JsonObject apply(JsonObject request) {
            if (!(request.get("messages") instanceof JsonArray all)) {
                return request;
            }
            List<JsonValue> out = null;
            for (int i = 0; i < all.size(); i++) {
                List<JsonValue> replacement = all.get(i) instanceof JsonObject m ? replacement(m) : null;
                if (replacement != null && out == null) {
                    out = new ArrayList<>(all.elements().subList(0, i));
                }
                if (out != null) {
                    if (replacement != null) {
                        out.addAll(replacement);
                    } else {
                        out.add(all.get(i));
                    }
                }
            }
            return out == null ? request : request.with("messages", JsonArray.of(out));
        }

        /** The messages in place of {@code message}, or {@code null} when it is not the marker's. */
        private List<JsonValue> replacement(JsonObject message) {
            if (!"user".equals(message.string("role", null))) {
                return null;
            }
            List<JsonValue> besides = new ArrayList<>();
            JsonValue cacheControl = null;
            switch (message.get("content")) {
                case JsonString s when s.value().strip().equals(marker) -> {}
                case JsonArray blocks -> {
                    boolean found = false;
                    for (JsonValue b : blocks) {
                        if (!found && b instanceof JsonObject o && "text".equals(o.string("type", null))
                                && o.string("text", "").strip().equals(marker)) {
                            found = true;
                            cacheControl = o.get("cache_control");
                        } else {
                            besides.add(b);
                        }
                    }
                    if (!found) {
                        return null;
                    }
                }
                case null, default -> {
                    return null;
                }
            }
            List<JsonValue> out = new ArrayList<>(messages);
            if (!besides.isEmpty()) {
                JsonObject first = messages.getFirst();
                List<JsonValue> content = new ArrayList<>(besides);
                content.addAll(blocksOf(first));
                out.set(0, first.with("content", JsonArray.of(content)));
            }
            if (cacheControl != null) {
                JsonObject last = (JsonObject) out.getLast();
                List<JsonValue> content = new ArrayList<>(blocksOf(last));
                if (!content.isEmpty() && content.getLast() instanceof JsonObject block) {
                    content.set(content.size() - 1, block.with("cache_control", cacheControl));
                    out.set(out.size() - 1, last.with("content", JsonArray.of(content)));
                }
            }
            return out;
        }

        private static List<JsonValue> blocksOf(JsonObject message) {
            return switch (message.get("content")) {
                case JsonArray a -> a.elements();
                case JsonString s -> List.of(JsonObject.builder().put("type", "text").put("text", s.value()).build());
                case null, default -> List.of();
            };
        }
    }

    /**
     * Puts a block the CLI cannot be given by typing (a client's document) where the typed prompt carries its marker
     * (docs/CLI-BEHAVIOUR.md#relay-pdfs): in every user message, a text holding {@code marker} (the message's string
     * content, one of its text blocks, or the text of one of its {@code tool_result} blocks) is cut around it, and
     * {@code block} goes between the two parts. The whitespace around the marker (the blank line we type between the
     * client's blocks) goes with it, and a part left blank is dropped (the API refuses blank text blocks); a
     * {@code cache_control} on the cut text block moves to the last block put in its place. A request without the
     * marker is left as it is.
     *
     * @param marker a random text that no client writes ({@code doc-<32 hex>}), one per block
     * @param block the block in the API's shape, as the client sent it
     */
    record PlaceAtMarker(String marker, JsonObject block) implements RequestAmendment {
        public PlaceAtMarker {
            Objects.requireNonNull(marker, "marker");
            Objects.requireNonNull(block, "block");
            if (marker.isBlank()) {
                throw new IllegalArgumentException("marker: must not be blank");
            }
        }

        @Override
        public JsonObject apply(JsonObject request) {
            if (!(request.get("messages") instanceof JsonArray messages)) {
                return request;
            }
            List<JsonValue> out = null;
            for (int i = 0; i < messages.size(); i++) {
                if (messages.get(i) instanceof JsonObject m && "user".equals(m.string("role", null))) {
                    JsonValue content = placed(m.get("content"), true);
                    if (content != null) {
                        if (out == null) {
                            out = new ArrayList<>(messages.elements());
                        }
                        out.set(i, m.with("content", content));
                    }
                }
            }
            return out == null ? request : request.with("messages", JsonArray.of(out));
        }

        /**
         * {@code content} (a message's or a tool result's) with the block at the marker; {@code null} when it holds
         * no marker.
         *
         * @param inResults look into the tool results among the blocks (a message's content, not a result's)
         */
        private JsonValue placed(JsonValue content, boolean inResults) {
            switch (content) {
                case JsonString s when s.value().contains(marker) -> {
                    return JsonArray.of(cut(s.value(), null));
                }
                case JsonArray blocks -> {
                    List<JsonValue> out = null;
                    for (int k = 0; k < blocks.size(); k++) {
                        List<JsonValue> replacement = null;
                        if (blocks.get(k) instanceof JsonObject b) {
                            String type = b.string("type", "");
                            if (type.equals("text") && b.string("text", "").contains(marker)) {
                                replacement = cut(b.string("text", ""), b);
                            } else if (inResults && type.equals("tool_result")
                                    && placed(b.get("content"), false) instanceof JsonValue inner) {
                                replacement = List.of(b.with("content", inner));
                            }
                        }
                        if (replacement != null && out == null) {
                            out = new ArrayList<>(blocks.elements().subList(0, k));
                        }
                        if (out != null) {
                            if (replacement != null) {
                                out.addAll(replacement);
                            } else {
                                out.add(blocks.get(k));
                            }
                        }
                    }
                    return out == null ? null : JsonArray.of(out);
                }
                case null, default -> {
                    return null;
                }
            }
        }

        /** The blocks in place of {@code text} (of {@code textBlock}, or a string content when {@code null}). */
        private List<JsonValue> cut(String text, JsonObject textBlock) {
            int at = text.indexOf(marker);
            String before = text.substring(0, at).stripTrailing();
            String after = text.substring(at + marker.length()).stripLeading();
            JsonObject plain = textBlock == null ? JsonObject.builder().put("type", "text").put("text", "").build()
                    : textBlock.without("cache_control");
            List<JsonValue> out = new ArrayList<>(3);
            if (!before.isBlank()) {
                out.add(plain.with("text", JsonString.of(before)));
            }
            out.add(block);
            if (!after.isBlank()) {
                out.add(plain.with("text", JsonString.of(after)));
            }
            if (textBlock != null && textBlock.get("cache_control") instanceof JsonValue cacheControl) {
                out.set(out.size() - 1, ((JsonObject) out.getLast()).with("cache_control", cacheControl));
            }
            return out;
        }
    }

    /**
     * The amendment that sets {@code choice} on a request, the tool named as the model sees it
     * ({@code mcp__c__<name>}); empty for the API's default, which needs no change.
     *
     * @throws IllegalArgumentException when {@code choice} names a tool {@code tools} does not hold
     */
    public static Optional<RequestAmendment> toolChoice(ToolChoice choice, ClientToolSet tools) {
        if (choice.isDefault()) {
            return Optional.empty();
        }
        JsonObject.Builder json = JsonObject.builder().put("type", switch (choice.kind()) {
            case AUTO -> "auto";
            case NONE -> "none";
            case ANY -> "any";
            case TOOL -> "tool";
        });
        if (choice.kind() == ToolChoice.Kind.TOOL) {
            ClientTool tool = tools.tools().stream().filter(t -> t.name().equals(choice.name())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("toolChoice: names the tool \"" + choice.name()
                            + "\", which is not among the client's tools"));
            json.put("name", tool.apiName(ClientToolSet.MCP_SERVER));
        }
        if (choice.disableParallelToolUse()) {
            json.put("disable_parallel_tool_use", JsonBool.TRUE);
        }
        return Optional.of(new SetToolChoice(json.build()));
    }
}
