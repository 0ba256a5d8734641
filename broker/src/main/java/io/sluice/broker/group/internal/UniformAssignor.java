package io.sluice.broker.group.internal;

import io.sluice.broker.group.TopicIdPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Sticky, balanced assignment (the default). Three steps:
 * <ol>
 *   <li>every member keeps the partitions of its previous target that still exist and that it still
 *       subscribes to;</li>
 *   <li>each partition nobody kept goes to the subscriber of its topic that has the fewest partitions
 *       (ties: lowest member id);</li>
 *   <li>while some member has at least two partitions more than a member that could take one of them
 *       (subscribes to its topic), one such partition moves from the most loaded such member to the
 *       least loaded eligible one.</li>
 * </ol>
 * With equal subscriptions the result is balanced: partition counts differ by at most one. With
 * different subscriptions no single move can narrow a gap of two or more. Only partitions that must
 * move to restore balance move. The output is a fixed point: given its own output as the previous
 * target, with the same members and topics, it returns it unchanged (so a new coordinator recomputing
 * after a failover changes nothing). Stateless.
 */
public final class UniformAssignor implements Assignor {
    /** Its name in {@code server_assignor}. */
    public static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, SortedSet<TopicIdPartition>> assign(AssignmentInput input) {
        Map<String, List<String>> subscribers = input.subscribersByTopic();
        Map<String, TreeSet<TopicIdPartition>> result = input.emptyResult();
        Set<TopicIdPartition> taken = new HashSet<>();
        keepPrevious(input, result, taken);
        subscribers.forEach((topicId, subscriberIds) -> {
            int count = input.partitionCounts().get(topicId);
            for (int p = 0; p < count; p++) {
                TopicIdPartition partition = new TopicIdPartition(topicId, p);
                if (taken.add(partition)) {
                    result.get(leastLoaded(subscriberIds, null, result)).add(partition);
                }
            }
        });
        while (moveOne(subscribers, result)) {
            // each move lowers the sum of squared partition counts, so this ends
        }
        return AssignmentInput.freeze(result);
    }

    private static void keepPrevious(AssignmentInput input, Map<String, TreeSet<TopicIdPartition>> result,
            Set<TopicIdPartition> taken) {
        input.members().forEach((memberId, subscriber) -> {
            for (TopicIdPartition partition : input.previous().getOrDefault(memberId, PartitionSets.empty())) {
                Integer count = input.partitionCounts().get(partition.topicId());
                boolean valid = count != null && partition.partition() < count
                        && subscriber.topicIds().contains(partition.topicId());
                if (valid && taken.add(partition)) {
                    result.get(memberId).add(partition);
                }
            }
        });
    }

    private static String leastLoaded(List<String> candidates, String excluded,
            Map<String, TreeSet<TopicIdPartition>> result) {
        String best = null;
        int bestSize = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int size = result.get(candidate).size();
            if (!candidate.equals(excluded) && (size < bestSize || size == bestSize && candidate.compareTo(best) < 0)) {
                best = candidate;
                bestSize = size;
            }
        }
        return best;
    }

    private static boolean moveOne(Map<String, List<String>> subscribers,
            Map<String, TreeSet<TopicIdPartition>> result) {
        List<String> donors = new ArrayList<>(result.keySet());
        donors.sort(Comparator.comparing((String id) -> -result.get(id).size()).thenComparing(id -> id));
        for (String donor : donors) {
            TreeSet<TopicIdPartition> owned = result.get(donor);
            if (owned.size() < 2) {
                return false;
            }
            for (TopicIdPartition partition : owned.descendingSet()) {
                String receiver = leastLoaded(subscribers.get(partition.topicId()), donor, result);
                if (receiver != null && owned.size() - result.get(receiver).size() >= 2) {
                    owned.remove(partition);
                    result.get(receiver).add(partition);
                    return true;
                }
            }
        }
        return false;
    }
}
