package io.sluice.broker.partition;

/**
 * This replica copies the partition from {@code leaderId} in {@code leaderEpoch}: it refuses
 * produces and consumer fetches, and its fetcher appends what the leader sends. Immutable.
 */
public record FollowerRole(int leaderId, int leaderEpoch, int partitionEpoch) implements ReplicaRole {
}
