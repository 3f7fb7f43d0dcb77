package claude.code.api.options;

import java.util.Objects;

/**
 * How a conversation's history reaches a session, and how a session's transcript is read back.
 *
 * @param mode how a new session gets earlier messages when no live session holds them
 * @param waitForTurnDuration end a turn only at the CLI's {@code system}/{@code turn_duration}
 *     record (it arrives in the same write as the last message); without it a turn ends at the
 *     first model message with a final stop reason, no pending tool use and no thinking as its last
 *     block (a thinking record also says {@code end_turn})
 * @param includeMetaUser deliver the CLI's {@code isMeta} user records (system reminders) as events
 */
public record HistoryOptions(HistoryMode mode, boolean waitForTurnDuration, boolean includeMetaUser) {

    /** Seeded transcripts, turns confirmed by {@code turn_duration}, no meta records. */
    public static final HistoryOptions DEFAULTS = new HistoryOptions(HistoryMode.NATIVE_JSONL, true, false);

    public HistoryOptions {
        Objects.requireNonNull(mode, "historyMode");
    }
}
