package claude.code.api.session;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a hook other than ours may run at the end of a session's turns. A {@code Stop} hook may make the CLI go
 * on with the turn ({@code docs/CLI-BEHAVIOUR.md#end-at-message-stop}), so a turn's answer may end at the model's
 * final {@code message_stop} only when no one else can hook {@code Stop}: not the user's {@code settings}, not a
 * settings file the CLI reads (the config dir's, a project's {@code .claude/} in the cwd or above it, a managed
 * one), not a plugin. The answer errs towards "maybe": a file that cannot be read or parsed, any enabled plugin,
 * any managed settings, or a {@code --plugin-dir} counts.
 */
final class OtherStopHooks {
    /** Where the CLI's managed (enterprise) settings live on Linux. */
    static final Path MANAGED = Path.of("/etc/claude-code");
    private static final List<String> USER_FILES = List.of("settings.json", "settings.local.json");

    private OtherStopHooks() {}

    /**
     * @param userSettings the user's {@code LaunchOptions.settings}, as {@link SessionHooks#read} gives them
     * @param extraArgs {@code LaunchOptions.extraArgs}
     * @param configDir the CLI's config dir ({@code CLAUDE_CONFIG_DIR}, or {@code ~/.claude})
     */
    static boolean mayExist(JsonObject userSettings, List<String> extraArgs, Path cwd, Path configDir, Path managed) {
        if (extraArgs.contains("--plugin-dir") || Files.exists(managed) || hooksStop(userSettings)) {
            return true;
        }
        List<Path> files = new ArrayList<>();
        USER_FILES.forEach(f -> files.add(configDir.resolve(f)));
        for (Path dir = cwd.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path project = dir.resolve(".claude");
            USER_FILES.forEach(f -> files.add(project.resolve(f)));
        }
        for (Path file : files) {
            if (Files.exists(file) && fileHooksStop(file)) {
                return true;
            }
        }
        return false;
    }

    /** A settings file with a {@code Stop} hook or an enabled plugin; one that is not a JSON object counts as one. */
    private static boolean fileHooksStop(Path file) {
        JsonValue value;
        try {
            value = Json.parse(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            return true;
        }
        return !(value instanceof JsonObject object) || hooksStop(object);
    }

    /** Settings with a {@code Stop} hook or an enabled plugin. */
    private static boolean hooksStop(JsonObject object) {
        if (object.get("hooks") instanceof JsonObject hooks && hooks.get(SessionHooks.STOP) instanceof JsonArray stop
                && !stop.isEmpty()) {
            return true;
        }
        return object.get("enabledPlugins") instanceof JsonObject plugins && !plugins.isEmpty();
    }
}
