package io.sluice.jepsen.schedule;

import io.sluice.jepsen.fault.FaultKind;
import java.util.List;
import java.util.Objects;

/**
 * What a schedule is drawn from.
 *
 * @param seed          the seed of the {@link java.util.SplittableRandom} every choice comes from
 * @param nodes         the cluster's size
 * @param timeLimitMs   the length of the fault phase; every planned fault heals by then
 * @param kinds         the enabled fault kinds (kept in their declaration order, so that the order
 *                      they were listed in does not change the schedule)
 * @param intervalMs    the mean gap between two fault starts; gaps are uniform in [interval/2,
 *                      3·interval/2], durations uniform in [interval/2, 2·interval]
 * @param maxConcurrent most faults in effect at once (never two of one conflict group)
 */
public record ScheduleOptions(long seed, int nodes, long timeLimitMs, List<FaultKind> kinds, long intervalMs,
        int maxConcurrent) {
    public ScheduleOptions {
        Objects.requireNonNull(kinds, "kinds");
        kinds = kinds.stream().distinct().sorted().toList();
        if (nodes < 1 || timeLimitMs <= 0 || intervalMs < 2 || maxConcurrent < 1) {
            throw new IllegalArgumentException("a schedule needs nodes >= 1, a positive time limit, "
                    + "an interval >= 2 ms and maxConcurrent >= 1");
        }
    }

    /** The shortest fault. */
    public long minDurationMs() {
        return intervalMs / 2;
    }

    /** The longest fault. */
    public long maxDurationMs() {
        return intervalMs * 2;
    }
}
