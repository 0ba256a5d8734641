package io.sluice.client.perf.internal;

import java.util.Locale;

/**
 * What a load generator measured over some span: records, their payload bytes, the span's length
 * and the latency of each record in nanoseconds. Rates and latencies are printed the way Kafka's
 * tools print them (MB = 2^20 bytes, latencies in milliseconds). Immutable (the histogram is a
 * private copy).
 */
public record Stats(long records, long bytes, long elapsedNs, LatencyHistogram latencies) {
    private static final double NS_PER_MS = 1e6;
    private static final double MIB = 1024.0 * 1024.0;

    /** Records per second over the span; 0 for an empty span. */
    public double recordsPerSecond() {
        return elapsedNs <= 0 ? 0 : records * 1e9 / elapsedNs;
    }

    /** MiB of payload per second over the span. */
    public double mbPerSecond() {
        return elapsedNs <= 0 ? 0 : bytes / MIB * 1e9 / elapsedNs;
    }

    /** A latency percentile in milliseconds. */
    public double percentileMs(double percentile) {
        return latencies.valueAtPercentile(percentile) / NS_PER_MS;
    }

    public double meanMs() {
        return latencies.mean() / NS_PER_MS;
    }

    public double maxMs() {
        return latencies.max() / NS_PER_MS;
    }

    /**
     * ProducerPerformance's closing line, {@code prefix} being e.g. "" or "steady state ": records,
     * records/s, MB/s, avg and max latency, then p50, p95, p99 and p99.9 (with two decimals where
     * Kafka prints whole milliseconds).
     */
    public String summaryLine(String prefix) {
        return String.format(Locale.ROOT, "%d %srecords sent, %.1f records/sec (%.2f MB/sec), %.2f ms avg latency, "
                + "%.2f ms max latency, %.2f ms 50th, %.2f ms 95th, %.2f ms 99th, %.2f ms 99.9th.", records, prefix,
                recordsPerSecond(), mbPerSecond(), meanMs(), maxMs(), percentileMs(50), percentileMs(95),
                percentileMs(99), percentileMs(99.9));
    }

    /** ProducerPerformance's periodic line: records, rates, avg and max latency of the window. */
    public String windowLine() {
        return String.format(Locale.ROOT, "%d records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, "
                + "%.1f ms max latency.", records, recordsPerSecond(), mbPerSecond(), meanMs(), maxMs());
    }
}
