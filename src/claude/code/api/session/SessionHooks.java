package claude.code.api.session;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonParseException;
import claude.code.api.json.JsonValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The CLI hooks a session with the relay installs through {@code --settings}: {@code http} hooks
 * ({@code docs/CLI-BEHAVIOUR.md#http-hooks}) for {@code Stop} and {@code StopFailure}, posted to the
 * session's side channel, which answers them at once. The user's own {@code settings} stay: ours are
 * merged into them (their hooks for the same events run too), because the CLI keeps only the last
 * of two {@code --settings} flags ({@code docs/CLI-BEHAVIOUR.md#relay-hooks}).
 */
final class SessionHooks {
    static final String STOP = "Stop";
    static final String STOP_FAILURE = "StopFailure";
    static final List<String> EVENTS = List.of(STOP, STOP_FAILURE);
    /** Seconds the CLI gives a hook; ours answers at once, this only bounds a stuck side channel. */
    static final int TIMEOUT_SECONDS = 5;

    private SessionHooks() {}

    /**
     * The user's settings with our hooks added.
     *
     * @param user the user's settings, as {@link #read} gives them
     * @param urlFor the hook URL of an event
     */
    static JsonObject merge(JsonObject user, UnaryOperator<String> urlFor) {
        JsonObject hooks = user.get("hooks") instanceof JsonObject h ? h : JsonObject.EMPTY;
        JsonObject.Builder merged = hooks.toBuilder();
        for (String event : EVENTS) {
            JsonArray.Builder matchers = JsonArray.builder();
            if (hooks.get(event) instanceof JsonArray theirs) {
                theirs.forEach(matchers::add);
            }
            JsonObject ours = JsonObject.builder().put("type", "http").put("url", urlFor.apply(event))
                    .put("timeout", TIMEOUT_SECONDS).build();
            matchers.add(JsonObject.builder().put("hooks", JsonArray.of(ours)).build());
            merged.put(event, matchers.build());
        }
        JsonObject.Builder out = user.toBuilder().put("hooks", merged.build());
        // An allowlist of http-hook URLs that the user keeps must let ours through.
        if (user.get("allowedHttpHookUrls") instanceof JsonArray allowed) {
            JsonArray.Builder urls = JsonArray.builder();
            allowed.forEach(urls::add);
            EVENTS.forEach(e -> urls.add(urlFor.apply(e)));
            out.put("allowedHttpHookUrls", urls.build());
        }
        return out.build();
    }

    /**
     * The user's settings, read once: {@link #merge} adds our hooks to them and {@link OtherStopHooks} looks for
     * theirs.
     *
     * @param settings {@code LaunchOptions.settings}: a JSON object, a settings file (relative to {@code cwd}), or
     *     {@code null} (an empty object)
     * @throws IllegalArgumentException when the settings are not a JSON object (naming the file or the byte offset)
     */
    static JsonObject read(String settings, Path cwd) throws IOException {
        if (settings == null) {
            return JsonObject.EMPTY;
        }
        String text;
        String what;
        if (settings.strip().startsWith("{")) {
            text = settings;
            what = "settings";
        } else {
            Path file = cwd.resolve(settings);
            text = Files.readString(file);
            what = "settings file " + file;
        }
        JsonValue value;
        try {
            value = Json.parse(text);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(what + ": not JSON at byte " + e.offset() + ": " + e.getMessage(), e);
        }
        if (!(value instanceof JsonObject object)) {
            throw new IllegalArgumentException(what + ": is " + Json.describeType(value) + ", not a JSON object");
        }
        return object;
    }
}
