package claude.code.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import claude.code.api.json.Json;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionHooksTest {
    @TempDir
    Path cwd;

    static String url(String event) {
        return "http://127.0.0.1:1/secret/_hooks/" + event;
    }

    JsonObject merge(String userSettings) throws Exception {
        return SessionHooks.merge(SessionHooks.read(userSettings, cwd), SessionHooksTest::url);
    }

    @Test
    void withoutUserSettingsOnlyOurHttpHooksAreThere() throws Exception {
        JsonObject s = merge(null);
        JsonObject stop = s.object("hooks").array("Stop").object(0).array("hooks").object(0);
        assertEquals("http", stop.string("type"));
        assertEquals(url("Stop"), stop.string("url"));
        assertEquals(url("StopFailure"), s.object("hooks").array("StopFailure").object(0).array("hooks").object(0).string("url"));
    }

    @Test
    void theUsersOwnHooksAndSettingsStay() throws Exception {
        String user = "{\"model\":\"opus\",\"hooks\":{\"Stop\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"true\"}]}],"
                + "\"PreToolUse\":[{\"matcher\":\"Bash\",\"hooks\":[]}]}}";
        JsonObject s = merge(user);
        assertEquals("opus", s.string("model"));
        JsonArray stop = s.object("hooks").array("Stop");
        assertEquals(2, stop.size());
        assertEquals("true", stop.object(0).array("hooks").object(0).string("command"));
        assertEquals(url("Stop"), stop.object(1).array("hooks").object(0).string("url"));
        assertTrue(s.object("hooks").has("PreToolUse"));
    }

    @Test
    void aSettingsFileIsReadRelativeToTheCwdAndMerged() throws Exception {
        Files.writeString(cwd.resolve("my-settings.json"), "{\"env\":{\"A\":\"b\"}}");
        JsonObject s = merge("my-settings.json");
        assertEquals("b", s.object("env").string("A"));
        assertTrue(s.object("hooks").has("Stop"));
    }

    @Test
    void anAllowlistOfHookUrlsLetsOursThrough() throws Exception {
        JsonObject s = merge("{\"allowedHttpHookUrls\":[\"https://mine/*\"]}");
        assertEquals(Json.parse("[\"https://mine/*\",\"" + url("Stop") + "\",\"" + url("StopFailure") + "\"]"),
                s.array("allowedHttpHookUrls"));
    }

    @Test
    void settingsThatAreNotAJsonObjectAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SessionHooks.read("{\"a\":", cwd))
                .getMessage().startsWith("settings: not JSON at byte"));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> SessionHooks.read("missing.json", cwd));
    }
}
