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
    /** A paced loop wakes at most once per tick (1 ms) when slots are closer together ({@link #wakeNs}). */
    public static final long TICK_NS = 1_000_000;
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

    /**
     * When the loop should wake to send the record meant to go at {@code intendedNs}: at its slot when
     * slots are at least {@link #TICK_NS} apart, else at the end of the tick (counted from the start)
     * the slot falls in. At rates above 1,000 records/s the loop then wakes once a millisecond and sends
     * that millisecond's records together, instead of parking for each (docs/benchmarks.md, "Waking
     * once a millisecond"). The wait, under a tick, is part of each record's latency, which still
     * counts from its slot.
     */
    public long wakeNs(long intendedNs) {
        if (!isPaced() || intervalNs >= TICK_NS) {
            return intendedNs;
        }
        return startNs - Math.floorDiv(startNs - intendedNs, TICK_NS) * TICK_NS;
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
