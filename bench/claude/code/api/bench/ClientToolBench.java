package claude.code.api.bench;

import claude.code.api.BackendOptions;
import claude.code.api.ClaudeCodeBackend;
import claude.code.api.events.AssistantMessage;
import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.Message;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import claude.code.api.options.ClientTool;
import claude.code.api.options.ClientToolSet;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.RecordedRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code client_tool_call_overhead_ms} and {@code client_tool_result_overhead_ms} (issue 14): one round trip of a
 * client tool on a warm CLI against the mock, each leg against the mock's own clock, beside a plain text turn of
 * the same session in the same run. Per rep, in one conversation: a prompt the mock answers with a tool_use of the
 * client's tool ({@code CLIENT_TOOL}, see KeywordResponder), its result (the mock then answers with text), and a
 * plain prompt.
 */
final class ClientToolBench {
    private static final ClientToolSet TOOLS = new ClientToolSet(List.of(new ClientTool("lookup", "Looks a query up",
            (JsonObject) Json.parse("{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"}}}"), false)));

    private final Report report;
    private final MockMessagesApi api;
    private final BackendOptions.Builder options;
    private final List<Message> conversation = new ArrayList<>();

    ClientToolBench(Report report, MockMessagesApi api, BackendOptions.Builder options) {
        this.report = report;
        this.api = api;
        this.options = options;
    }

    void run(int reps) {
        List<Long> call = new ArrayList<>();
        List<Long> textReply = new ArrayList<>();
        List<Long> result = new ArrayList<>();
        List<Long> prompt = new ArrayList<>();
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options.maxSessions(1).tools(TOOLS).build())) {
            for (int i = -3; i < reps; i++) { // the first turn is the miss, two more warm up
                Leg toolCall = toolCall(backend, "CLIENT_TOOL look up item " + i);
                Leg toolResult = toolResult(backend, toolCall.call(), "result " + i);
                Leg plain = plainTurn(backend, "plain question " + i);
                if (i >= 0) {
                    call.add(toolCall.nanos());
                    result.add(toolResult.nanos());
                    textReply.add(plain.replyNanos());
                    prompt.add(plain.nanos());
                }
            }
            if (backend.metrics().spawns() != 1) {
                throw new IllegalStateException("expected one warm CLI for every turn: " + backend.metrics());
            }
        }
        Stats c = Stats.ofNanosAsMillis(call);
        Stats t = Stats.ofNanosAsMillis(textReply);
        Stats r = Stats.ofNanosAsMillis(result);
        Stats p = Stats.ofNanosAsMillis(prompt);
        report.add("client_tool_call_overhead_ms_p50", c.median(), "ms", "<= 60", c.median() <= 60,
                "mock sends the tool_use message's message_stop -> the caller's AssistantMessage with the call, warm, "
                        + reps + " reps; " + c);
        report.add("client_tool_call_overhead_ms_p90", c.p90(), "ms", "", null, "");
        report.info("client_tool_call_baseline_text_ms", t.median(), "ms",
                "the same session's plain text reply: mock's message_stop -> the caller's ResultMessage; " + t);
        report.info("client_tool_call_ratio", c.median() / t.median(), "x", "tool call / plain text reply, p50s");
        report.add("client_tool_result_overhead_ms_p50", r.median(), "ms", "<= 60", r.median() <= 60,
                "complete() with the tool result -> the mock receives the continuation request, warm, " + reps + " reps; " + r);
        report.add("client_tool_result_overhead_ms_p90", r.p90(), "ms", "", null, "");
        report.info("client_tool_result_baseline_prompt_ms", p.median(), "ms",
                "the same session's typed prompt: complete() -> the mock receives the request; " + p);
        report.info("client_tool_result_ratio", r.median() / p.median(), "x", "tool result / typed prompt, p50s");
    }

    /** One leg's time; {@code replyNanos} and {@code call} only where the leg has them. */
    private record Leg(long nanos, long replyNanos, AssistantMessage call) {}

    /** The prompt's answer calls the client's tool: mock's message_stop -> the caller has the call. */
    private Leg toolCall(ClaudeCodeBackend backend, String text) {
        conversation.add(Message.user(text));
        long lastSeq = lastSequence();
        AssistantMessage call = null;
        long at = 0;
        ResultMessage end = null;
        try (EventStream turn = backend.complete(conversation)) {
            while (turn.hasNext()) {
                Event e = turn.next();
                if (call == null && e instanceof AssistantMessage m && m.content().stream().anyMatch(b -> b instanceof ToolUseBlock)) {
                    at = System.nanoTime();
                    call = m;
                } else if (e instanceof ResultMessage r) {
                    end = r;
                }
            }
        }
        if (call == null || end == null || end.isError() || !"tool_use".equals(end.stopReason())) {
            throw new IllegalStateException("the turn gave no client tool call: " + end);
        }
        conversation.add(new Message(Message.Role.ASSISTANT, call.content()));
        return new Leg(at - messageStop(request(lastSeq)), 0, call);
    }

    /** The caller hands the result: complete() -> the mock receives the continuation. */
    private Leg toolResult(ClaudeCodeBackend backend, AssistantMessage call, String resultText) {
        String id = call.content().stream().filter(b -> b instanceof ToolUseBlock).map(b -> ((ToolUseBlock) b).id())
                .findFirst().orElseThrow();
        conversation.add(Message.of(Message.Role.USER, new ToolResultBlock(id, new JsonString(resultText), null)));
        long lastSeq = lastSequence();
        long t0 = System.nanoTime();
        ResultMessage end = CliBench.turn(backend, conversation);
        RecordedRequest continuation = request(lastSeq);
        if (continuation.toolResults().isEmpty() || !end.finalText().contains(resultText)) {
            throw new IllegalStateException("the continuation did not carry the result: " + end);
        }
        conversation.add(Message.assistant(end.finalText()));
        return new Leg(timing(continuation).receivedNanos() - t0, 0, null);
    }

    /** The baselines: complete() -> the mock has the prompt; mock's message_stop -> the caller's ResultMessage. */
    private Leg plainTurn(ClaudeCodeBackend backend, String text) {
        conversation.add(Message.user(text));
        long lastSeq = lastSequence();
        long t0 = System.nanoTime();
        ResultMessage end = CliBench.turn(backend, conversation);
        long t1 = System.nanoTime();
        conversation.add(Message.assistant(end.finalText()));
        RecordedRequest request = request(lastSeq);
        return new Leg(timing(request).receivedNanos() - t0, t1 - messageStop(request), null);
    }

    private long lastSequence() {
        List<RecordedRequest> all = api.requests();
        return all.isEmpty() ? 0 : all.getLast().sequence();
    }

    /** The one main-loop request since {@code lastSeq}. */
    private RecordedRequest request(long lastSeq) {
        List<RecordedRequest> mine = api.requestsMatching(r -> r.sequence() > lastSeq && r.isMainLoop());
        if (mine.size() != 1) {
            throw new IllegalStateException("expected one main-loop request, got " + mine.size() + ": " + mine);
        }
        return mine.getFirst();
    }

    private MockMessagesApi.Timing timing(RecordedRequest r) {
        return api.awaitTiming(r, CliBench.TIMING_PATIENCE);
    }

    private long messageStop(RecordedRequest r) {
        return api.eventSentNanos(r, "message_stop")
                .orElseThrow(() -> new IllegalStateException("the mock sent no message_stop for " + r));
    }
}
