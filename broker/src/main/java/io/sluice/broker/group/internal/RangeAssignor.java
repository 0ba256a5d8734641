package io.sluice.broker.group.internal;

import io.sluice.broker.group.TopicIdPartition;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Kafka's range assignment, per topic: the topic's subscribers in a fixed order get contiguous ranges
 * of partitions, the first {@code partitions % subscribers} of them one more. Members subscribing to
 * the same topics with equal partition counts get the same partition numbers of each (co-partitioning,
 * what joins need). Members are ordered by static instance id when they have one, else by member id,
 * so a restarted static member gets its ranges back. Not sticky otherwise. Stateless.
 */
public final class RangeAssignor implements Assignor {
    /** Its name in {@code server_assignor}. */
    public static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, SortedSet<TopicIdPartition>> assign(AssignmentInput input) {
        Map<String, TreeSet<TopicIdPartition>> result = input.emptyResult();
        Comparator<String> order = Comparator.comparing(id -> input.members().get(id).sortKey());
        input.subscribersByTopic().forEach((topicId, subscriberIds) -> {
            List<String> ordered = subscriberIds.stream().sorted(order).toList();
            int partitions = input.partitionCounts().get(topicId);
            int each = partitions / ordered.size();
            int extra = partitions % ordered.size();
            int next = 0;
            for (int i = 0; i < ordered.size(); i++) {
                int take = each + (i < extra ? 1 : 0);
                for (int p = next; p < next + take; p++) {
                    result.get(ordered.get(i)).add(new TopicIdPartition(topicId, p));
                }
                next += take;
            }
        });
        return AssignmentInput.freeze(result);
    }
}
