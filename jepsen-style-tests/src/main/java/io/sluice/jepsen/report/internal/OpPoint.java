package io.sluice.jepsen.report.internal;

import io.sluice.jepsen.history.NemesisOps;
import io.sluice.jepsen.history.Op;
import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.QueueOps;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One completed client operation, for the latency and throughput plots: invocation paired with
 * completion per process, as the checker pairs them. A {@code crash} of the process completes
 * its pending operation as {@code info} at the crash. Immutable.
 *
 * @param f         the operation
 * @param type      ok, fail or info
 * @param invokeS   seconds since the run's start at invocation
 * @param completeS at completion
 */
public record OpPoint(String f, OpType type, double invokeS, double completeS) {
    private static final double NANOS_PER_SECOND = 1e9;

    /** Milliseconds from invocation to completion. */
    public double latencyMs() {
        return (completeS - invokeS) * 1000;
    }

    /**
     * The completed operations of a history, by invocation time.
     *
     * @param incomplete receives how many invocations never completed
     */
    public static List<OpPoint> read(List<Op> history, int[] incomplete) {
        Map<Integer, Op> pending = new HashMap<>();
        List<OpPoint> points = new ArrayList<>();
        for (Op op : history) {
            if (NemesisOps.isNemesis(op)) {
                continue;
            }
            if (op.f().equals(QueueOps.CRASH)) {
                Op invoke = pending.remove(op.process());
                if (invoke != null) {
                    points.add(point(invoke, OpType.INFO, op));
                }
            } else if (op.type() == OpType.INVOKE) {
                pending.put(op.process(), op);
            } else {
                Op invoke = pending.remove(op.process());
                if (invoke != null && invoke.f().equals(op.f())) {
                    points.add(point(invoke, op.type(), op));
                }
            }
        }
        incomplete[0] = pending.size();
        points.sort(Comparator.comparingDouble(OpPoint::invokeS));
        return points;
    }

    private static OpPoint point(Op invoke, OpType type, Op completion) {
        return new OpPoint(invoke.f(), type, invoke.timeNs() / NANOS_PER_SECOND,
                Math.max(invoke.timeNs(), completion.timeNs()) / NANOS_PER_SECOND);
    }
}
