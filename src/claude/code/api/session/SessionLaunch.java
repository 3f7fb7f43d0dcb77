package claude.code.api.session;

import java.nio.file.Path;
import java.util.List;

/**
 * What a new session starts from.
 *
 * @param sessionId a fresh UUID chosen by the caller
 * @param resume start with {@code --resume sessionId}: a seed transcript was written at {@code transcript}
 * @param transcript where the CLI will write (or, when resuming, append to) the session's records
 * @param startOffset where this session's new records begin (the seed's size; 0 for a fresh session)
 * @param everyMainCall amendments of every main-loop request of the session (a seeded continuation's true history
 *     in place of its marker, docs/CLI-BEHAVIOUR.md#relay-amendments); needs the relay
 */
public record SessionLaunch(String sessionId, boolean resume, Path transcript, long startOffset,
        List<RequestAmendment> everyMainCall) {
    public SessionLaunch {
        everyMainCall = List.copyOf(everyMainCall);
    }

    /** A session whose requests go out as the CLI sends them. */
    public SessionLaunch(String sessionId, boolean resume, Path transcript, long startOffset) {
        this(sessionId, resume, transcript, startOffset, List.of());
    }
}
