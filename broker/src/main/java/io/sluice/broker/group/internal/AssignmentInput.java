package io.sluice.broker.group.internal;

import io.sluice.broker.group.TopicIdPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an assignor sees. Immutable.
 *
 * @param members         member id to its subscription (only topics that exist)
 * @param partitionCounts topic id to partition count, for every topic some member subscribes to
 * @param previous        the previous target assignment by member id (members may have left and
 *                        topics shrunk or vanished since); sticky assignors start from it
 */
public record AssignmentInput(SortedMap<String, Subscriber> members, SortedMap<String, Integer> partitionCounts,
        Map<String, SortedSet<TopicIdPartition>> previous) {

    /**
     * One member's subscription.
     *
     * @param memberId   the member id
     * @param instanceId its static instance id, or empty
     * @param topicIds   ids of the existing topics it subscribes to
     */
    public record Subscriber(String memberId, String instanceId, SortedSet<String> topicIds) {
        /** The key that orders members in range assignment: stable across a static member's restarts. */
        public String sortKey() {
            return instanceId.isEmpty() ? "m:" + memberId : "i:" + instanceId;
        }
    }

    public AssignmentInput {
        members = new TreeMap<>(members);
        partitionCounts = new TreeMap<>(partitionCounts);
        previous = Map.copyOf(previous);
    }

    /** Topic id to the ids of the members subscribing to it, both ascending; only topics that exist. */
    public SortedMap<String, List<String>> subscribersByTopic() {
        TreeMap<String, List<String>> result = new TreeMap<>();
        for (Subscriber member : members.values()) {
            for (String topicId : member.topicIds()) {
                if (partitionCounts.containsKey(topicId)) {
                    result.computeIfAbsent(topicId, k -> new ArrayList<>()).add(member.memberId());
                }
            }
        }
        return result;
    }

    /** A result to fill: an empty set for every member. */
    Map<String, TreeSet<TopicIdPartition>> emptyResult() {
        Map<String, TreeSet<TopicIdPartition>> result = new TreeMap<>();
        members.keySet().forEach(id -> result.put(id, new TreeSet<>()));
        return result;
    }

    /** A filled result, made unmodifiable. */
    static Map<String, SortedSet<TopicIdPartition>> freeze(Map<String, TreeSet<TopicIdPartition>> result) {
        Map<String, SortedSet<TopicIdPartition>> frozen = new TreeMap<>();
        result.forEach((id, partitions) -> frozen.put(id, PartitionSets.of(partitions)));
        return frozen;
    }
}
