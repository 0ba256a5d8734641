package io.sluice.jepsen.workload;

import io.sluice.jepsen.runner.Workload;
import io.sluice.jepsen.runner.WorkloadProvider;

/** Registers the queue workload ({@code --workload queue}) with {@code sluice chaos}. Stateless. */
public final class QueueWorkloadProvider implements WorkloadProvider {
    @Override
    public String name() {
        return "queue";
    }

    @Override
    public String description() {
        return "producers (idempotent, acks=all) and consumers (assign and subscribe) of one topic through the "
                + "Java SDK; options: partitions, producers, group-consumers, crash-every, ... (docs/chaos.md)";
    }

    @Override
    public Workload create() {
        return new QueueWorkload();
    }
}
