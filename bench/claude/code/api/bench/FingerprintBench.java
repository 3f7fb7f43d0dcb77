package claude.code.api.bench;

import claude.code.api.events.Message;
import claude.code.api.events.TextBlock;
import claude.code.api.events.ToolResultBlock;
import claude.code.api.events.ToolUseBlock;
import claude.code.api.history.Fingerprint;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fingerprint_1000_ms}: {@link Fingerprint#of} of a 1,000-message history made of tool
 * cycles (user question; assistant text + Bash tool use; user tool result; assistant answer),
 * as a pool lookup computes it for every request. Warm-up, then the median and p90 of repetitions.
 */
final class FingerprintBench {
    private FingerprintBench() {}

    static List<Message> history(int size) {
        List<Message> messages = new ArrayList<>(size);
        for (int i = 0; messages.size() < size; i++) {
            messages.add(Message.user("Question " + i + ": what does the file src/module" + i
                    + ".java do, and is there anything wrong with its error handling? Please check."));
            String id = "toolu_%020d".formatted(i);
            JsonObject input = JsonObject.builder().put("command", "sed -n 1,80p src/module" + i + ".java")
                    .put("description", "Show the module").build();
            messages.add(Message.assistant(new TextBlock("Let me look at the file first."),
                    new ToolUseBlock(id, "Bash", input)));
            messages.add(Message.user(new ToolResultBlock(id,
                    new JsonString(("public final class Module" + i + " { /* line */ }\n").repeat(12)), false)));
            messages.add(Message.assistant("Module " + i
                    + " parses its input and reports errors with the byte offset; the handling looks right to me, "
                    + "except that an empty file is accepted silently."));
        }
        return List.copyOf(messages.subList(0, size));
    }

    static void run(Report report) {
        List<Message> history = history(1000);
        String expected = Fingerprint.of(history);
        // Warm-up: at least 500 runs and 2 s (C2 compiles on a busy 2-CPU machine take a while), at most 15 s.
        long start = System.nanoTime();
        for (int i = 0; (i < 500 || System.nanoTime() - start < 2_000_000_000L) && System.nanoTime() - start < 15_000_000_000L; i++) {
            if (!Fingerprint.of(history).equals(expected)) {
                throw new IllegalStateException("fingerprint is not deterministic");
            }
        }
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long t0 = System.nanoTime();
            String f = Fingerprint.of(history);
            nanos.add(System.nanoTime() - t0);
            if (f.length() != 64) {
                throw new IllegalStateException(f);
            }
        }
        Stats s = Stats.ofNanosAsMillis(nanos);
        report.add("fingerprint_1000_ms", s.median(), "ms", "<= 2", s.median() <= 2,
                "Fingerprint.of, 1000 msgs (250 tool cycles), median of 100 after warm-up; " + s);
        report.info("fingerprint_1000_p90_ms", s.p90(), "ms", "");
        registrationKeys(report, history);
    }

    /**
     * {@code registration_keys_1000_ms}: the keys a session is pooled under after a turn that answered the
     * 1,000-message history with a tool cycle, beside the baseline of the same number of whole-history
     * fingerprints (what registering cost when every view hashed the whole history again), interleaved.
     */
    private static void registrationKeys(Report report, List<Message> history) {
        List<Message> conversation = history.subList(0, history.size() - 3); // ends with a user question
        List<Message> turn = history.subList(history.size() - 3, history.size()); // tool use, result, answer
        List<Message> full = history;
        int views = Fingerprint.registrationKeys(conversation, turn).size();
        Runnable keys = () -> Fingerprint.registrationKeys(conversation, turn);
        Runnable whole = () -> {
            for (int v = 0; v < views; v++) {
                Fingerprint.of(v % 2 == 0 ? full : Fingerprint.withoutThinking(full));
            }
        };
        long start = System.nanoTime();
        while (System.nanoTime() - start < 3_000_000_000L) {
            keys.run();
            whole.run();
        }
        List<Long> fast = new ArrayList<>();
        List<Long> slow = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long t0 = System.nanoTime();
            keys.run();
            long t1 = System.nanoTime();
            whole.run();
            fast.add(t1 - t0);
            slow.add(System.nanoTime() - t1);
        }
        Stats f = Stats.ofNanosAsMillis(fast);
        Stats w = Stats.ofNanosAsMillis(slow);
        report.info("registration_keys_1000_ms", f.median(), "ms",
                "Fingerprint.registrationKeys, " + views + " views of 997 msgs + a tool cycle, median of 40; " + f);
        report.info("registration_keys_1000_ms_whole_per_view", w.median(), "ms",
                "baseline: " + views + " whole-history fingerprints; " + w);
        report.info("registration_keys_1000_ratio", f.median() / w.median(), "x", "registrationKeys / baseline");
    }
}
