package io.sluice.jepsen.checker.internal;

import io.sluice.jepsen.checker.Availability;
import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.QueueOps;
import java.util.TreeMap;

/** Measures {@link Availability} from a parsed history's completions. Stateless. */
public final class AvailabilityMeter {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private AvailabilityMeter() {
    }

    /** Outcomes per f, and the longest window from time 0 to the last entry without an ok send. */
    public static Availability measure(ParsedHistory history) {
        TreeMap<String, long[]> counts = new TreeMap<>();
        long windowStart = 0;
        long bestStart = 0;
        long bestEnd = 0;
        for (ParsedHistory.Completion completion : history.completions()) {
            long[] outcome = counts.computeIfAbsent(completion.f(), f -> new long[3]);
            outcome[completion.outcome() == OpType.OK ? 0 : completion.outcome() == OpType.FAIL ? 1 : 2]++;
        }
        // windows are cut at completion times, which need not follow invocation order
        long[] okTimes = history.sends().stream().filter(Send::isOk).mapToLong(Send::completionNs).sorted()
                .toArray();
        for (long at : okTimes) {
            if (at - windowStart > bestEnd - bestStart) {
                bestStart = windowStart;
                bestEnd = at;
            }
            windowStart = at;
        }
        if (history.endNs() - windowStart > bestEnd - bestStart) {
            bestStart = windowStart;
            bestEnd = history.endNs();
        }
        TreeMap<String, Availability.Outcomes> byF = new TreeMap<>();
        counts.forEach((f, c) -> byF.put(f, new Availability.Outcomes(c[0], c[1], c[2])));
        byF.computeIfAbsent(QueueOps.SEND, f -> new Availability.Outcomes(0, 0, 0));
        return new Availability(byF, (bestEnd - bestStart) / NANOS_PER_MILLI, bestStart / NANOS_PER_MILLI,
                bestEnd / NANOS_PER_MILLI);
    }
}
