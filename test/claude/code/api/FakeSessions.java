package claude.code.api;

import claude.code.api.events.AssistantMessage;
import claude.code.api.events.ContentBlock;
import claude.code.api.events.Event;
import claude.code.api.events.EventStream;
import claude.code.api.events.ResultMessage;
import claude.code.api.events.TurnError;
import claude.code.api.events.SystemMessage;
import claude.code.api.events.TextBlock;
import claude.code.api.events.Usage;
import claude.code.api.events.UserMessage;
import claude.code.api.json.JsonObject;
import claude.code.api.session.ClaudeSession;
import claude.code.api.session.SessionFactory;
import claude.code.api.session.SessionLaunch;
import claude.code.api.testing.Latches;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-memory sessions for unit tests of the backend: a {@link SessionFactory} that records every
 * launch (and the seed transcript it found), and sessions that answer each prompt with a
 * scripted list of events.
 */
public final class FakeSessions implements SessionFactory {

    /** The events of one turn, given the session and the prompt typed. */
    @FunctionalInterface
    public interface Script {
        List<Event> turn(Session session, String prompt);
    }

    /** Replies {@code "reply N to: <prompt>"}, N counting the session's turns from 1. */
    public static final Script ECHO = (s, p) -> reply(s, "reply " + (s.prompts.size()) + " to: " + p);

    public final List<SessionLaunch> launches = Collections.synchronizedList(new ArrayList<>());
    /** The seed transcript's content at launch time ({@code null} for a fresh session). */
    public final List<String> seeds = Collections.synchronizedList(new ArrayList<>());
    public final List<Session> sessions = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger pids = new AtomicInteger(1000);
    public volatile Script script = ECHO;
    /** When set, every turn's stream waits for it before its first event. */
    public volatile CountDownLatch gate;
    /** When not negative, every turn's stream throws after that many events. */
    public volatile int failAfterEvents = -1;
    /** When set, {@link #open} throws it. */
    public volatile IOException openFailure;
    /** Runs inside {@link #open}, e.g. to look at files while the session starts. */
    public volatile java.util.function.Consumer<SessionLaunch> onOpen = l -> {};

    @Override
    public ClaudeSession open(SessionLaunch launch) throws IOException {
        launches.add(launch);
        seeds.add(launch.resume() ? Files.readString(launch.transcript()) : null);
        onOpen.accept(launch);
        if (openFailure != null) {
            throw openFailure;
        }
        Session s = new Session(launch.sessionId(), pids.incrementAndGet());
        sessions.add(s);
        return s;
    }

    public static List<Event> reply(Session s, String text) {
        return List.of(
                new UserMessage("u-" + s.prompts.size(), List.of(new TextBlock(s.lastPrompt())), true, false),
                assistant("m-" + s.prompts.size(), "end_turn", new TextBlock(text)),
                new SystemMessage("s-" + s.prompts.size(), "turn_duration", JsonObject.EMPTY),
                result(s, text, false, false));
    }

    public static AssistantMessage assistant(String messageId, String stop, ContentBlock block) {
        return new AssistantMessage("a-" + messageId + "-" + block.type(), messageId, "claude-test", List.of(block), stop,
                new Usage(1, 1, 0, 0), null);
    }

    public static ResultMessage result(Session s, String finalText, boolean error, boolean interrupted) {
        return new ResultMessage(s.sessionId(), Duration.ofMillis(100), 1, new Usage(1, 1, 0, 0), finalText,
                error || interrupted ? null : "end_turn", error ? new TurnError.SessionFailed("API Error: 500") : null, interrupted);
    }

    public final class Session implements ClaudeSession {
        final String id;
        final long pid;
        public final List<String> prompts = Collections.synchronizedList(new ArrayList<>());
        /** The files attached to each prompt that had any, as they were when the prompt was sent. */
        public final List<List<AttachedFile>> attached = Collections.synchronizedList(new ArrayList<>());
        public final AtomicInteger closes = new AtomicInteger();
        public final AtomicInteger interrupts = new AtomicInteger();
        public volatile boolean exited;
        /** The client tool calls the session holds open after its turn (a script that ends at them sets it). */
        public volatile List<String> awaited = List.of();
        private volatile Turn running;

        Session(String id, long pid) {
            this.id = id;
            this.pid = pid;
        }

        @Override
        public String sessionId() {
            return id;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public boolean isAlive() {
            return !exited && closes.get() == 0;
        }

        String lastPrompt() {
            return prompts.get(prompts.size() - 1);
        }

        @Override
        public EventStream send(String prompt) {
            if (!isAlive()) {
                throw new IllegalStateException("session " + id + " is not running");
            }
            if (running != null && !running.done) {
                throw new IllegalStateException("a turn is running");
            }
            prompts.add(prompt);
            running = new Turn(this, script.turn(this, prompt), gate, failAfterEvents);
            return running;
        }

        @Override
        public EventStream send(String prompt, List<java.nio.file.Path> attachments) {
            if (!attachments.isEmpty()) {
                List<AttachedFile> files = new ArrayList<>();
                for (java.nio.file.Path file : attachments) {
                    files.add(AttachedFile.of(file));
                }
                attached.add(List.copyOf(files));
            }
            return send(prompt);
        }

        @Override
        public List<String> awaitedToolUseIds() {
            return awaited;
        }

        @Override
        public String screen() {
            return "screen of " + id;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }

        public boolean closed() {
            return closes.get() > 0;
        }
    }

    /** An attached file as a session saw it: its path, permissions and bytes. */
    public record AttachedFile(java.nio.file.Path path, String permissions, byte[] bytes) {
        static AttachedFile of(java.nio.file.Path file) {
            try {
                return new AttachedFile(file, java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)),
                        java.nio.file.Files.readAllBytes(file));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** A scripted turn; closing it before its end counts as an interrupt. */
    static final class Turn implements EventStream {
        private final Session session;
        private final List<Event> events;
        private final CountDownLatch gate;
        private final int failAfter;
        private int next;
        volatile boolean done;

        Turn(Session session, List<Event> events, CountDownLatch gate, int failAfter) {
            this.session = session;
            this.events = events;
            this.gate = gate;
            this.failAfter = failAfter;
        }

        @Override
        public boolean hasNext() {
            if (gate != null && next == 0) {
                try {
                    if (!gate.await(20, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("test gate never opened (hang guard)");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            if (next == failAfter) {
                done = true;
                throw new IllegalStateException("the CLI exited mid-turn");
            }
            boolean more = next < events.size();
            if (!more) {
                done = true;
            }
            return more;
        }

        /** Waits for the gate before the first event, as {@link #hasNext()} does, but at most {@code timeout}. */
        @Override
        public boolean awaitNext(Duration timeout) {
            return gate == null || next != 0 || Latches.await(gate, timeout);
        }

        @Override
        public Event next() {
            if (next >= events.size()) {
                throw new NoSuchElementException();
            }
            Event e = events.get(next++);
            if (next == events.size()) {
                done = true;
            }
            return e;
        }

        @Override
        public void close() {
            if (!done) {
                session.interrupts.incrementAndGet();
                done = true;
            }
        }
    }
}
