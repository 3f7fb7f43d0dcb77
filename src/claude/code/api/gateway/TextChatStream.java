package claude.code.api.gateway;

import claude.code.api.events.ContentBlock;
import claude.code.api.events.StreamEvent.BlockHead;
import claude.code.api.events.StreamEvent.Delta;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream of an API that carries an answer as one text (OpenAI's): whole text blocks and text
 * deltas alike become pieces of {@link JoinedText}, which the dialect sends with {@link #sendText};
 * calls of the client's tools become function calls, numbered in the order they come, their
 * arguments (a JSON text) sent as the pieces the model streamed them in, or whole for a whole block;
 * other blocks and deltas are not shown.
 */
abstract class TextChatStream implements ChatStream {
    /** The answer's text so far. */
    final JoinedText text = new JoinedText();
    /** The answer's function calls so far, in order; the last one may be open. */
    final List<FunctionCall> calls = new ArrayList<>();
    private boolean callOpen;

    /** One function call: the tool use's id (the call id the client answers with), the tool's name, its arguments. */
    static final class FunctionCall {
        final String id;
        final String name;
        private final StringBuilder arguments = new StringBuilder();

        FunctionCall(String id, String name) {
            this.id = id;
            this.name = name;
        }

        /** The arguments so far: the joined pieces (once the call is complete, {@code {}} for a call without input). */
        String arguments() {
            return arguments.toString();
        }
    }

    /** Sends one non-empty piece of the joined text, in the dialect's own event. */
    abstract void sendText(String piece) throws IOException;

    /** A function call begins ({@code calls.get(index)}: its id and name; no arguments yet). */
    abstract void sendCallStart(int index) throws IOException;

    /** One non-empty piece of the open call's arguments. */
    abstract void sendCallArguments(int index, String piece) throws IOException;

    /** The open call is complete ({@code calls.get(index).arguments()} whole). */
    void sendCallStop(int index) throws IOException {}

    @Override
    public final void block(ContentBlock block) throws IOException {
        switch (block) {
            case TextBlock t -> {
                text.start();
                piece(t.text());
                text.stop();
            }
            case ToolUseBlock u -> {
                blockStart(new BlockHead.ToolUse(u.id(), u.name()));
                blockDelta(new Delta.InputJsonDelta(Json.write(u.input())));
                blockStop();
            }
            default -> {}
        }
    }

    @Override
    public final void blockStart(BlockHead head) throws IOException {
        switch (head) {
            case BlockHead.Text t -> text.start();
            case BlockHead.ToolUse u -> {
                calls.add(new FunctionCall(u.id(), u.name()));
                callOpen = true;
                sendCallStart(calls.size() - 1);
            }
            default -> {}
        }
    }

    @Override
    public final void blockDelta(Delta delta) throws IOException {
        if (delta instanceof Delta.TextDelta t && text.open()) {
            piece(t.text());
        } else if (delta instanceof Delta.InputJsonDelta j && callOpen && !j.partialJson().isEmpty()) {
            calls.getLast().arguments.append(j.partialJson());
            sendCallArguments(calls.size() - 1, j.partialJson());
        }
    }

    @Override
    public final void blockStop() throws IOException {
        text.stop();
        if (callOpen) {
            callOpen = false;
            FunctionCall call = calls.getLast();
            if (call.arguments.isEmpty()) { // a call without input: its arguments are still a JSON object
                call.arguments.append("{}");
                sendCallArguments(calls.size() - 1, "{}");
            }
            sendCallStop(calls.size() - 1);
        }
    }

    private void piece(String piece) throws IOException {
        String out = text.piece(piece);
        if (!out.isEmpty()) {
            sendText(out);
        }
    }
}
