package claude.code.api.bench;

import claude.code.api.BackendOptions;
import claude.code.api.ClaudeCodeBackend;
import claude.code.api.events.AssistantMessage;
import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.Message;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.StreamEvent;
import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.CliPeer;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.RecordedRequest;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The measurements on the real CLI against the mock Messages API, all in one isolated home:
 * {@code cold_turn_ratio}, {@code warm_turn_overhead_ms}, {@code idle_session_heap_kb} and
 * {@code platform_threads_per_session}; it also leaves the transcripts those runs wrote as the JSON
 * corpus ({@link #writeCorpus}).
 */
final class CliBench implements AutoCloseable {
    private static final Duration GUARD = Duration.ofSeconds(120);
    /** How long the mock may take to close an exchange whose answer the caller already has. */
    static final Duration TIMING_PATIENCE = Duration.ofSeconds(5);
    /** A fixed sleep after spawn, as a driver that does not watch for the prompt marker waits ({@code cold_turn_ratio_seed_fixed_wait}). */
    private static final Duration SEED_FIXED_WAIT = Duration.ofSeconds(10);
    /** How long a spare session waits before the request (in a server, spares wait far longer). */
    private static final Duration SPARE_AGE = Duration.ofSeconds(2);

    private final Report report;
    private final MockMessagesApi api;
    private final ClaudeTestHome home;

    CliBench(Report report) {
        this.report = report;
        this.api = MockMessagesApi.start();
        this.home = ClaudeTestHome.builder(api).bypassPermissionsAccepted().build();
    }

    BackendOptions.Builder options() {
        return BackendOptions.builder(home.workspace()).executable(CliPeer.executable()).preserveProviderEnv(true)
                .extraEnv(home.environment()).extraEnv("IS_SANDBOX", "1");
    }

    static ResultMessage turn(ClaudeCodeBackend backend, List<Message> messages) {
        try (EventStream turn = backend.complete(messages)) {
            ResultMessage result = turn.result();
            if (result.isError()) {
                throw new IllegalStateException("turn failed: " + result.errorText());
            }
            return result;
        }
    }

    // --- 1. cold turn vs claude -p --------------------------------------------------------------

    void coldTurn(int reps) throws InterruptedException {
        String prompt = "What is the capital of France? Answer in one word.";
        List<Long> ours = new ArrayList<>();
        List<Long> print = new ArrayList<>();
        List<Long> spawn = new ArrayList<>();
        List<Long> prestarted = new ArrayList<>();
        List<Long> toRequest = new ArrayList<>();
        List<Long> afterResponse = new ArrayList<>();
        for (int i = -1; i < reps; i++) { // i = -1: warm-up of both (page cache, JIT)
            long t0 = System.nanoTime();
            CliPeer.Run run = CliPeer.run(home, GUARD, "-p", prompt);
            long printNanos = System.nanoTime() - t0;
            if (run.exitCode() != 0 || !run.stdout().contains("MOCK REPLY")) {
                throw new IllegalStateException("claude -p failed: " + run);
            }
            long missNanos;
            long spawnNanos;
            MockMessagesApi.Timing missCall;
            long missStart;
            long missEnd;
            try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().maxSessions(1).build())) {
                long lastSeq = api.requests().isEmpty() ? 0 : api.requests().getLast().sequence();
                missStart = System.nanoTime();
                turn(backend, List.of(Message.user(prompt)));
                missEnd = System.nanoTime();
                missNanos = missEnd - missStart;
                missCall = firstMainCall(lastSeq);
                spawnNanos = backend.metrics().meanSpawnTime().toNanos();
                if (backend.metrics().poolMisses() != 1) {
                    throw new IllegalStateException("expected a pool miss: " + backend.metrics());
                }
            }
            long spareNanos;
            try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().maxSessions(1).prestartSessions(1).build())) {
                long deadline = System.nanoTime() + GUARD.toNanos();
                while (backend.metrics().spareSessions() < 1) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no spare session within " + GUARD);
                    }
                    Thread.sleep(10);
                }
                Thread.sleep(SPARE_AGE.toMillis());
                long t1 = System.nanoTime();
                turn(backend, List.of(Message.user(prompt)));
                spareNanos = System.nanoTime() - t1;
                if (backend.metrics().poolMisses() != 1) {
                    throw new IllegalStateException("expected a pool miss: " + backend.metrics());
                }
            }
            if (i >= 0) {
                print.add(printNanos);
                ours.add(missNanos);
                spawn.add(spawnNanos);
                prestarted.add(spareNanos);
                toRequest.add(missCall.receivedNanos() - missStart);
                afterResponse.add(missEnd - missCall.finishedNanos());
            }
        }
        Stats p = Stats.ofNanosAsMillis(print);
        Stats o = Stats.ofNanosAsMillis(ours);
        Stats s = Stats.ofNanosAsMillis(spawn);
        double ratio = o.median() / p.median();
        report.add("cold_turn_ratio", ratio, "x", "<= 1.5", ratio <= 1.5,
                "pool-miss turn (spawn -> result) / claude -p wall, medians of " + reps + " interleaved runs");
        Stats pre = Stats.ofNanosAsMillis(prestarted);
        double preRatio = pre.median() / p.median();
        report.add("cold_turn_ratio_prestart", preRatio, "x", "<= 1.5", preRatio <= 1.5,
                "pool miss taken by a spare CLI (prestartSessions 1, started " + SPARE_AGE.toSeconds()
                        + " s before the request) / claude -p; " + pre);
        report.info("cold_turn_ms", o.median(), "ms", "pool-miss turn: " + o);
        report.info("claude_p_ms", p.median(), "ms", "claude -p: " + p);
        report.info("cold_spawn_to_ready_ms", s.median(), "ms", "spawn -> prompt ready (readiness marker): " + s);
        Stats r = Stats.ofNanosAsMillis(toRequest);
        report.info("cold_turn_to_request_ms", r.median(), "ms", "pool miss: complete() -> the mock receives the request: " + r);
        Stats a = Stats.ofNanosAsMillis(afterResponse);
        report.info("cold_turn_after_response_ms", a.median(), "ms", "pool miss: mock response finished -> result: " + a);
        double seed = (SEED_FIXED_WAIT.toMillis() + o.median() - s.median()) / p.median();
        report.info("cold_turn_ratio_seed_fixed_wait", seed, "x",
                "derived: the same turn had it waited the seed's fixed 10 s instead of the readiness marker");
    }

    /** The first main-loop request after {@code lastSeq}, as the mock timed it. */
    private MockMessagesApi.Timing firstMainCall(long lastSeq) {
        RecordedRequest first = api.requestsMatching(r -> r.sequence() > lastSeq && r.isMainLoop()).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("the turn made no API request"));
        return api.awaitTiming(first, TIMING_PATIENCE);
    }

    /** The mock's timings of a turn's main-loop calls: their summed API time, the first arrival, the last finish. */
    private record MainCalls(List<RecordedRequest> requests, long apiNanos, long firstReceived, long lastFinished) {}

    /** The main-loop calls after {@code lastSeq}, each as the mock timed it; {@code turn} names the turn in the error. */
    private MainCalls mainCallsAfter(long lastSeq, String turn) {
        List<RecordedRequest> mine = api.requestsMatching(r -> r.sequence() > lastSeq && r.isMainLoop());
        if (mine.isEmpty()) {
            throw new IllegalStateException(turn + " made no API request");
        }
        long apiNanos = 0;
        long firstReceived = Long.MAX_VALUE;
        long lastFinished = Long.MIN_VALUE;
        for (RecordedRequest r : mine) {
            MockMessagesApi.Timing t = api.awaitTiming(r, TIMING_PATIENCE);
            apiNanos += t.nanos();
            firstReceived = Math.min(firstReceived, t.receivedNanos());
            lastFinished = Math.max(lastFinished, t.finishedNanos());
        }
        return new MainCalls(mine, apiNanos, firstReceived, lastFinished);
    }

    // --- 2. warm turn overhead ------------------------------------------------------------------

    void warmTurns(int reps) {
        warmTurns(reps, true);
    }

    /** @param waitForTurnDuration the default (true), or ending at the last assistant record */
    void warmTurns(int reps, boolean waitForTurnDuration) {
        String suffix = waitForTurnDuration ? "" : "_no_turn_duration";
        List<Long> overhead = new ArrayList<>();
        List<Long> before = new ArrayList<>();
        List<Long> after = new ArrayList<>();
        List<Long> total = new ArrayList<>();
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().maxSessions(1)
                .waitForTurnDuration(waitForTurnDuration).build())) {
            List<Message> conversation = new ArrayList<>();
            for (int i = -3; i < reps; i++) { // the first turn is the miss, two more warm up
                conversation.add(Message.user("warm question " + i));
                long lastSeq = api.requests().isEmpty() ? 0 : api.requests().getLast().sequence();
                long t0 = System.nanoTime();
                ResultMessage result = turn(backend, conversation);
                long t1 = System.nanoTime();
                conversation.add(Message.assistant(result.finalText()));
                MainCalls calls = mainCallsAfter(lastSeq, "the turn");
                if (i >= 0) {
                    total.add(t1 - t0);
                    overhead.add(t1 - t0 - calls.apiNanos());
                    before.add(calls.firstReceived() - t0);
                    after.add(t1 - calls.lastFinished());
                }
            }
            if (backend.metrics().poolHits() != reps + 2) {
                throw new IllegalStateException("expected pool hits: " + backend.metrics());
            }
        }
        Stats o = Stats.ofNanosAsMillis(overhead);
        Stats t = Stats.ofNanosAsMillis(total);
        Stats b = Stats.ofNanosAsMillis(before);
        Stats a = Stats.ofNanosAsMillis(after);
        if (waitForTurnDuration) {
            report.add("warm_turn_overhead_ms_p50", o.median(), "ms", "<= 5", o.median() <= 5,
                    "pool hit: (complete() -> result) - mock API time, " + reps + " turns; " + o);
            report.add("warm_turn_overhead_ms_p90", o.p90(), "ms", "", null, "");
        } else {
            report.info("warm_turn_overhead_ms_p50" + suffix, o.median(), "ms",
                    "the same with waitForTurnDuration(false): the turn ends at the last assistant record; " + o);
        }
        report.info("warm_turn_total_ms" + suffix, t.median(), "ms", "complete() -> result: " + t);
        report.info("warm_turn_to_request_ms" + suffix, b.median(), "ms", "complete() -> the mock receives the request: " + b);
        report.info("warm_turn_after_response_ms" + suffix, a.median(), "ms", "mock response finished -> result event: " + a);
    }

    /** One headless turn: (turn − mock API time) and (turn start → the mock has the request), in nanoseconds. */
    private record HeadlessTiming(long overhead, long toRequest) {}

    /**
     * The CLI's own floor for a warm turn, without a terminal: one headless {@code claude -p
     * --input-format stream-json} kept running, a user message written to its stdin, its
     * {@code result} line read back. The same (turn − mock API time) as the relay figure, so
     * their difference is what the terminal and this library add.
     */
    private final class HeadlessCli implements AutoCloseable {
        private final Process process;
        private final BufferedWriter in;
        /** Its stdout lines, read on a thread of their own so that a turn can time out instead of hanging. */
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Thread reader;

        HeadlessCli() throws IOException {
            process = home.processBuilder(List.of("-p", "--input-format", "stream-json", "--output-format", "stream-json",
                    "--verbose")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            in = process.outputWriter(StandardCharsets.UTF_8);
            BufferedReader out = process.inputReader(StandardCharsets.UTF_8);
            reader = Thread.ofVirtual().name("headless claude stdout").start(() -> {
                try (out) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended; turn() then times out or sees no result
                }
            });
        }

        HeadlessTiming turn(String prompt) throws IOException, InterruptedException {
            long lastSeq = api.requests().isEmpty() ? 0 : api.requests().getLast().sequence();
            String message = JsonObject.builder().put("type", "user").put("message", JsonObject.builder()
                    .put("role", "user").put("content", prompt).build()).build().toString();
            long t0 = System.nanoTime();
            in.write(message);
            in.newLine();
            in.flush();
            long deadline = t0 + GUARD.toNanos();
            while (true) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException("headless claude gave no result within " + GUARD);
                }
                if (Json.parse(line) instanceof JsonObject o && o.string("type", "").equals("result")) {
                    break;
                }
            }
            long t1 = System.nanoTime();
            MainCalls calls = mainCallsAfter(lastSeq, "the headless turn");
            return new HeadlessTiming(t1 - t0 - calls.apiNanos(), calls.firstReceived() - t0);
        }

        @Override
        public void close() throws IOException {
            try {
                in.close(); // EOF: it ends by itself
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
                reader.join();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    // --- the model-API relay: on vs off, the same warm turns interleaved ------------------------

    /** One warm turn's timings, all {@link System#nanoTime()} differences against the mock's own clock. */
    private record RelayTiming(long firstToken, long afterResponse, long overhead, long toRequest, long cliSubmit,
            List<Long> deltaLags) {}

    /**
     * {@code relay_first_token_overhead_ms}, {@code relay_warm_turn_overhead_ms} and
     * {@code relay_stream_delta_lag_ms}: a backend with the relay and one without, warm, the same
     * slowly streamed reply (deltas 10 ms apart), turns interleaved. Relay off, the first token the
     * caller sees is the whole block (the transcript's record), so that is its first-token time.
     */
    void relayTurns(int reps) throws IOException, InterruptedException {
        List<Long> headless = new ArrayList<>();
        List<Long> headlessToRequest = new ArrayList<>();
        List<Long> toRequestOn = new ArrayList<>();
        List<Long> firstOn = new ArrayList<>();
        List<Long> firstOff = new ArrayList<>();
        List<Long> afterOn = new ArrayList<>();
        List<Long> afterOff = new ArrayList<>();
        List<Long> overheadOn = new ArrayList<>();
        List<Long> overheadOff = new ArrayList<>();
        List<Long> lags = new ArrayList<>();
        List<Long> cliSubmitOn = new ArrayList<>();
        List<Long> libraryOn = new ArrayList<>();
        try (EnterClock enters = new EnterClock();
                ClaudeCodeBackend on = new ClaudeCodeBackend(options().maxSessions(1).modelApiRelay(true).build());
                ClaudeCodeBackend off = new ClaudeCodeBackend(options().maxSessions(1).modelApiRelay(false).build());
                HeadlessCli floor = new HeadlessCli()) {
            List<Message> onConversation = new ArrayList<>();
            List<Message> offConversation = new ArrayList<>();
            for (int i = -3; i < reps; i++) { // the first turn is the miss, two more warm up
                RelayTiming a = relayTurn(on, onConversation, "SLOW0p01 relay on, question " + i, true, enters);
                RelayTiming b = relayTurn(off, offConversation, "SLOW0p01 relay off, question " + i, false, enters);
                HeadlessTiming c = floor.turn("SLOW0p01 headless, question " + i);
                if (i >= 0) {
                    headless.add(c.overhead());
                    headlessToRequest.add(c.toRequest());
                    toRequestOn.add(a.toRequest());
                    firstOn.add(a.firstToken());
                    afterOn.add(a.afterResponse());
                    overheadOn.add(a.overhead());
                    cliSubmitOn.add(a.cliSubmit());
                    libraryOn.add(a.overhead() - a.cliSubmit());
                    lags.addAll(a.deltaLags());
                    firstOff.add(b.firstToken());
                    afterOff.add(b.afterResponse());
                    overheadOff.add(b.overhead());
                }
            }
            if (on.metrics().poolHits() != reps + 2 || off.metrics().poolHits() != reps + 2) {
                throw new IllegalStateException("expected pool hits: " + on.metrics() + " / " + off.metrics());
            }
        }
        Stats fOn = Stats.ofNanosAsMillis(firstOn);
        Stats fOff = Stats.ofNanosAsMillis(firstOff);
        Stats aOn = Stats.ofNanosAsMillis(afterOn);
        Stats aOff = Stats.ofNanosAsMillis(afterOff);
        Stats oOn = Stats.ofNanosAsMillis(overheadOn);
        Stats oOff = Stats.ofNanosAsMillis(overheadOff);
        Stats lag = Stats.ofNanosAsMillis(lags);
        report.add("first_token_overhead_ms", fOn.median(), "ms", "<= 60", fOn.median() <= 60,
                "relay on: mock sends its first text delta -> the caller's first BlockDelta, warm, p50 of " + reps + "; " + fOn);
        report.info("first_token_overhead_ms_relay_off", fOff.median(), "ms",
                "baseline, relay off: mock's first delta -> the caller's first AssistantMessage; " + fOff);
        report.info("first_token_ratio", fOn.median() / fOff.median(), "x", "relay on / relay off");
        report.add("relay_warm_turn_overhead_ms_p50", oOn.median(), "ms", "<= 50", oOn.median() <= 50,
                "relay on: (complete() -> result) - mock API time; " + oOn);
        report.info("relay_warm_turn_overhead_ms_p50_relay_off", oOff.median(), "ms", "baseline, relay off; " + oOff);
        Stats h = Stats.ofNanosAsMillis(headless);
        Stats hReq = Stats.ofNanosAsMillis(headlessToRequest);
        Stats onReq = Stats.ofNanosAsMillis(toRequestOn);
        report.info("headless_warm_turn_overhead_ms_p50", h.median(), "ms",
                "the CLI's own floor: claude -p --input-format stream-json, kept running, the same turns; " + h);
        report.info("relay_warm_turn_overhead_over_headless_ms", oOn.median() - h.median(), "ms",
                "relay on minus the headless floor (p50s): what the terminal and this library add");
        report.info("relay_warm_turn_to_request_ms", onReq.median(), "ms", "relay on: complete() -> the mock has the request; " + onReq);
        report.info("headless_warm_turn_to_request_ms", hReq.median(), "ms", "headless: stdin line -> the mock has the request; " + hReq);
        Stats cli = Stats.ofNanosAsMillis(cliSubmitOn);
        Stats lib = Stats.ofNanosAsMillis(libraryOn);
        report.info("relay_warm_turn_cli_submit_ms", cli.median(), "ms",
                "relay on: the library's Enter -> the mock has the request (the CLI's own submit, and the relay's hop); " + cli);
        report.info("relay_warm_turn_library_ms", lib.median(), "ms",
                "relay on: the rest of the overhead (complete() -> Enter, the mock's end -> the result); " + lib);
        report.info("relay_after_response_ms", aOn.median(), "ms",
                "relay on: mock's end of response -> the caller's ResultMessage; " + aOn);
        report.info("relay_after_response_ms_relay_off", aOff.median(), "ms", "baseline, relay off; " + aOff);
        report.info("relay_after_response_ratio", aOn.median() / aOff.median(), "x", "relay on / relay off");
        report.add("stream_delta_lag_ms_p50", lag.median(), "ms", "<= 5", lag.median() <= 5,
                "relay on: each text delta, mock flushes it -> the caller has it, " + lags.size() + " deltas; " + lag);
        report.add("stream_delta_lag_ms_p90", lag.p90(), "ms", "<= 20", lag.p90() <= 20, "");
    }

    private RelayTiming relayTurn(ClaudeCodeBackend backend, List<Message> conversation, String prompt, boolean relay,
            EnterClock enters) {
        conversation.add(Message.user(prompt));
        long lastSeq = api.requests().isEmpty() ? 0 : api.requests().getLast().sequence();
        long t0 = enters.mark();
        long first = 0;
        List<Long> deltas = new ArrayList<>();
        ResultMessage result = null;
        try (EventStream turn = backend.complete(conversation)) {
            while (turn.hasNext()) {
                Event e = turn.next();
                long at = System.nanoTime();
                switch (e) {
                    case StreamEvent.BlockDelta(var index, StreamEvent.Delta.TextDelta text) -> {
                        deltas.add(at);
                        first = first == 0 ? at : first;
                    }
                    case AssistantMessage m -> {
                        if (!relay && first == 0 && !m.text().isEmpty()) {
                            first = at;
                        }
                    }
                    case ResultMessage r -> result = r;
                    default -> {}
                }
            }
        }
        long t1 = System.nanoTime();
        if (result == null || result.isError() || first == 0) {
            throw new IllegalStateException("turn failed or gave no text: " + result);
        }
        conversation.add(Message.assistant(result.finalText()));
        MainCalls calls = mainCallsAfter(lastSeq, "the turn");
        List<Long> sent = new ArrayList<>();
        calls.requests().forEach(r -> sent.addAll(api.deltaSentNanos(r)));
        if (relay && sent.size() != deltas.size()) {
            throw new IllegalStateException("the mock sent " + sent.size() + " deltas, the caller got " + deltas.size());
        }
        List<Long> lags = new ArrayList<>();
        for (int i = 0; relay && i < sent.size(); i++) {
            lags.add(deltas.get(i) - sent.get(i));
        }
        return new RelayTiming(first - sent.getFirst(), t1 - calls.lastFinished(), t1 - t0 - calls.apiNanos(),
                calls.firstReceived() - t0, calls.firstReceived() - enters.firstEnterNanos(), lags);
    }

    // --- client tools: one round trip's overhead ---------------------------------------------

    void clientToolTurns(int reps) {
        new ClientToolBench(report, api, options()).run(reps);
    }

    // --- corpus: more shapes of record (tool cycles, thinking, big records) -------------------

    void corpusTurns() {
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().maxSessions(1).build())) {
            List<Message> conversation = new ArrayList<>();
            for (String prompt : List.of("USE_TOOL list things", "THINK about it", "LONGREPLY2000 please",
                    "USE_TOOL THINK once more", "LONGREPLY300 and again", "REDACTED thoughts")) {
                conversation.add(Message.user(prompt));
                ResultMessage result = turn(backend, conversation);
                conversation.add(Message.assistant(result.finalText()));
            }
        }
    }

    /** Every line of every transcript in the home, as {@code int length, bytes} records. */
    Path writeCorpus(Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int lines = 0;
        long total = 0;
        int biggest = 0;
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (Path transcript : home.transcripts()) {
                for (String line : Files.readAllLines(transcript)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    byte[] b = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    out.writeInt(b.length);
                    out.write(b);
                    lines++;
                    total += b.length;
                    biggest = Math.max(biggest, b.length);
                }
            }
        }
        Files.write(file, bytes.toByteArray());
        report.info("json_corpus_lines", lines, "lines", "real transcript lines (real CLI + mock), "
                + total / 1024 + " KB, biggest " + biggest / 1024 + " KB");
        return file;
    }

    // --- 6. idle sessions -----------------------------------------------------------------------

    void idleSessions(int count) throws Exception {
        var memory = ManagementFactory.getMemoryMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options().maxSessions(count + 1).build())) {
            turn(backend, List.of(Message.user("idle baseline session")));
            long heap1 = settledHeap(memory);
            int threads1 = threads.getThreadCount();
            Semaphore parallel = new Semaphore(4);
            try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<ResultMessage>> started = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    String prompt = "idle session " + i;
                    started.add(starters.submit(() -> {
                        parallel.acquire();
                        try {
                            return turn(backend, List.of(Message.user(prompt)));
                        } finally {
                            parallel.release();
                        }
                    }));
                }
                for (Future<ResultMessage> f : started) {
                    f.get();
                }
            }
            if (backend.liveSessionCount() != count + 1) {
                throw new IllegalStateException("expected " + (count + 1) + " live sessions, got " + backend.liveSessionCount());
            }
            Thread.sleep(1000); // let every session settle into idle (status file, screen redraws)
            long heapN = settledHeap(memory);
            int threadsN = threads.getThreadCount();
            double kb = (heapN - heap1) / 1024.0 / count;
            double perSession = (threadsN - threads1) / (double) count;
            report.add("idle_session_heap_kb", kb, "KB", "<= 256", kb <= 256,
                    "(heap used after full GC with " + (count + 1) + " idle sessions - with 1) / " + count);
            report.add("platform_threads_per_session", perSession, "threads", "~0", Math.abs(perSession) < 0.1,
                    "ThreadMXBean live platform threads, " + threads1 + " with 1 session, " + threadsN + " with " + (count + 1));
        }
    }

    private long settledHeap(java.lang.management.MemoryMXBean memory) throws InterruptedException {
        api.forgetRequests(); // the mock's records are not ours
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            best = Math.min(best, memory.getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    /** Fails when a CLI started from the home is still running. */
    void checkNoStrays() {
        List<ProcessHandle> strays = home.strayProcesses();
        if (!strays.isEmpty()) {
            throw new IllegalStateException("claude processes left running: " + strays);
        }
    }

    @Override
    public void close() {
        try {
            home.close();
        } finally {
            api.close();
        }
    }
}
