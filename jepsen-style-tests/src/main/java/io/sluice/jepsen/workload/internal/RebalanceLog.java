package io.sluice.jepsen.workload.internal;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.ConsumerRebalanceListener;
import io.sluice.jepsen.history.QueueOps;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A rebalance listener that writes down what it is told, for the next poll's history entry: each
 * callback becomes one rebalance event (revoked or lost partitions as {@code revoked}, added ones
 * as {@code assigned}). The SDK runs callbacks on the application thread inside {@code poll}, so
 * the events drained after a poll are those of that poll. Used by one consumer's thread.
 */
final class RebalanceLog implements ConsumerRebalanceListener {
    private final List<QueueOps.Rebalance> events = new ArrayList<>();

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            events.add(new QueueOps.Rebalance(Names.of(partitions), List.of()));
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            events.add(new QueueOps.Rebalance(List.of(), Names.of(partitions)));
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }

    /** The events since the last call, oldest first. */
    List<QueueOps.Rebalance> drain() {
        List<QueueOps.Rebalance> out = List.copyOf(events);
        events.clear();
        return out;
    }

    /** Whether any partition moved since the last drain. */
    boolean isEmpty() {
        return events.isEmpty();
    }
}
