package io.sluice.broker.replication;

import io.sluice.proto.internal.v1.ReplicaFetchPartitionResponse;
import java.util.Optional;

/**
 * What a {@link ReplicaFetcher} needs from a partition replica that follows a leader: where to fetch
 * from, and a place to apply the leader's answer. The partition state machine implements it; the
 * fetcher never touches the log itself.
 *
 * <p>Both methods are called on the replication core's thread; implementations guard their state.
 */
public interface FollowerReplica {
    /** The partition. */
    TopicIdPartition id();

    /** Where to fetch from now, if this replica still follows {@code leaderId}; empty otherwise. */
    Optional<FetchPosition> fetchPosition(int leaderId);

    /**
     * Applies the leader's answer to a fetch sent with {@code sent}: truncates on a divergence,
     * appends batches, adopts the leader's high watermark (capped at the own log end) and log start.
     */
    FetchOutcome onFetchResponse(FetchPosition sent, ReplicaFetchPartitionResponse response, long nowMs);
}
