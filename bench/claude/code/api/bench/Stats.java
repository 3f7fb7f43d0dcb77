package claude.code.api.bench;

import java.util.Arrays;
import java.util.List;

/** Order statistics over repeated measurements (nearest rank). */
record Stats(double[] sorted) {

    static Stats of(List<Double> values) {
        double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        if (a.length == 0) {
            throw new IllegalArgumentException("no measurements");
        }
        return new Stats(a);
    }

    static Stats ofNanosAsMillis(List<Long> nanos) {
        return of(nanos.stream().map(n -> n / 1e6).toList());
    }

    double percentile(double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }

    double median() {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    double p90() {
        return percentile(90);
    }

    double min() {
        return sorted[0];
    }

    double max() {
        return sorted[sorted.length - 1];
    }

    int count() {
        return sorted.length;
    }

    @Override
    public String toString() {
        return "n=%d min=%.2f p50=%.2f p90=%.2f max=%.2f".formatted(count(), min(), median(), p90(), max());
    }
}
