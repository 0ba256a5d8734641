package io.sluice.client.perf.internal;

/**
 * A histogram of non-negative values (nanoseconds here) in log-linear buckets, in the manner of
 * HdrHistogram: values below 256 are counted exactly; above, every power of two is split into 128
 * equal buckets, so a reported value is at most 1/128 (0.8%) above the true one. Memory is fixed
 * (7,424 counters), recording is a few shifts and an increment, and percentiles are exact up to
 * the bucket width. Negative values count as 0.
 *
 * <p>Not thread-safe: one writer at a time, or guard it (see {@link LatencyRecorder}).
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 8;
    private static final int SUB_COUNT = 1 << SUB_BITS;
    private static final int HALF = SUB_COUNT >> 1;
    private static final int BUCKETS = SUB_COUNT + (Long.SIZE - SUB_BITS) * HALF;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max;

    /** The bucket a value falls in. */
    static int indexOf(long value) {
        if (value < SUB_COUNT) {
            return (int) value;
        }
        int bits = Long.SIZE - Long.numberOfLeadingZeros(value);
        int shift = bits - SUB_BITS;
        int top = (int) (value >>> shift);
        return SUB_COUNT + (shift - 1) * HALF + (top - HALF);
    }

    /** The largest value that falls in bucket {@code index}. */
    static long highestValueIn(int index) {
        if (index < SUB_COUNT) {
            return index;
        }
        int relative = index - SUB_COUNT;
        int shift = relative / HALF + 1;
        long top = relative % HALF + HALF;
        return ((top + 1) << shift) - 1;
    }

    /** Counts one value. */
    public void record(long value) {
        long v = Math.max(0, value);
        counts[indexOf(v)]++;
        count++;
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
    }

    /** Adds every value counted by {@code other}. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        sum += other.sum;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    /** Forgets every value. */
    public void reset() {
        java.util.Arrays.fill(counts, 0);
        count = 0;
        sum = 0;
        min = Long.MAX_VALUE;
        max = 0;
    }

    /** A copy with the same counts. */
    public LatencyHistogram copy() {
        LatencyHistogram copy = new LatencyHistogram();
        copy.add(this);
        return copy;
    }

    public long count() {
        return count;
    }

    /** The largest value recorded (exact), 0 when empty. */
    public long max() {
        return max;
    }

    /** The smallest value recorded (exact), 0 when empty. */
    public long min() {
        return count == 0 ? 0 : min;
    }

    /** The mean of the values recorded (exact), 0 when empty. */
    public double mean() {
        return count == 0 ? 0 : (double) sum / count;
    }

    /**
     * The value below or at which {@code percentile} percent of the values lie: the top of the
     * bucket holding the value of that rank, never above the largest value recorded. 0 when empty.
     */
    public long valueAtPercentile(double percentile) {
        if (count == 0) {
            return 0;
        }
        double p = Math.min(100, Math.max(0, percentile));
        long rank = Math.max(1, (long) Math.ceil(p / 100 * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(highestValueIn(i), max);
            }
        }
        return max;
    }
}
