package io.sluice.broker.group.internal;

import io.sluice.broker.group.TopicCatalog;
import io.sluice.broker.group.TopicIdPartition;
import io.sluice.broker.group.TopicInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Starts group epochs and computes target assignments. The target is computed at once whenever the
 * group epoch moves, so the assignment epoch always equals the group epoch after a request. Stateless.
 */
public final class TargetAssignments {
    private TargetAssignments() {
    }

    /** Membership or subscriptions changed: a new group epoch with a new target. */
    public static void bumpAndAssign(ConsumerGroup group, TopicCatalog catalog, String defaultAssignor) {
        group.setAssignor(chooseAssignor(group, defaultAssignor));
        int epoch = group.bumpGroupEpoch();
        group.installTarget(epoch, compute(group, catalog), subscriptionMetadata(group, catalog));
    }

    /**
     * Re-evaluates a group after topics changed (or after loading it): if the topics its members
     * subscribe to now give another target, a new group epoch starts with it.
     *
     * @return whether a new group epoch started
     */
    public static boolean maybeRefresh(ConsumerGroup group, TopicCatalog catalog, String defaultAssignor) {
        SortedMap<String, String> metadata = subscriptionMetadata(group, catalog);
        if (metadata.equals(group.subscriptionMetadata())) {
            return false;
        }
        String assignor = chooseAssignor(group, defaultAssignor);
        Map<String, SortedSet<TopicIdPartition>> current = new HashMap<>(group.target());
        if (assignor.equals(group.assignor())) {
            Map<String, SortedSet<TopicIdPartition>> next = compute(group, catalog);
            if (next.equals(current)) {
                group.installTarget(group.assignmentEpoch(), next, metadata);
                return false;
            }
        }
        bumpAndAssign(group, catalog, defaultAssignor);
        return true;
    }

    /**
     * The group's assignor: the one most members ask for (ties: the name first in alphabetical order),
     * or {@code defaultAssignor} when none asks.
     */
    public static String chooseAssignor(ConsumerGroup group, String defaultAssignor) {
        TreeMap<String, Integer> votes = new TreeMap<>();
        group.members().forEach(m -> {
            if (!m.serverAssignor().isEmpty()) {
                votes.merge(m.serverAssignor(), 1, Integer::sum);
            }
        });
        String best = defaultAssignor;
        int bestVotes = 0;
        for (Map.Entry<String, Integer> vote : votes.entrySet()) {
            if (vote.getValue() > bestVotes) {
                best = vote.getKey();
                bestVotes = vote.getValue();
            }
        }
        return best;
    }

    private static Map<String, SortedSet<TopicIdPartition>> compute(ConsumerGroup group, TopicCatalog catalog) {
        TreeMap<String, AssignmentInput.Subscriber> members = new TreeMap<>();
        TreeMap<String, Integer> counts = new TreeMap<>();
        for (Member member : group.members()) {
            TreeSet<String> topicIds = new TreeSet<>();
            for (String name : member.subscribedTopics()) {
                Optional<TopicInfo> topic = catalog.topicByName(name);
                topic.ifPresent(t -> {
                    topicIds.add(t.topicId());
                    counts.put(t.topicId(), t.partitionCount());
                });
            }
            members.put(member.memberId(), new AssignmentInput.Subscriber(member.memberId(), member.instanceId(),
                    topicIds));
        }
        Assignor assignor = Assignors.byName(group.assignor()).orElseThrow(() -> new IllegalStateException(
                "group " + group.groupId() + " uses unknown assignor " + group.assignor()));
        return assignor.assign(new AssignmentInput(members, counts, group.target()));
    }

    /** Topic name to "id/partition count" (or "absent") of every topic some member subscribes to. */
    static SortedMap<String, String> subscriptionMetadata(ConsumerGroup group, TopicCatalog catalog) {
        TreeMap<String, String> metadata = new TreeMap<>();
        for (Member member : group.members()) {
            for (String name : member.subscribedTopics()) {
                metadata.computeIfAbsent(name, n -> catalog.topicByName(n)
                        .map(t -> t.topicId() + "/" + t.partitionCount()).orElse("absent"));
            }
        }
        return metadata;
    }
}
