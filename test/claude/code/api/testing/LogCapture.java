package claude.code.api.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects every record logged under claude.code.api, at every level, while it is installed (tests that logs hold no secrets). */
public final class LogCapture extends Handler implements AutoCloseable {
    private final List<String> lines = new ArrayList<>();
    private final Logger logger = Logger.getLogger("claude.code.api");
    private final Level level = logger.getLevel();

    public LogCapture() {
        setLevel(Level.ALL);
        logger.setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        StringBuilder s = new StringBuilder(record.getLoggerName() + " " + record.getLevel() + " "
                + new java.util.logging.SimpleFormatter().formatMessage(record));
        if (record.getParameters() != null) {
            for (Object p : record.getParameters()) {
                s.append(" | ").append(p);
            }
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            s.append(" | ").append(trace);
        }
        lines.add(s.toString());
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(level);
    }
}
