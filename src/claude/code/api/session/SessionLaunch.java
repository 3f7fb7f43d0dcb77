package claude.code.api.session;

import java.nio.file.Path;

/**
 * What a new session starts from.
 *
 * @param sessionId a fresh UUID chosen by the caller
 * @param resume start with {@code --resume sessionId}: a seed transcript was written at {@code transcript}
 * @param transcript where the CLI will write (or, when resuming, append to) the session's records
 * @param startOffset where this session's new records begin (the seed's size; 0 for a fresh session)
 */
public record SessionLaunch(String sessionId, boolean resume, Path transcript, long startOffset) {}
