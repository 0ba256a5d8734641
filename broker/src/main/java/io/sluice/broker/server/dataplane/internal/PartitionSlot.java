package io.sluice.broker.server.dataplane.internal;

import io.sluice.broker.partition.AppendResult;
import io.sluice.broker.partition.Partition;
import io.sluice.broker.replication.TopicIdPartition;

/**
 * The outcome of one partition of a produce request: appended (and, for acks=all, waiting until
 * committed), or failed. Guarded by the {@link DelayedProduce} that holds it once registered.
 */
final class PartitionSlot {
    private final int partitionIndex;
    private Partition partition;
    private AppendResult result;
    private Throwable error;
    private boolean waiting;

    PartitionSlot(int partitionIndex) {
        this.partitionIndex = partitionIndex;
    }

    void appended(Partition target, AppendResult appended, boolean waitForIsr) {
        partition = target;
        result = appended;
        waiting = waitForIsr;
    }

    void committed() {
        waiting = false;
    }

    void fail(Throwable failure) {
        error = failure;
        waiting = false;
    }

    boolean isWaiting() {
        return waiting;
    }

    int partitionIndex() {
        return partitionIndex;
    }

    Partition partition() {
        return partition;
    }

    TopicIdPartition key() {
        return partition.id();
    }

    AppendResult result() {
        return result;
    }

    Throwable error() {
        return error;
    }
}
