package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import claude.code.api.cli.CliOptions;
import claude.code.api.options.LaunchOptions;
import claude.code.api.testing.ClaudeTestHome;
import claude.code.api.testing.CliPeer;
import claude.code.api.testing.MockMessagesApi;
import claude.code.api.testing.RecordedRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The real CLI against the mock, for session tests: one mock, one isolated home, a
 * {@link CliSessionFactory} over them, and every session opened through it closed at the end,
 * checking that no process of the home is left running.
 */
final class LiveCli implements AutoCloseable {
    /** Hang guard for waiting on the mock; never a timing assertion. */
    static final Duration GUARD = Duration.ofSeconds(60);

    final MockMessagesApi api;
    final ClaudeTestHome home;
    final CliSessionFactory factory;
    private final List<ClaudeSession> sessions = new ArrayList<>();

    LiveCli() {
        this(b -> b, s -> s);
    }

    LiveCli(UnaryOperator<ClaudeTestHome.Builder> homeOptions, UnaryOperator<SessionSettings.Builder> settings) {
        this(homeOptions, o -> o, settings);
    }

    /**
     * @param homeOptions adjusts the test home (trust, environment)
     * @param launch adjusts the launch options of every session (flags)
     * @param settings adjusts the session settings
     */
    LiveCli(UnaryOperator<ClaudeTestHome.Builder> homeOptions, UnaryOperator<LaunchOptions.Builder> launch,
            UnaryOperator<SessionSettings.Builder> settings) {
        api = MockMessagesApi.start();
        try {
            home = homeOptions.apply(ClaudeTestHome.builder(api)).build();
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
        // The home's environment points the CLI at the mock with a test key: keep those variables.
        // No permission mode unless a test asks for one (the launch defaults ask for bypass mode).
        CliOptions template = CliOptions.of(launch.apply(LaunchOptions.builder(home.workspace())
                .executable(CliPeer.executable()).preserveProviderEnv(true).permissionMode(null)).build());
        factory = new CliSessionFactory(template, home.environment(), settings.apply(SessionSettings.builder()).build());
    }

    /** A fresh session. */
    ClaudeSession open() throws IOException {
        String id = UUID.randomUUID().toString();
        return track(factory.open(new SessionLaunch(id, false, factory.transcriptOf(id), 0)));
    }

    ClaudeSession track(ClaudeSession session) {
        synchronized (sessions) {
            sessions.add(session);
        }
        return session;
    }

    /** The main-loop requests of one session, waiting until there are at least {@code count}. */
    List<RecordedRequest> requests(ClaudeSession session, int count) throws InterruptedException {
        return api.awaitRequests(r -> r.isMainLoop() && r.sessionId().orElse("").equals(session.sessionId()), count, GUARD);
    }

    /** The session's last main-loop request. */
    RecordedRequest lastRequest(ClaudeSession session) {
        List<RecordedRequest> all = api.requestsForSession(session.sessionId()).stream().filter(RecordedRequest::isMainLoop).toList();
        return all.getLast();
    }

    @Override
    public void close() {
        try {
            synchronized (sessions) {
                sessions.forEach(ClaudeSession::close);
            }
            assertEquals(List.of(), home.strayProcesses(), "no process of this home still running");
        } finally {
            try {
                home.close();
            } finally {
                api.close();
            }
        }
    }
}
