package io.sluice.broker.partition;

import io.sluice.broker.log.EpochEndOffset;
import io.sluice.broker.log.PartitionLog;
import io.sluice.broker.partition.internal.BatchHeaders;
import io.sluice.broker.replication.Divergence;
import io.sluice.broker.replication.FetchOutcome;
import io.sluice.proto.internal.v1.ReplicaFetchPartitionResponse;
import java.nio.ByteBuffer;

/**
 * How a follower applies its leader's answer for one partition (KIP-101/279): truncate on a
 * divergence, restart at the leader's log start when it is past the own log end, otherwise append
 * the batches and adopt the leader's log start and high watermark (capped at the own log end).
 * Called with the partition's lock held, on the replication core's thread. Stateless.
 */
final class FollowerFetchApplier {
    private FollowerFetchApplier() {
    }

    static FetchOutcome apply(Partition partition, ReplicaFetchPartitionResponse response) {
        switch (response.getErrorCode()) {
            case ERROR_CODE_NONE:
                break;
            case ERROR_CODE_OFFSET_OUT_OF_RANGE:
                if (response.getLogStartOffset() > partition.logEndOffset()) {
                    restartAt(partition, response.getLogStartOffset());
                    return FetchOutcome.CONTINUE;
                }
                return FetchOutcome.BACKOFF;
            case ERROR_CODE_UNKNOWN_LEADER_EPOCH:
                return FetchOutcome.LEADER_BEHIND;
            default:
                return FetchOutcome.BACKOFF;
        }
        if (response.hasDivergingEpoch()) {
            EpochEndOffset diverging = new EpochEndOffset(response.getDivergingEpoch().getEpoch(),
                    response.getDivergingEpoch().getEndOffset());
            truncate(partition, Divergence.truncationOffset(partition.log(), diverging));
            return FetchOutcome.CONTINUE;
        }
        PartitionLog log = partition.log();
        ByteBuffer records = response.getRecords().asReadOnlyByteBuffer();
        if (records.hasRemaining()) {
            long endBefore = log.logEndOffset();
            try {
                log.appendAsFollower(records);
            } finally {
                // The batches start at the old end, one after another; those below the new end are
                // written. That is all of them, unless the append failed part-way: then it kept the
                // runs it wrote (all checked first), and the table, and the one a clean stop saves,
                // must have exactly those.
                long end = log.logEndOffset();
                if (end > endBefore) {
                    BatchHeaders.forEach(records, header -> {
                        if (header.lastOffset() < end) {
                            partition.producers().onBatch(header);
                        }
                    });
                }
            }
        }
        if (response.getLogStartOffset() > log.logStartOffset()) {
            long start = log.deleteRecordsBefore(Math.min(response.getLogStartOffset(), log.logEndOffset()));
            partition.producers().expireBelow(start);
        }
        partition.setFollowerHighWatermark(response.getHighWatermark());
        return FetchOutcome.CONTINUE;
    }

    /** Cuts the log where it stops matching the leader's and rebuilds producer state. */
    private static void truncate(Partition partition, long offset) {
        PartitionLog log = partition.log();
        if (offset < log.logStartOffset()) {
            log.truncateFullyAndStartAt(offset);
        } else {
            log.truncateTo(offset);
        }
        partition.producers().rebuild(log);
        partition.setFollowerHighWatermark(partition.highWatermark());
        partition.logTruncation(offset);
    }

    /** The leader's log starts past this log's end: empty it and start again there. */
    private static void restartAt(Partition partition, long offset) {
        partition.log().truncateFullyAndStartAt(offset);
        partition.producers().clear();
        partition.setFollowerHighWatermark(offset);
        partition.logTruncation(offset);
    }
}
