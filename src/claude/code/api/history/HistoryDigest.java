package claude.code.api.history;

import claude.code.api.events.Message;
import claude.code.api.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A history's fingerprint ({@link Fingerprint#of}) hashed once up to its last message, so the fingerprint of the
 * history followed by a tail ({@link #followedBy}) costs the tail only: a turn is registered under a dozen views of
 * one conversation ({@link Fingerprint#registrationKeys}), and hashing the whole conversation (and every image in it)
 * once per view made the cost grow with the conversation a dozen times over. The last message stays open because
 * the normal form merges it with a tail that starts in the same role.
 */
final class HistoryDigest {
    private static final byte[] OPEN = {'['}, COMMA = {','}, CLOSE = {']'};

    /** SHA-256 of {@code [}, then each message of the normal form but the last, each followed by a comma. */
    private final MessageDigest beforeLast;
    /** The normal form's last message; {@code null} for an empty one. */
    private final Message last;

    HistoryDigest(List<Message> history) {
        List<Message> normal = Fingerprint.normalise(history);
        beforeLast = sha256();
        beforeLast.update(OPEN);
        for (int i = 0; i < normal.size() - 1; i++) {
            beforeLast.update(canonical(normal.get(i)));
            beforeLast.update(COMMA);
        }
        last = normal.isEmpty() ? null : normal.getLast();
    }

    /** The fingerprint of the history followed by {@code tail}: equal to {@link Fingerprint#of} of the two joined. */
    String followedBy(List<Message> tail) {
        List<Message> rest = new ArrayList<>(tail.size() + 1);
        if (last != null) {
            rest.add(last);
        }
        rest.addAll(Fingerprint.normalise(tail));
        MessageDigest digest = copy(beforeLast);
        List<Message> merged = Message.mergeAdjacent(rest);
        for (int i = 0; i < merged.size(); i++) {
            if (i > 0) {
                digest.update(COMMA);
            }
            digest.update(canonical(merged.get(i)));
        }
        digest.update(CLOSE);
        return HexFormat.of().formatHex(digest.digest());
    }

    /** One message of the normal form as its canonical JSON array element. */
    private static byte[] canonical(Message normal) {
        return Json.canonical(normal.toJson()).getBytes(StandardCharsets.UTF_8);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    private static MessageDigest copy(MessageDigest d) {
        try {
            return (MessageDigest) d.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError("the JDK's SHA-256 can be cloned", e);
        }
    }
}
