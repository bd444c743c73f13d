package org.paasta.servicepack.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One figure measured in several rounds: the median of the rounds, and their lowest and highest,
 * so the noise of a shared machine shows next to the figure instead of hiding in it.
 */
record Spread(double median, double min, double max, int rounds) {
    static Spread of(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).sorted()
                .toArray();
        if (sorted.length == 0) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(median, sorted[0], sorted[n - 1], n);
    }

    static Spread of(double... values) {
        return of(Arrays.stream(values).boxed().toList());
    }

    /** {@code 1.23x (1.10–1.40)}, or the median alone after one round. */
    String ratio() {
        return format("%.2f", "x");
    }

    String format(String number, String unit) {
        if (Double.isNaN(median)) {
            return "-";
        }
        String m = String.format(Locale.ROOT, number, median) + unit;
        if (rounds < 2) {
            return m + " (1 round)";
        }
        return m + " (" + String.format(Locale.ROOT, number, min) + "–" + String.format(Locale.ROOT, number, max) + ")";
    }
}
