package io.sluice.jepsen.workload.internal;

import io.sluice.client.admin.Admin;
import io.sluice.client.admin.ClusterDescription;
import io.sluice.client.admin.TopicDescription;
import io.sluice.jepsen.fault.LeaderLocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Who leads, asked through the SDK's admin client: the active controller (the metadata quorum's
 * leader) and the leader of the topic's partition 0, the workload's "focus" partition. Not every
 * partition leader: with a handful of partitions spread over 3 or 5 nodes every node leads one,
 * and a {@code leaders} fault would always hit the whole cluster. Node ids are the cluster's
 * (1-based, as the harness numbers nodes). The in-sync replicas are each partition's ISR, or its
 * eligible leaders (ELR) while the ISR is empty. Thread-safe (the admin client is).
 */
public final class AdminLeaderLocator implements LeaderLocator {
    private static final long ANSWER_TIMEOUT_MS = 5_000;

    private final Admin admin;
    private final String topic;

    public AdminLeaderLocator(Admin admin, String topic) {
        this.admin = admin;
        this.topic = topic;
    }

    @Override
    public Set<Integer> currentLeaders() throws Exception {
        Set<Integer> leaders = new TreeSet<>();
        ClusterDescription cluster = admin.describeCluster().get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (cluster.controllerId() > 0) {
            leaders.add(cluster.controllerId());
        }
        TopicDescription description = admin.describeTopics(List.of(topic))
                .get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS).get(topic);
        if (!description.partitions().isEmpty() && description.partitions().get(0).leader() > 0) {
            leaders.add(description.partitions().get(0).leader());
        }
        return leaders;
    }

    @Override
    public Optional<List<Set<Integer>>> inSyncReplicas() throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic))
                .get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS).get(topic);
        List<Set<Integer>> sets = new ArrayList<>();
        for (TopicDescription.Partition partition : description.partitions()) {
            // The ISR and the ELR: every replica that holds every committed record.
            Set<Integer> copies = new TreeSet<>(partition.isr());
            copies.addAll(partition.eligibleLeaderReplicas());
            sets.add(copies);
        }
        return sets.isEmpty() ? Optional.empty() : Optional.of(sets);
    }
}
