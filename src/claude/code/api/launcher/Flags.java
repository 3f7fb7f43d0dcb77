package claude.code.api.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags of a subcommand: {@code --name value}, {@code --name=value}, or a bare
 * {@code --name} for a switch; {@code --} ends them. A flag not given falls back to the
 * environment variable {@code CLAUDE_CODE_API_<NAME>} ({@code --pool-size} ↔
 * {@code CLAUDE_CODE_API_POOL_SIZE}); a switch there is on for {@code 1}, {@code true} or {@code yes}.
 */
final class Flags {
    /** One flag: its name without dashes, whether it is a switch, its value's name and its help. */
    record Spec(String name, boolean isSwitch, String valueName, String help) {
        String env() {
            return envName(name);
        }
    }

    /** A usage error: the message says what is wrong and the launcher exits with 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private final Map<String, String> values;
    private final List<String> positional;
    private final Map<String, String> environment;

    private Flags(Map<String, String> values, List<String> positional, Map<String, String> environment) {
        this.values = values;
        this.positional = positional;
        this.environment = environment;
    }

    static String envName(String flag) {
        return "CLAUDE_CODE_API_" + flag.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    static Flags parse(List<String> args, List<Spec> specs, Map<String, String> environment) throws UsageException {
        Map<String, Spec> byName = new LinkedHashMap<>();
        specs.forEach(s -> byName.put(s.name(), s));
        Map<String, String> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                positional.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!a.startsWith("--") || a.length() == 2) {
                if (a.startsWith("-") && a.length() > 1) {
                    throw new UsageException("unknown option " + a);
                }
                positional.add(a);
                continue;
            }
            int eq = a.indexOf('=');
            String name = a.substring(2, eq < 0 ? a.length() : eq);
            Spec spec = byName.get(name);
            if (spec == null) {
                throw new UsageException("unknown option --" + name);
            }
            String value;
            if (spec.isSwitch()) {
                value = eq < 0 ? "true" : a.substring(eq + 1);
            } else if (eq >= 0) {
                value = a.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException("--" + name + " needs a value (" + spec.valueName() + ")");
            }
            values.put(name, value);
        }
        return new Flags(values, positional, environment);
    }

    /** The flag's value, else its environment variable's, else {@code null}. */
    String get(String name) {
        String v = values.get(name);
        if (v == null) {
            v = environment.get(envName(name));
            if (v != null && v.isEmpty()) {
                v = null;
            }
        }
        return v;
    }

    String get(String name, String fallback) {
        String v = get(name);
        return v == null ? fallback : v;
    }

    boolean isSet(String name) {
        String v = get(name);
        if (v == null) {
            return false;
        }
        return Set.of("1", "true", "yes", "on").contains(v.toLowerCase(Locale.ROOT));
    }

    int integer(String name, int fallback, int min, int max) throws UsageException {
        String v = get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) {
                throw new UsageException("--" + name + ": must be " + min + ".." + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + ": not a number: " + v);
        }
    }

    /** A size in bytes: a number with an optional {@code K}, {@code M} or {@code G} (powers of 1024). */
    long bytes(String name, long fallback) throws UsageException {
        String v = get(name);
        if (v == null) {
            return fallback;
        }
        String s = v.strip().toUpperCase(Locale.ROOT);
        if (s.endsWith("B")) {
            s = s.substring(0, s.length() - 1);
        }
        long unit = 1;
        if (s.endsWith("K") || s.endsWith("M") || s.endsWith("G")) {
            unit = switch (s.charAt(s.length() - 1)) {
                case 'K' -> 1024L;
                case 'M' -> 1024L * 1024;
                default -> 1024L * 1024 * 1024;
            };
            s = s.substring(0, s.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(s.strip()), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException("--" + name + ": not a size (e.g. 32M): " + v);
        }
    }

    /** The value as one of {@code choices} (case-insensitive, {@code -} and {@code _} alike), or {@code null}. */
    String choice(String name, List<String> choices) throws UsageException {
        String v = get(name);
        if (v == null) {
            return null;
        }
        for (String c : choices) {
            if (c.equalsIgnoreCase(v.strip()) || c.replace('_', '-').equalsIgnoreCase(v.strip().replace('_', '-'))) {
                return c;
            }
        }
        throw new UsageException("--" + name + ": \"" + v + "\" is not one of " + String.join(", ", choices));
    }

    List<String> positional() {
        return positional;
    }

    /** Help lines for {@code specs}: flag, value, environment variable, description. */
    static String help(List<Spec> specs) {
        StringBuilder out = new StringBuilder();
        for (Spec s : specs) {
            String flag = "  --" + s.name() + (s.isSwitch() ? "" : " " + s.valueName());
            out.append(flag);
            out.append(" ".repeat(Math.max(2, 32 - flag.length())));
            out.append(s.help()).append("  [").append(s.env()).append("]\n");
        }
        return out.toString();
    }
}
