package claude.code.api.pty;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to start in a pseudo-terminal: an immutable description, checked when it is built.
 *
 * @param command the program and its arguments, passed to the child as its {@code argv} exactly as
 *     given (never through a shell). A first element without a slash is looked up on the
 *     {@code PATH} of the child's environment (glibc's default {@code /bin:/usr/bin} when it has none).
 * @param environment the child's environment. With {@code inheritEnvironment == false} (the default)
 *     it is <em>all</em> the child gets; otherwise it is laid over this JVM's environment.
 * @param inheritEnvironment whether the child starts from this JVM's environment
 * @param directory the child's working directory (made absolute)
 * @param columns terminal width, 1..65535
 * @param rows terminal height, 1..65535
 */
public record PtySpec(List<String> command, Map<String, String> environment, boolean inheritEnvironment,
        Path directory, int columns, int rows) {

    public static final int DEFAULT_COLUMNS = 80;
    public static final int DEFAULT_ROWS = 24;

    public PtySpec {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(directory, "directory");
        if (command.isEmpty()) throw new IllegalArgumentException("command is empty");
        List<String> args = new ArrayList<>(command.size());
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            if (arg == null) throw new IllegalArgumentException("command argument " + i + " is null");
            if (arg.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("command argument " + i + " contains a NUL character");
            }
            args.add(arg);
        }
        if (args.get(0).isEmpty()) throw new IllegalArgumentException("command argument 0 (the program) is empty");
        command = Collections.unmodifiableList(args);

        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (name == null || name.isEmpty()) throw new IllegalArgumentException("environment has an empty variable name");
            if (name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment variable name " + quote(name) + " contains '=' or NUL");
            }
            if (value == null) throw new IllegalArgumentException("environment variable " + name + " has a null value");
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment variable " + name + " contains a NUL character");
            }
            env.put(name, value);
        }
        environment = Collections.unmodifiableMap(env);

        directory = directory.toAbsolutePath().normalize();
        checkSize(columns, rows);
    }

    /** A spec for {@code command} with an empty environment, this JVM's working directory and 80x24. */
    public static PtySpec of(String... command) {
        return of(List.of(command));
    }

    /** A spec for {@code command} with an empty environment, this JVM's working directory and 80x24. */
    public static PtySpec of(List<String> command) {
        return new PtySpec(command, Map.of(), false, Path.of(""), DEFAULT_COLUMNS, DEFAULT_ROWS);
    }

    /** This spec with {@code environment} replacing the environment. */
    public PtySpec withEnvironment(Map<String, String> environment) {
        return new PtySpec(command, environment, inheritEnvironment, directory, columns, rows);
    }

    /** This spec with one more environment variable (replacing one of the same name). */
    public PtySpec withEnv(String name, String value) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put(name, value);
        return withEnvironment(env);
    }

    public PtySpec withInheritEnvironment(boolean inheritEnvironment) {
        return new PtySpec(command, environment, inheritEnvironment, directory, columns, rows);
    }

    public PtySpec withDirectory(Path directory) {
        return new PtySpec(command, environment, inheritEnvironment, directory, columns, rows);
    }

    public PtySpec withSize(int columns, int rows) {
        return new PtySpec(command, environment, inheritEnvironment, directory, columns, rows);
    }

    /** The environment the child will get: {@link #environment()}, over this JVM's if inherited. */
    Map<String, String> effectiveEnvironment() {
        if (!inheritEnvironment) return environment;
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.putAll(environment);
        return env;
    }

    static void checkSize(int columns, int rows) {
        if (columns < 1 || columns > 0xFFFF) throw new IllegalArgumentException("columns must be 1..65535, got " + columns);
        if (rows < 1 || rows > 0xFFFF) throw new IllegalArgumentException("rows must be 1..65535, got " + rows);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\0", "\\0") + "\"";
    }
}
