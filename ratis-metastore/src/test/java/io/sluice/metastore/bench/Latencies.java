package io.sluice.metastore.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds and their percentiles. Thread-safe (synchronized). */
final class Latencies {
    private long[] samples = new long[1024];
    private int count;

    /** Adds one sample. */
    synchronized void add(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
    }

    synchronized int count() {
        return count;
    }

    /** The {@code p}-th percentile (0..100) in milliseconds, or -1 without samples. */
    synchronized double percentileMs(double p) {
        if (count == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int i = (int) Math.min(count - 1, Math.max(0, Math.ceil(p / 100.0 * count) - 1));
        return sorted[i] / 1e6;
    }

    /** {@code p50=.. p99=.. p999=.. max=..} in milliseconds. */
    String summary() {
        return String.format("p50=%.1f p99=%.1f p999=%.1f max=%.1f", percentileMs(50), percentileMs(99),
                percentileMs(99.9), percentileMs(100));
    }
}
