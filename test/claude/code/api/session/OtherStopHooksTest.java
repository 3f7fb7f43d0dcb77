package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether a hook besides ours may run at a turn's end: the answer that lets a turn end at its final message_stop. */
class OtherStopHooksTest {
    static final String STOP_HOOK = "{\"hooks\":{\"Stop\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"true\"}]}]}}";

    @TempDir Path root;

    Path cwd() throws IOException {
        return Files.createDirectories(root.resolve("work/project"));
    }

    Path config() throws IOException {
        return Files.createDirectories(root.resolve("config"));
    }

    boolean mayExist(String userSettings, List<String> extraArgs) throws IOException {
        return OtherStopHooks.mayExist(SessionHooks.read(userSettings, cwd()), extraArgs, cwd(), config(), root.resolve("no-managed"));
    }

    @Test
    void noSettingsAnywhereMeansNoOtherStopHook() throws IOException {
        assertFalse(mayExist(null, List.of()));
    }

    @Test
    void settingsWithHooksForOtherEventsOnlyMeanNoOtherStopHook() throws IOException {
        Files.writeString(config().resolve("settings.json"), "{\"hooks\":{\"PreToolUse\":[{\"hooks\":[]}],\"Stop\":[]}}");
        assertFalse(mayExist("{\"model\":\"opus\"}", List.of()));
    }

    @Test
    void theUsersOwnSettingsWithAStopHookCount() throws IOException {
        assertTrue(mayExist(STOP_HOOK, List.of()));
    }

    @Test
    void aSettingsFileNamedByTheUserCounts() throws IOException {
        Files.writeString(cwd().resolve("mine.json"), STOP_HOOK);
        assertTrue(mayExist("mine.json", List.of()));
    }

    @Test
    void theConfigDirsSettingsCount() throws IOException {
        Files.writeString(config().resolve("settings.json"), STOP_HOOK);
        assertTrue(mayExist(null, List.of()));
    }

    @Test
    void aProjectsLocalSettingsAboveTheCwdCount() throws IOException {
        Path claude = Files.createDirectories(root.resolve("work/.claude"));
        Files.writeString(claude.resolve("settings.local.json"), STOP_HOOK);
        assertTrue(mayExist(null, List.of()));
    }

    @Test
    void anEnabledPluginCountsForItMayBringHooks() throws IOException {
        Files.writeString(config().resolve("settings.json"), "{\"enabledPlugins\":{\"formatter@market\":true}}");
        assertTrue(mayExist(null, List.of()));
    }

    @Test
    void aSettingsFileThatIsNotJsonCounts() throws IOException {
        Files.writeString(config().resolve("settings.json"), "{\"hooks\": ");
        assertTrue(mayExist(null, List.of()));
    }

    @Test
    void aPluginDirFlagCounts() throws IOException {
        assertTrue(mayExist(null, List.of("--plugin-dir", "/opt/plugins")));
    }

    @Test
    void managedSettingsCount() throws IOException {
        Path managed = Files.createDirectories(root.resolve("etc-claude-code"));
        assertTrue(OtherStopHooks.mayExist(JsonObject.EMPTY, List.of(), cwd(), config(), managed));
    }
}
