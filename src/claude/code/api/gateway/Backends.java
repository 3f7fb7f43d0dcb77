package claude.code.api.gateway;

import claude.code.api.BackendMetrics;
import claude.code.api.BackendOptions;
import claude.code.api.ClaudeCodeBackend;
import claude.code.api.SessionInfo;
import claude.code.api.failures.BackendClosedException;
import claude.code.api.gateway.GatewayConfig.SystemPromptMode;
import claude.code.api.options.ClientToolSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One {@link ClaudeCodeBackend} per option set (a request's {@code model}, {@code system} and client tools),
 * at most {@code maxOptionSets} of them, least recently used first out. A backend that falls out
 * while requests still use it is closed when the last of them ends; one that is idle is closed
 * at once (on a virtual thread: closing waits for its CLIs to exit).
 */
final class Backends implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Backends.class.getName());

    /**
     * What distinguishes backends: {@code null} fields mean the gateway's own options.
     *
     * @param model the CLI's {@code --model}
     * @param system the client's system prompt
     * @param tools the client's tools: requests with other tools (or none) never share a session
     */
    record OptionSet(String model, String system, ClientToolSet tools) {
        static final OptionSet DEFAULT = new OptionSet(null, null, ClientToolSet.NONE);

        OptionSet {
            Objects.requireNonNull(tools, "tools");
        }

        OptionSet(String model, String system) {
            this(model, system, ClientToolSet.NONE);
        }

        @Override
        public String toString() { // never the prompt itself
            return "OptionSet[model=" + (model == null ? "default" : model) + ", system="
                    + (system == null ? "none" : system.length() + " chars") + ", tools=" + tools.tools().size() + "]";
        }
    }

    /** A live session of one of the backends, with the version of the CLI it runs (or {@code null}). */
    record Live(OptionSet optionSet, SessionInfo info, String cliVersion) {}

    private final BackendOptions template;
    private final SystemPromptMode systemPromptMode;
    private final int maxOptionSets;
    private final Function<BackendOptions, ClaudeCodeBackend> factory;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<OptionSet, Entry> entries = new LinkedHashMap<>(16, 0.75f, true); // access order
    private final List<Entry> retired = new ArrayList<>(); // out of entries, still in use
    private final List<Thread> closers = new ArrayList<>();
    private BackendMetrics closedCounters = BackendMetrics.ZERO; // of backends already closed
    private boolean closed;

    Backends(BackendOptions template, SystemPromptMode systemPromptMode, int maxOptionSets,
            Function<BackendOptions, ClaudeCodeBackend> factory) {
        this.template = template;
        this.systemPromptMode = systemPromptMode;
        this.maxOptionSets = maxOptionSets;
        this.factory = factory;
    }

    /** The backend of {@code set}, held until the lease is closed. */
    final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean released;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        ClaudeCodeBackend backend() {
            return entry.backend;
        }

        @Override
        public void close() {
            Entry toClose = null;
            lock.lock();
            try {
                if (released) {
                    return;
                }
                released = true;
                entry.inFlight--;
                if (entry.inFlight == 0 && entry.retired && retired.remove(entry)) {
                    toClose = entry;
                }
            } finally {
                lock.unlock();
            }
            if (toClose != null) {
                closeLater(toClose);
            }
        }
    }

    private static final class Entry {
        final OptionSet set;
        final ClaudeCodeBackend backend;
        int inFlight;
        boolean retired;

        Entry(OptionSet set, ClaudeCodeBackend backend) {
            this.set = set;
            this.backend = backend;
        }
    }

    /**
     * @throws IllegalArgumentException when the option set makes invalid backend options
     * @throws BackendClosedException after {@link #close()}
     */
    Lease acquire(OptionSet set) {
        List<Entry> toClose = new ArrayList<>();
        Lease lease;
        lock.lock();
        try {
            if (closed) {
                throw new BackendClosedException("the gateway is shutting down");
            }
            Entry entry = entries.get(set);
            if (entry == null) {
                entry = new Entry(set, factory.apply(optionsFor(set)));
                entries.put(set, entry);
                LOG.log(System.Logger.Level.INFO, "new backend for {0} ({1} of at most {2})", set, entries.size(), maxOptionSets);
                Iterator<Entry> lru = entries.values().iterator();
                while (entries.size() > maxOptionSets && lru.hasNext()) {
                    Entry old = lru.next();
                    if (old == entry) {
                        continue;
                    }
                    lru.remove();
                    old.retired = true;
                    if (old.inFlight == 0) {
                        toClose.add(old);
                    } else {
                        retired.add(old);
                    }
                    LOG.log(System.Logger.Level.INFO, "backend for {0} leaves (least recently used){1}", old.set,
                            old.inFlight == 0 ? "" : "; it closes when its " + old.inFlight + " running requests end");
                }
            }
            entry.inFlight++;
            lease = new Lease(entry);
        } finally {
            lock.unlock();
        }
        toClose.forEach(this::closeLater);
        return lease;
    }

    /** The backend options of {@code set}: the template with its model, system prompt and client tools. */
    BackendOptions optionsFor(OptionSet set) {
        BackendOptions.Builder b = template.toBuilder().tools(set.tools());
        if (set.model() != null) {
            b.model(set.model());
        }
        if (set.system() != null) {
            switch (systemPromptMode) {
                case APPEND -> b.appendSystemPrompt(template.launch().appendSystemPrompt() == null ? set.system()
                        : template.launch().appendSystemPrompt() + "\n\n" + set.system());
                case REPLACE -> b.systemPrompt(set.system());
            }
        }
        return b.build();
    }

    /** Every backend that is open now, with its option set. */
    private List<Entry> open() {
        lock.lock();
        try {
            List<Entry> out = new ArrayList<>(entries.values());
            out.addAll(retired);
            return out;
        } finally {
            lock.unlock();
        }
    }

    int optionSetCount() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    List<Live> liveSessions() {
        List<Live> out = new ArrayList<>();
        for (Entry e : open()) {
            String version = e.backend.cliVersion().orElse(null);
            for (SessionInfo info : e.backend.liveSessions().values()) {
                out.add(new Live(e.set, info, version));
            }
        }
        return out;
    }

    /** The versions of the CLI the open backends run, each once, sorted. */
    SortedSet<String> cliVersions() {
        SortedSet<String> out = new TreeSet<>();
        for (Entry e : open()) {
            e.backend.cliVersion().ifPresent(out::add);
        }
        return out;
    }

    Optional<String> screen(String sessionId) {
        for (Entry e : open()) {
            Optional<String> screen = e.backend.screen(sessionId);
            if (screen.isPresent()) {
                return screen;
            }
        }
        return Optional.empty();
    }

    /** Counters summed over every backend so far (closed ones included); gauges of the open ones. */
    BackendMetrics totals() {
        BackendMetrics total;
        lock.lock();
        try {
            total = closedCounters;
        } finally {
            lock.unlock();
        }
        for (Entry e : open()) {
            total = total.plus(e.backend.metrics());
        }
        return total;
    }

    private void closeLater(Entry entry) {
        Thread t = Thread.ofVirtual().name("backend-close").unstarted(() -> closeNow(entry));
        lock.lock();
        try {
            closers.removeIf(c -> !c.isAlive());
            closers.add(t);
        } finally {
            lock.unlock();
        }
        t.start();
    }

    private void closeNow(Entry entry) {
        try {
            entry.backend.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the backend for " + entry.set + " failed", e);
        }
        BackendMetrics m = entry.backend.metrics().counters();
        lock.lock();
        try {
            closedCounters = closedCounters.plus(m);
        } finally {
            lock.unlock();
        }
    }

    /** Closes every backend (running turns end in an error) and waits for that. */
    @Override
    public void close() {
        List<Entry> all;
        List<Thread> pending;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(entries.values());
            all.addAll(retired);
            entries.clear();
            retired.clear();
            pending = new ArrayList<>(closers);
        } finally {
            lock.unlock();
        }
        List<Thread> now = new ArrayList<>();
        for (Entry e : all) {
            now.add(Thread.ofVirtual().name("backend-close").start(() -> closeNow(e)));
        }
        now.addAll(pending);
        for (Thread t : now) {
            try {
                if (!t.join(Duration.ofSeconds(30))) {
                    LOG.log(System.Logger.Level.WARNING, "a backend took over 30 s to close");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** For tests: the option sets that have a backend now, least recently used first. */
    List<OptionSet> optionSets() {
        lock.lock();
        try {
            return List.copyOf(entries.keySet());
        } finally {
            lock.unlock();
        }
    }
}
