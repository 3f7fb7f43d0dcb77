package claude.code.api.session;

import claude.code.api.events.MessageParseError;
import claude.code.api.transcript.ParsedRecord;
import claude.code.api.transcript.RecordParser;
import claude.code.api.transcript.TailProblem;
import claude.code.api.transcript.TailSink;
import java.util.Objects;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * What a session hears from its transcript: each record that is an event becomes a signal for the
 * running turn, a line that cannot be parsed goes to the parse-error callback (the turn goes on
 * without it), and the tail's end becomes the last signal. Kept apart from {@link CliSession} so
 * that the path from file to turn can be tested without a CLI.
 */
final class TranscriptFeed implements TailSink {
    private static final System.Logger LOG = System.getLogger(TranscriptFeed.class.getName());

    private final String sessionId;
    private final RecordParser parser;
    private final Queue<SessionSignal> signals;
    private final Consumer<MessageParseError> onParseError;
    private final Consumer<TailProblem> onProblem;

    /**
     * @param onParseError the session's callback; one that throws is logged and the feed goes on
     * @param onProblem told of the tail's end before the turn hears of it
     */
    TranscriptFeed(String sessionId, RecordParser parser, Queue<SessionSignal> signals,
            Consumer<MessageParseError> onParseError, Consumer<TailProblem> onProblem) {
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.signals = Objects.requireNonNull(signals, "signals");
        this.onParseError = Objects.requireNonNull(onParseError, "onParseError");
        this.onProblem = Objects.requireNonNull(onProblem, "onProblem");
    }

    @Override
    public void line(long offset, byte[] bytes, int off, int len) {
        switch (parser.parse(offset, bytes, off, len)) {
            case ParsedRecord.Parsed(var event) -> signals.add(new SessionSignal.Record(offset, event));
            case ParsedRecord.Invalid(MessageParseError error) -> reportParseError(error);
            case ParsedRecord.Skipped skipped -> {}
        }
    }

    @Override
    public void problem(TailProblem problem) {
        onProblem.accept(problem);
        signals.add(new SessionSignal.TailStopped(problem));
    }

    private void reportParseError(MessageParseError error) {
        try {
            onParseError.accept(error);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the parse-error callback of session " + sessionId + " failed", e);
        }
    }
}
