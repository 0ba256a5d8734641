package io.sluice.client.admin;

import java.util.List;

/**
 * A topic's partitions: leader, replicas and in-sync replicas of each. Immutable.
 *
 * @param name       the topic name
 * @param topicId    its id (UUID text)
 * @param partitions every partition, in index order
 */
public record TopicDescription(String name, String topicId, List<Partition> partitions) {
    /**
     * One partition.
     *
     * @param partition       index
     * @param leader          broker id of the leader, -1 without one
     * @param leaderEpoch     the leader epoch
     * @param replicas        broker ids of the replicas, preferred leader first
     * @param isr             the in-sync replicas
     * @param offlineReplicas replicas on fenced or unregistered brokers
     * @param eligibleLeaderReplicas while the ISR is below the topic's own min.insync.replicas, the
     *                        replicas that left it since and hold every committed record, so may lead
     *                        when the ISR is empty (Kafka's ELR); empty otherwise
     */
    public record Partition(int partition, int leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr,
            List<Integer> offlineReplicas, List<Integer> eligibleLeaderReplicas) {
        /** Whether the ISR is smaller than the replica set. */
        public boolean underReplicated() {
            return isr.size() < replicas.size();
        }
    }

    /** Replicas per partition (of partition 0). */
    public int replicationFactor() {
        return partitions.isEmpty() ? 0 : partitions.get(0).replicas().size();
    }
}
