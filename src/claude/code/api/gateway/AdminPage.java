package claude.code.api.gateway;

import claude.code.api.SessionInfo;
import claude.code.api.json.JsonArray;
import claude.code.api.json.JsonNull;
import claude.code.api.json.JsonObject;
import claude.code.api.json.JsonString;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code GET /admin}: a small page listing the live CLI sessions with each one's terminal screen.
 * The page and its script are static; the script fetches {@code /admin/sessions} and
 * {@code /admin/sessions/<id>/screen} (which need the token when one is set; the page asks for
 * it and keeps it in the tab's session storage) and puts every value into the page as text
 * ({@code textContent}), never as markup. The screen is the CLI's terminal as our VT100 model
 * ({@code claude.code.api.terminal.TerminalScreen}) holds it: the CLI redraws its TUI in place
 * with cursor moves, so only an interpreted screen shows what a person at that terminal would see.
 */
final class AdminPage {
    static final Pattern SESSION_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** No inline script, no framing, no other origin. */
    static final String CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private final Backends backends;

    AdminPage(Backends backends) {
        this.backends = backends;
    }

    /** {@code GET /admin}: the page. */
    void page(Call call, String pathPart) throws IOException {
        send(call, "text/html; charset=utf-8", HTML);
    }

    /** {@code GET /admin/admin.js}: its script. */
    void script(Call call, String pathPart) throws IOException {
        send(call, "text/javascript; charset=utf-8", SCRIPT);
    }

    /** {@code GET /admin/sessions}: the live sessions as JSON. */
    void sessions(Call call, String pathPart) throws IOException {
        securityHeaders(call);
        call.sendJson(200, sessionsJson(backends.liveSessions()));
    }

    /** {@code GET /admin/sessions/{id}/screen}: a live session's terminal screen as text. */
    void screen(Call call, String id) throws HttpError, IOException {
        if (!SESSION_ID.matcher(id).matches()) {
            throw HttpError.badRequest("not a session id (a lowercase UUID)");
        }
        String screen = backends.screen(id).orElseThrow(() -> HttpError.notFound("no live session " + id));
        send(call, "text/plain; charset=utf-8", screen);
    }

    private static void send(Call call, String contentType, String text) throws IOException {
        securityHeaders(call);
        call.sendText(200, contentType, text);
    }

    private static void securityHeaders(Call call) {
        var h = call.exchange.getResponseHeaders();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cache-Control", "no-store");
    }

    private static JsonObject sessionsJson(List<Backends.Live> live) {
        JsonArray.Builder sessions = JsonArray.builder();
        for (Backends.Live l : live) {
            SessionInfo s = l.info();
            sessions.add(JsonObject.builder().put("session_id", s.sessionId()).put("pid", s.pid())
                    .put("state", s.active() ? "active" : s.awaitedToolCalls() > 0 ? "awaiting_client_tools" : "idle")
                    .put("awaited_tool_calls", s.awaitedToolCalls()).put("age_seconds", s.age().toSeconds())
                    .put("idle_seconds", s.idleFor().toSeconds()).put("turns", s.turns())
                    .put("model", l.optionSet().model() == null ? "default" : l.optionSet().model())
                    .put("custom_system_prompt", l.optionSet().system() != null)
                    .put("cli_version", l.cliVersion() == null ? JsonNull.INSTANCE : new JsonString(l.cliVersion())).build());
        }
        return JsonObject.builder().put("sessions", sessions.build()).build();
    }

    static final String HTML = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>claude-code-api: sessions</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
            h1 { font-size: 1.3rem; } h2 { font-size: 1rem; font-family: monospace; margin-bottom: .2rem; }
            p.meta { margin: 0 0 .4rem; color: #555; }
            pre { background: #111; color: #ddd; padding: .6rem; overflow-x: auto; font-size: 12px; line-height: 1.25; }
            #status { color: #555; }
            </style>
            </head>
            <body>
            <h1>claude-code-api: live CLI sessions</h1>
            <p id="status">loading…</p>
            <form id="login" hidden>
            <label>Gateway token: <input id="token" type="password" autocomplete="off"></label>
            <button type="submit">Use</button>
            </form>
            <div id="sessions"></div>
            <script src="/admin/admin.js"></script>
            </body>
            </html>
            """;

    static final String SCRIPT = """
            'use strict';
            const TOKEN = 'claude-code-api-token';
            const statusLine = document.getElementById('status');
            const list = document.getElementById('sessions');
            const login = document.getElementById('login');

            function headers() {
              const token = sessionStorage.getItem(TOKEN);
              return token ? { Authorization: 'Bearer ' + token } : {};
            }

            function seconds(s) {
              if (s < 120) return s + ' s';
              if (s < 7200) return Math.floor(s / 60) + ' min';
              return Math.floor(s / 3600) + ' h';
            }

            function element(tag, className, text) {
              const e = document.createElement(tag);
              if (className) e.className = className;
              if (text !== undefined) e.textContent = text;
              return e;
            }

            async function refresh() {
              let response;
              try {
                response = await fetch('/admin/sessions', { headers: headers(), cache: 'no-store' });
              } catch (e) {
                statusLine.textContent = 'The gateway does not answer.';
                return;
              }
              if (response.status === 401) {
                login.hidden = false;
                statusLine.textContent = 'This gateway needs its token.';
                return;
              }
              if (!response.ok) {
                statusLine.textContent = 'Error ' + response.status + '.';
                return;
              }
              login.hidden = true;
              const sessions = (await response.json()).sessions;
              const waiting = sessions.filter(s => s.state === 'awaiting_client_tools').length;
              statusLine.textContent = sessions.length + ' live session(s)' + (waiting ? ', ' + waiting
                + ' waiting for client tool results' : '') + ', as of ' + new Date().toLocaleTimeString() + '.';
              const sections = [];
              for (const s of sessions) {
                const section = element('section');
                section.append(element('h2', null, s.session_id));
                const state = s.state === 'awaiting_client_tools'
                  ? 'waiting for the client\'s results of ' + s.awaited_tool_calls + ' tool call(s)' : s.state;
                section.append(element('p', 'meta', 'pid ' + s.pid + ' · ' + state + ' · started ' + seconds(s.age_seconds)
                  + ' ago · ' + s.turns + ' turn(s) · idle ' + seconds(s.idle_seconds) + ' · model ' + s.model
                  + (s.custom_system_prompt ? ' · client system prompt' : '')));
                const screen = element('pre', null, '…');
                section.append(screen);
                sections.push(section);
                fetch('/admin/sessions/' + encodeURIComponent(s.session_id) + '/screen', { headers: headers(), cache: 'no-store' })
                  .then(r => r.ok ? r.text() : '(no screen: ' + r.status + ')')
                  .then(text => { screen.textContent = text; })
                  .catch(() => { screen.textContent = '(no screen)'; });
              }
              list.replaceChildren(...sections);
            }

            login.addEventListener('submit', event => {
              event.preventDefault();
              sessionStorage.setItem(TOKEN, document.getElementById('token').value);
              refresh();
            });
            refresh();
            setInterval(refresh, 3000);
            """;
}
