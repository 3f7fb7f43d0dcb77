package claude.code.api.session;

import claude.code.api.json.Json;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The CLI's {@code <config>/sessions/<pid>.json} ({@code docs/CLI-BEHAVIOUR.md#sessions-file}):
 * its {@code status} is {@code busy} from about 0.1 s after a prompt is submitted until the turn
 * ends, whatever the shape of the end, then {@code idle}; {@code waiting} (with {@code waitingFor})
 * while a dialog waits for the user. It is the backstop that keeps a turn from hanging when the
 * transcript does not show its end.
 */
final class StatusFile {
    /** Larger files are not the CLI's status (it is about 700 bytes). */
    private static final long MAX_BYTES = 64 * 1024;

    /**
     * One reading.
     *
     * @param status {@code busy}, {@code idle}, {@code waiting}, {@code shell}, ...
     * @param waitingFor what a {@code waiting} CLI waits for, e.g. {@code dialog open}; or {@code null}
     * @param updatedAtMillis {@code statusUpdatedAt}: when the status last changed (epoch ms), 0 if absent
     */
    record Status(String status, String waitingFor, long updatedAtMillis) {
        boolean is(String s) {
            return s.equals(status);
        }
    }

    private final Path file;

    StatusFile(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The current status; empty when the file is missing, being rewritten, or not understood. */
    Optional<Status> read() {
        try {
            if (Files.size(file) > MAX_BYTES) {
                return Optional.empty();
            }
            if (!(Json.parse(Files.readAllBytes(file)) instanceof JsonObject o)) {
                return Optional.empty();
            }
            Optional<String> status = o.findString("status");
            return status.map(s -> new Status(s, o.findString("waitingFor").orElse(null),
                    o.findInteger("statusUpdatedAt").orElse(0L)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | JsonParseException | IllegalArgumentException e) {
            return Optional.empty(); // caught mid-write; the next reading will do
        }
    }
}
