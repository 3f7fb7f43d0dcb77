package claude.code.api.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The interactive CLI in a terminal made by util-linux {@code script}, for recording fixtures
 * without the project's own PTY (which other tests exercise). {@code script} copies our pipe to
 * the terminal's input and the terminal's output to our pipe; the CLI sees a real tty.
 */
final class ScriptTerminal implements AutoCloseable {

    /** The prompt is ready when {@code ❯} + NO-BREAK SPACE is drawn ({@code docs/CLI-BEHAVIOUR.md#readiness}). */
    static final String READY = "\u276F\u00A0";

    private final Process process;
    private final OutputStream keyboard;
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream(); // guarded by itself
    private final Thread reader;

    ScriptTerminal(ClaudeTestHome home, int columns, int rows, List<String> args) throws IOException {
        StringBuilder shell = new StringBuilder("stty rows " + rows + " cols " + columns + "; exec " + quote(CliPeer.executable().toString()));
        for (String arg : args) {
            shell.append(' ').append(quote(arg));
        }
        List<String> command = new ArrayList<>(List.of("script", "-qfec", shell.toString(), "/dev/null"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.workspace().toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(home.environment());
        process = builder.start();
        keyboard = process.getOutputStream();
        reader = Thread.ofPlatform().name("script-terminal-reader").daemon().start(this::pump);
    }

    private void pump() {
        byte[] buffer = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                synchronized (screen) {
                    screen.write(buffer, 0, n);
                    screen.notifyAll();
                }
            }
        } catch (IOException e) {
            // terminal closed
        }
    }

    /** Everything drawn so far, decoded as UTF-8. */
    String output() {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8);
        }
    }

    /** Output length so far: pass it to {@link #awaitOutput} to look only at what comes after. */
    int mark() {
        synchronized (screen) {
            return screen.size();
        }
    }

    void awaitOutput(String text, int fromByte, Duration guard) throws InterruptedException {
        long deadline = System.nanoTime() + guard.toNanos();
        synchronized (screen) {
            while (true) {
                byte[] all = screen.toByteArray();
                String since = new String(all, Math.min(fromByte, all.length), all.length - Math.min(fromByte, all.length),
                        StandardCharsets.UTF_8);
                if (since.contains(text)) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive()) {
                    throw new IllegalStateException("no \"" + text + "\" on the terminal after " + guard
                            + (process.isAlive() ? "" : " (claude exited)") + "; tail: " + tail(since));
                }
                TimeUnit.NANOSECONDS.timedWait(screen, left);
            }
        }
    }

    void type(String keys) throws IOException {
        keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** Pastes {@code text} (bracketed paste, the safe channel: {@code docs/CLI-BEHAVIOUR.md#input}), then Enter. */
    void submit(String text) throws IOException, InterruptedException {
        type("\u001b[200~" + text + "\u001b[201~");
        Thread.sleep(300); // the TUI must take the paste before the Enter, or it becomes part of it
        type("\r");
    }

    /** Ctrl-C twice (the CLI's own exit), then waits; kills the tree if it does not go. */
    @Override
    public void close() throws IOException {
        try {
            if (process.isAlive()) {
                type("\u0003");
                Thread.sleep(200);
                type("\u0003");
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                CliPeer.killTree(process.toHandle());
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            CliPeer.killTree(process.toHandle());
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            CliPeer.killTree(process.toHandle()); // its input is gone: it cannot be asked to exit
        } finally {
            keyboard.close();
        }
    }

    private static String tail(String s) {
        String plain = s.replaceAll("\u001b\\[[0-9;?<>=]*[a-zA-Z~]", " ").replaceAll("\\s+", " ");
        return plain.length() <= 400 ? plain : plain.substring(plain.length() - 400);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
