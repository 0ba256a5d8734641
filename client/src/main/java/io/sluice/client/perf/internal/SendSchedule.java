package io.sluice.client.perf.internal;

/**
 * When each record of a load generator is meant to be sent. Unpaced, a record is meant to go when
 * the loop reaches it. Paced at R records/s from a start time, record {@code i} is meant to go at
 * {@code start + i / R}, whether or not the loop keeps up: latency measured from that intended time
 * includes the time a record spent waiting because the system (or the loop) fell behind, which is
 * what a client sending at that rate would see. Measuring from the actual send call instead hides
 * exactly the stalls that matter ("coordinated omission"). Immutable.
 */
public final class SendSchedule {
    private static final double NANOS_PER_SECOND = 1e9;
    private final long startNs;
    private final double intervalNs;

    private SendSchedule(long startNs, double intervalNs) {
        this.startNs = startNs;
        this.intervalNs = intervalNs;
    }

    /** No throughput cap: each record is meant to go as soon as the loop reaches it. */
    public static SendSchedule unpaced() {
        return new SendSchedule(0, 0);
    }

    /** {@code recordsPerSecond} records per second from {@code startNs} on (monotonic nanoseconds). */
    public static SendSchedule fixedRate(long startNs, double recordsPerSecond) {
        if (!(recordsPerSecond > 0) || Double.isInfinite(recordsPerSecond)) {
            throw new IllegalArgumentException("a fixed rate needs a positive number of records per second, got "
                    + recordsPerSecond);
        }
        return new SendSchedule(startNs, NANOS_PER_SECOND / recordsPerSecond);
    }

    public boolean isPaced() {
        return intervalNs > 0;
    }

    /**
     * The intended send time of record {@code index} (0-based): its slot on the schedule when
     * paced, else {@code nowNs}.
     */
    public long intendedNs(long index, long nowNs) {
        if (!isPaced()) {
            return nowNs;
        }
        return startNs + Math.round(index * intervalNs);
    }
}
