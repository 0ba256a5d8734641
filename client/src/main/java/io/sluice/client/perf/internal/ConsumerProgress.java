package io.sluice.client.perf.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * The progress lines of {@code perf consume --show-detailed-stats}, in Kafka ConsumerPerformance's
 * format: the time, the thread id (always 0: the line covers every consumer of the run), MB read so
 * far, MB/s in the interval, records read so far, records/s in the interval, the part of the
 * interval spent waiting for the first assignment (rebalance), the rest (fetch) and the rates over
 * that rest. Like Kafka's tool it prints a line only when records have arrived since the last one,
 * so an idle stretch is folded into the next line's interval. Not thread-safe: one reporting thread.
 */
public final class ConsumerProgress {
    /** The columns Kafka's progress lines and its result line share, after their two time columns. */
    public static final String AMOUNT_COLUMNS = "data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, "
            + "rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec";
    /** Kafka's header of the progress lines. */
    public static final String HEADER = "time, threadId, " + AMOUNT_COLUMNS;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss:SSS")
            .withZone(ZoneId.systemDefault());
    /** Kafka's tools' MB: 2^20 bytes. */
    public static final double MIB = 1024.0 * 1024.0;
    private static final long NS_PER_MS = 1_000_000L;

    private long lastNs;
    private long lastRecords;
    private long lastBytes;

    /** Progress of a run that started at {@code startNs} (monotonic). */
    public ConsumerProgress(long startNs) {
        this.lastNs = startNs;
    }

    /**
     * The line for the interval since the last one, if records arrived in it.
     *
     * @param nowNs      monotonic time now
     * @param wallMs     wall-clock time now (the line's time column)
     * @param records    records read so far
     * @param bytes      key and value bytes read so far
     * @param assignedNs when the first partitions were assigned, {@code Long.MAX_VALUE} if not yet
     */
    public Optional<String> line(long nowNs, long wallMs, long records, long bytes, long assignedNs) {
        if (records == lastRecords) {
            return Optional.empty();
        }
        long intervalMs = (nowNs - lastNs) / NS_PER_MS;
        long rebalanceMs = Math.max(0, Math.min(nowNs, assignedNs) - lastNs) / NS_PER_MS;
        long fetchMs = intervalMs - rebalanceMs;
        double mb = (bytes - lastBytes) / MIB;
        long read = records - lastRecords;
        String line = String.format(Locale.ROOT, "%s, 0, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f",
                time(wallMs), bytes / MIB, perSecond(mb, intervalMs), records,
                perSecond(read, intervalMs), rebalanceMs, fetchMs, perSecond(mb, fetchMs), perSecond(read, fetchMs));
        lastNs = nowNs;
        lastRecords = records;
        lastBytes = bytes;
        return Optional.of(line);
    }

    /** {@code wallMs} as Kafka's consumer tool prints times. */
    public static String time(long wallMs) {
        return TIME.format(Instant.ofEpochMilli(wallMs));
    }

    /** {@code amount} per second over {@code ms}, 0 over no time. */
    public static double perSecond(double amount, long ms) {
        return ms <= 0 ? 0 : amount * 1000 / ms;
    }
}
