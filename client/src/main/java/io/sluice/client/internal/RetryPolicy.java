package io.sluice.client.internal;

import io.sluice.client.errors.CoordinatorNotAvailableException;
import io.sluice.client.errors.NetworkException;
import io.sluice.client.errors.NotLeaderException;
import io.sluice.client.errors.RetriableException;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.errors.UnknownTopicOrPartitionException;
import io.sluice.proto.v1.ErrorCode;
import java.util.EnumSet;
import java.util.Set;

/**
 * The one place that decides what the SDK does about a failure: give up, retry as is, retry after
 * refreshing metadata (the partition moved, or the node is gone), or retry after finding the group
 * coordinator again. Every client (producer sender, fetcher, membership, commits, admin) asks
 * here; each then applies its own deadline ({@code delivery.timeout.ms}, an API timeout). The
 * producer's idempotence rules (sequence gaps, fencing) build on this in its sender. Stateless.
 */
public final class RetryPolicy {
    /** Codes after which the client's view of partitions or brokers is probably stale. */
    private static final Set<ErrorCode> METADATA_CODES = EnumSet.of(
            ErrorCode.ERROR_CODE_NOT_LEADER, ErrorCode.ERROR_CODE_LEADER_NOT_AVAILABLE,
            ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH, ErrorCode.ERROR_CODE_UNKNOWN_LEADER_EPOCH,
            ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.ERROR_CODE_REPLICA_NOT_AVAILABLE,
            ErrorCode.ERROR_CODE_STORAGE_ERROR, ErrorCode.ERROR_CODE_BROKER_FENCED,
            ErrorCode.ERROR_CODE_ELIGIBLE_LEADERS_NOT_AVAILABLE, ErrorCode.ERROR_CODE_NODE_NOT_READY,
            // a request that timed out may have met a dead or partitioned broker
            ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT);

    private RetryPolicy() {
    }

    /**
     * What to do about a failure.
     *
     * @param retry            whether sending again may succeed
     * @param refreshMetadata  whether to refresh metadata before the retry
     * @param findCoordinator  whether to look up the group coordinator again before the retry
     */
    public record Decision(boolean retry, boolean refreshMetadata, boolean findCoordinator) {
        static final Decision FAIL = new Decision(false, false, false);
    }

    /** The decision for {@code error}. */
    public static Decision decide(SluiceException error) {
        if (!(error instanceof RetriableException)) {
            return Decision.FAIL;
        }
        if (error instanceof NetworkException) {
            return new Decision(true, true, true);
        }
        if (error instanceof CoordinatorNotAvailableException) {
            boolean moved = error.errorCode() != ErrorCode.ERROR_CODE_COORDINATOR_LOAD_IN_PROGRESS;
            return new Decision(true, false, moved);
        }
        boolean metadata = error instanceof NotLeaderException || error instanceof UnknownTopicOrPartitionException
                || METADATA_CODES.contains(error.errorCode());
        return new Decision(true, metadata, false);
    }
}
