package io.sluice.jepsen.fault.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.fault.Fault;
import io.sluice.jepsen.fault.FaultContext;
import io.sluice.jepsen.fault.PlannedFault;
import io.sluice.jepsen.net.Cut;
import java.util.List;
import java.util.SplittableRandom;

/** Makes the {@link Fault} for a planned fault whose targets are resolved. Stateless. */
public final class Faults {
    /** Delay faults add this much jitter per 100 ms of delay. */
    private static final int JITTER_PERCENT = 20;

    private Faults() {
    }

    /**
     * @param fault the plan
     * @param nodes the nodes it hits, resolved (leaders learnt)
     * @param cuts  for partitions, the cuts, resolved
     * @param lastCopies the run's record of the nodes its faults damaged, asking {@code context.leaders()}
     */
    public static Fault create(PlannedFault fault, List<Integer> nodes, List<Cut> cuts, FaultContext context,
            LastCopies lastCopies) {
        SplittableRandom random = new SplittableRandom(fault.seed());
        return switch (fault.kind()) {
            case KILL -> new ProcessFault(ProcessFault.Mode.KILL, nodes, context.cluster(), lastCopies);
            case PAUSE -> new ProcessFault(ProcessFault.Mode.PAUSE, nodes, context.cluster(), lastCopies);
            case MEMBERSHIP -> new ProcessFault(ProcessFault.Mode.MEMBERSHIP, nodes, context.cluster(), lastCopies);
            case TRUNCATE, BITFLIP, LOSE_UNFLUSHED -> new StorageFault(fault.kind(), nodes, (int) fault.amount(),
                    random, context.cluster(), lastCopies);
            case PARTITION -> new PartitionFault(context.network(), cuts);
            case LOSS -> new LossFault(context.network(), nodes, (int) fault.amount());
            case DELAY -> new DelayFault(context.network(), nodes, (int) fault.amount(),
                    jitterMs((int) fault.amount()));
            case CLOCK -> new ClockFault(nodes, fault.amount(), context.cluster());
            default -> throw new IllegalArgumentException("no fault for kind " + fault.kind());
        };
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static int jitterMs(int delayMs) {
        return delayMs * JITTER_PERCENT / 100;
    }
}
