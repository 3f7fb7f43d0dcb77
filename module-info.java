/**
 * claude-code-api: drive the Claude Code CLI as a backend.
 *
 * <p>Exported packages are the public API; every other package is internal and may change.
 */
module claude.code.api {
    requires java.net.http;
    requires jdk.httpserver;

    exports claude.code.api;
    exports claude.code.api.events;
    exports claude.code.api.failures;
    exports claude.code.api.gateway;
    exports claude.code.api.json;
    exports claude.code.api.options;
    exports claude.code.api.pty;
}
