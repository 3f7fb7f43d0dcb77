package claude.code.api.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a run measured: each figure is printed at once as {@code BENCH <name> <value> <unit>}
 * (machine-readable), and all of them again as a table at the end, with the goal and how it was
 * measured.
 */
final class Report {

    /** One figure; {@code goal} is empty when the issue sets none. */
    record Figure(String name, double value, String unit, String goal, Boolean met, String note) {}

    private final List<Figure> figures = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    synchronized void add(String name, double value, String unit, String goal, Boolean met, String note) {
        Figure f = new Figure(name, value, unit, goal, met, note);
        figures.add(f);
        System.out.println("BENCH " + name + " " + format(value) + " " + unit);
        System.out.flush();
    }

    synchronized void info(String name, double value, String unit, String note) {
        add(name, value, unit, "", null, note);
    }

    synchronized void failed(String section, Throwable t) {
        failures.add(section + ": " + t);
        System.out.println("BENCH-FAILED " + section + " " + t);
        t.printStackTrace(System.out);
    }

    List<String> failures() {
        return failures;
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.3f", v);
    }

    synchronized void printTable() {
        int nw = Math.max(4, figures.stream().mapToInt(f -> f.name().length()).max().orElse(4));
        String row = "%-" + nw + "s  %12s  %-6s  %-10s  %-6s  %s%n";
        System.out.println();
        System.out.printf(Locale.ROOT, row, "name", "value", "unit", "goal", "met", "how");
        System.out.println("-".repeat(nw + 60));
        for (Figure f : figures) {
            System.out.printf(Locale.ROOT, row, f.name(), format(f.value()), f.unit(), f.goal(),
                    f.met() == null ? "" : f.met() ? "yes" : "NO", f.note());
        }
        if (!failures.isEmpty()) {
            System.out.println();
            System.out.println("FAILED sections:");
            failures.forEach(s -> System.out.println("  " + s));
        }
    }
}
