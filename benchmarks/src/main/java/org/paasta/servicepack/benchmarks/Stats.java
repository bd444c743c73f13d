package org.paasta.servicepack.benchmarks;

import java.util.Arrays;

/**
 * Latencies of one measured series: percentiles by nearest rank, the mean (to set beside the
 * means a broker's own timers give), throughput over the window.
 */
record Stats(long count, double seconds, double p50Ms, double p95Ms, double p99Ms, double maxMs, double meanMs,
        long errors) {
    static Stats of(long[] nanos, int count, double seconds, long errors) {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return new Stats(count, seconds, rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99),
                count == 0 ? Double.NaN : sorted[count - 1] / 1e6,
                count == 0 ? Double.NaN : Arrays.stream(sorted).average().orElse(Double.NaN) / 1e6, errors);
    }

    double perSecond() {
        return seconds <= 0 ? Double.NaN : count / seconds;
    }

    private static double rank(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    /** Collects nanosecond samples without boxing. */
    static final class Samples {
        private long[] values = new long[1024];
        private int size;

        void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        void addAll(Samples other) {
            for (int i = 0; i < other.size; i++) {
                add(other.values[i]);
            }
        }

        int size() {
            return size;
        }

        Stats stats(double seconds, long errors) {
            return Stats.of(values, size, seconds, errors);
        }
    }
}
