package claude.code.api.transcript;

import claude.code.api.events.Event;
import claude.code.api.events.MessageParseError;
import java.util.Objects;

/** What {@link RecordParser} made of one transcript line. */
public sealed interface ParsedRecord {

    /** The line is a record the turn reports: an assistant, user or system message. */
    record Parsed(Event event) implements ParsedRecord {
        public Parsed {
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * The line is a valid record that is not part of the conversation (an attachment, an API request,
     * a queue operation, a meta user record when meta records are not wanted, ...), or a blank line.
     *
     * @param recordType the record's {@code type}, or a description such as {@code "blank line"}
     */
    record Skipped(String recordType) implements ParsedRecord {
        public Skipped {
            Objects.requireNonNull(recordType, "recordType");
        }
    }

    /** The line is not a valid record; the turn goes on without it. */
    record Invalid(MessageParseError error) implements ParsedRecord {
        public Invalid {
            Objects.requireNonNull(error, "error");
        }
    }
}
