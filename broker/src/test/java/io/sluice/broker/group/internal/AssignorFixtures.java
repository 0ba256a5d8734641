package io.sluice.broker.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.group.TopicIdPartition;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** Builds assignor inputs and checks the property every assignor has (each partition once, to a subscriber). */
final class AssignorFixtures {
    private AssignorFixtures() {
    }

    /** An input builder: members with subscriptions, topics with partition counts, a previous target. */
    static final class Input {
        final SortedMap<String, AssignmentInput.Subscriber> members = new TreeMap<>();
        final SortedMap<String, Integer> counts = new TreeMap<>();
        Map<String, SortedSet<TopicIdPartition>> previous = Map.of();

        Input topic(String id, int partitions) {
            counts.put(id, partitions);
            return this;
        }

        Input member(String id, String... topics) {
            return staticMember(id, "", topics);
        }

        Input staticMember(String id, String instanceId, String... topics) {
            members.put(id, new AssignmentInput.Subscriber(id, instanceId, new TreeSet<>(Set.of(topics))));
            return this;
        }

        Input without(String id) {
            members.remove(id);
            return this;
        }

        Input previous(Map<String, SortedSet<TopicIdPartition>> target) {
            this.previous = target;
            return this;
        }

        AssignmentInput build() {
            return new AssignmentInput(members, counts, previous);
        }
    }

    /** Every partition of a subscribed topic is given once, to a member subscribing to its topic. */
    static void assertValid(AssignmentInput input, Map<String, SortedSet<TopicIdPartition>> target) {
        assertEquals(input.members().keySet(), target.keySet());
        Set<TopicIdPartition> seen = new HashSet<>();
        target.forEach((memberId, partitions) -> partitions.forEach(p -> {
            assertTrue(seen.add(p), p + " given twice");
            assertTrue(input.members().get(memberId).topicIds().contains(p.topicId()), memberId + " got " + p);
        }));
        int expected = input.subscribersByTopic().keySet().stream().mapToInt(t -> input.partitionCounts().get(t))
                .sum();
        assertEquals(expected, seen.size(), "every subscribed partition is given");
    }

    static SortedSet<TopicIdPartition> partitions(String topic, int... indexes) {
        TreeSet<TopicIdPartition> result = new TreeSet<>();
        for (int index : indexes) {
            result.add(new TopicIdPartition(topic, index));
        }
        return result;
    }
}
