package io.sluice.client.admin;

import io.sluice.client.common.TopicPartition;
import java.util.List;
import java.util.Set;

/**
 * A consumer group: its state, members, and per partition the committed offset, log end offset,
 * lag and owner. Immutable.
 *
 * @param groupId         the group id
 * @param state           {@code EMPTY}, {@code RECONCILING}, {@code STABLE} or {@code DEAD}
 * @param groupEpoch      bumped on every membership or subscription change
 * @param assignmentEpoch the group epoch the target assignment was computed for
 * @param assignor        the assignor in use
 * @param members         the members
 * @param partitions      every partition with a committed offset or an owner
 */
public record GroupDescription(String groupId, String state, int groupEpoch, int assignmentEpoch, String assignor,
        List<Member> members, List<PartitionLag> partitions) {
    /**
     * A member.
     *
     * @param memberId         its id
     * @param instanceId       its static membership id, empty if dynamic
     * @param clientId         its client id
     * @param host             its address as the coordinator saw it
     * @param memberEpoch      its epoch
     * @param subscribedTopics topics it subscribes to
     * @param assignment       what it owns now
     * @param targetAssignment what the coordinator wants it to own
     */
    public record Member(String memberId, String instanceId, String clientId, String host, int memberEpoch,
            Set<String> subscribedTopics, Set<TopicPartition> assignment, Set<TopicPartition> targetAssignment) {
    }

    /**
     * The group's progress on one partition.
     *
     * @param topicPartition  the partition
     * @param committedOffset the committed offset, -1 if none
     * @param logEndOffset    the high watermark, -1 if unknown
     * @param lag             log end minus committed (minus log start without a commit), -1 if unknown
     * @param owner           member id of the owner, empty if none
     */
    public record PartitionLag(TopicPartition topicPartition, long committedOffset, long logEndOffset, long lag,
            String owner) {
    }

    /** The sum of known lags. */
    public long totalLag() {
        return partitions.stream().mapToLong(PartitionLag::lag).filter(l -> l > 0).sum();
    }
}
