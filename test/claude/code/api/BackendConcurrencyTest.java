package claude.code.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.events.AssistantMessage;
import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.Message;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.SystemMessage;
import claude.code.api.events.TextBlock;
import claude.code.api.events.Usage;
import claude.code.api.events.UserMessage;
import claude.code.api.json.JsonObject;
import claude.code.api.session.ClaudeSession;
import claude.code.api.session.SessionFactory;
import claude.code.api.session.SessionLaunch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100 clients at once over 20 conversations, 10,000 turns in all, on sessions that report any
 * misuse: no deadlock, no session running two turns at once, and every event of every turn
 * delivered to its own caller exactly once and in order. {@code make soak} runs 10 times as many
 * turns ({@code -Dconcurrency.turns.per.client=N}).
 */
class BackendConcurrencyTest {
    static final int CONVERSATIONS = 20;
    static final int CLIENTS = 100;
    static final int TURNS_PER_CLIENT = Integer.getInteger("concurrency.turns.per.client", 100);

    @TempDir
    Path tmp;

    /** Sessions that record every misuse instead of trusting the caller. */
    static final class StrictSessions implements SessionFactory {
        final Queue<String> violations = new ConcurrentLinkedQueue<>();
        final AtomicInteger opened = new AtomicInteger();
        final AtomicLong eventsMade = new AtomicLong();
        final AtomicInteger live = new AtomicInteger();
        final AtomicInteger maxLive = new AtomicInteger();

        @Override
        public ClaudeSession open(SessionLaunch launch) {
            int n = live.incrementAndGet();
            maxLive.accumulateAndGet(n, Math::max);
            opened.incrementAndGet();
            return new Session(launch.sessionId());
        }

        final class Session implements ClaudeSession {
            final String id;
            final AtomicBoolean busy = new AtomicBoolean();
            final AtomicBoolean closed = new AtomicBoolean();
            int turns; // only ever touched by the one caller holding the session

            Session(String id) {
                this.id = id;
            }

            @Override
            public String sessionId() {
                return id;
            }

            @Override
            public long pid() {
                return 1;
            }

            @Override
            public boolean isAlive() {
                return !closed.get();
            }

            @Override
            public EventStream send(String prompt) {
                if (closed.get()) {
                    violations.add("session " + id + " got a prompt after close: " + prompt);
                    throw new IllegalStateException("closed");
                }
                if (!busy.compareAndSet(false, true)) {
                    violations.add("session " + id + " got \"" + prompt + "\" while running a turn");
                    throw new IllegalStateException("a turn is running");
                }
                turns++;
                String answer = "answer " + turns + " of " + id + " to: " + prompt;
                List<Event> events = List.of(new UserMessage("u" + turns, List.of(new TextBlock(prompt)), true, false),
                        new AssistantMessage("a" + turns, "msg_" + turns, "m", List.of(new TextBlock(answer)), "end_turn",
                                new Usage(1, 1, 0, 0), null),
                        new SystemMessage("s" + turns, "turn_duration", JsonObject.EMPTY),
                        new ResultMessage(id, Duration.ofMillis(1), 1, new Usage(1, 1, 0, 0), answer, "end_turn", null, false));
                eventsMade.addAndGet(events.size());
                return new EventStream() {
                    int next;

                    @Override
                    public boolean hasNext() {
                        return next < events.size();
                    }

                    @Override
                    public boolean awaitNext(Duration timeout) {
                        return true;
                    }

                    @Override
                    public Event next() {
                        if (next >= events.size()) {
                            throw new NoSuchElementException();
                        }
                        if (ThreadLocalRandom.current().nextInt(8) == 0) {
                            Thread.yield(); // let other turns interleave
                        }
                        Event e = events.get(next++);
                        if (next == events.size()) {
                            busy.set(false); // the result is out: the turn is over
                        }
                        return e;
                    }

                    @Override
                    public void close() {
                        if (next < events.size()) {
                            next = events.size();
                            busy.set(false);
                        }
                    }
                };
            }

            @Override
            public String screen() {
                return "";
            }

            @Override
            public void close() {
                if (closed.compareAndSet(false, true)) {
                    live.decrementAndGet();
                    if (busy.get()) {
                        violations.add("session " + id + " was closed while running a turn");
                    }
                }
            }
        }
    }

    @Test
    void aHundredClientsOverTwentyConversationsNeverShareASessionAndGetEveryEventOnceInOrder() throws Exception {
        StrictSessions sessions = new StrictSessions();
        Path cwd = Files.createDirectory(tmp.resolve("work"));
        BackendOptions options = BackendOptions.builder(cwd).extraEnv("CLAUDE_CONFIG_DIR", tmp.resolve("config").toString())
                .maxSessions(CLIENTS).acquireTimeout(Duration.ofMinutes(2)).build();
        AtomicLong eventsReceived = new AtomicLong();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        try (ClaudeCodeBackend backend = new ClaudeCodeBackend(options, sessions, Map.of("HOME", tmp.toString()), System::nanoTime)) {
            assertTimeoutPreemptively(Duration.ofMinutes(5).multipliedBy(Math.max(1, TURNS_PER_CLIENT / 100)), () -> {
                try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<?>> done = new ArrayList<>();
                    for (int c = 0; c < CLIENTS; c++) {
                        int client = c;
                        int conversation = c % CONVERSATIONS;
                        done.add(clients.submit(() -> {
                            // the conversation's shared opening, then this client's own branch
                            List<Message> history = new ArrayList<>(List.of(Message.user("conversation " + conversation),
                                    Message.assistant("opening of conversation " + conversation)));
                            for (int t = 0; t < TURNS_PER_CLIENT && failures.isEmpty(); t++) {
                                String prompt = "client " + client + " turn " + t;
                                history.add(Message.user(prompt));
                                List<Event> events = new ArrayList<>();
                                try (EventStream turn = backend.complete(history)) {
                                    turn.forEachRemaining(events::add);
                                }
                                eventsReceived.addAndGet(events.size());
                                String problem = checkTurn(events, prompt);
                                if (problem != null) {
                                    failures.add(prompt + ": " + problem);
                                    return;
                                }
                                history.add(Message.assistant(((ResultMessage) events.getLast()).finalText()));
                            }
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get();
                    }
                }
            });
            BackendMetrics metrics = backend.metrics();
            System.out.println("concurrency: " + metrics);
            assertEquals(List.of(), List.copyOf(failures));
            assertEquals(List.of(), List.copyOf(sessions.violations));
            assertEquals(4L * CLIENTS * TURNS_PER_CLIENT, eventsReceived.get(), "every turn's four events, once");
            assertEquals(sessions.eventsMade.get(), eventsReceived.get(), "every event made was delivered");
            assertEquals((long) CLIENTS * TURNS_PER_CLIENT, metrics.poolHits() + metrics.poolMisses());
            assertTrue(metrics.poolHits() > 0, "continuing conversations reuse their sessions: " + metrics);
            assertTrue(sessions.maxLive.get() <= CLIENTS, "never more sessions than the pool allows: " + sessions.maxLive.get());
        }
        assertEquals(0, sessions.live.get(), "close() closed every session");
    }

    /** The events of one turn must be its own: echo, answer, turn end, result, nothing else. */
    static String checkTurn(List<Event> events, String prompt) {
        if (events.size() != 4) {
            return "expected 4 events, got " + events;
        }
        if (!(events.get(0) instanceof UserMessage echo) || !echo.text().equals(prompt)) {
            return "first event is not this prompt's echo: " + events.get(0);
        }
        if (!(events.get(1) instanceof AssistantMessage answer) || !answer.text().endsWith(" to: " + prompt)) {
            return "second event is not this prompt's answer: " + events.get(1);
        }
        if (!(events.get(2) instanceof SystemMessage)) {
            return "third event is not the turn's end: " + events.get(2);
        }
        ResultMessage result = assertInstanceOf(ResultMessage.class, events.get(3));
        assertFalse(result.isError(), result.toString());
        if (!result.finalText().equals(answer.text()) || !answer.text().contains(result.sessionId())) {
            return "the result is another turn's: " + result;
        }
        return null;
    }
}
