package io.sluice.broker.partition;

import io.sluice.broker.log.AppendInfo;
import io.sluice.broker.log.EpochEndOffset;
import io.sluice.broker.log.InMemoryLog;
import io.sluice.broker.log.LogException;
import io.sluice.broker.log.LogReadResult;
import io.sluice.broker.log.PartitionLog;
import io.sluice.broker.log.TimestampOffset;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatches;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * An {@link InMemoryLog} whose next follower append can be made to fail part-way, as a segment
 * roll or a full disk can fail one in the Chronicle log: the first batches are written, then the
 * append throws a storage error. Everything else is the in-memory log's.
 */
final class PartlyFailingLog implements PartitionLog {
    private final InMemoryLog log;
    private int keepOnNextFollowerAppend = -1;

    PartlyFailingLog(InMemoryLog log) {
        this.log = log;
    }

    /** The next follower append writes its first {@code batches} batches, then fails. */
    void failNextFollowerAppendAfter(int batches) {
        keepOnNextFollowerAppend = batches;
    }

    @Override
    public AppendInfo appendAsFollower(ByteBuffer batches) {
        if (keepOnNextFollowerAppend < 0) {
            return log.appendAsFollower(batches);
        }
        int keep = keepOnNextFollowerAppend;
        keepOnNextFollowerAppend = -1;
        List<RecordBatch> split = RecordBatches.split(batches.duplicate());
        for (RecordBatch batch : split.subList(0, Math.min(keep, split.size()))) {
            log.appendAsFollower(batch.buffer());
        }
        throw new LogException(ErrorCode.ERROR_CODE_STORAGE_ERROR, "injected: the append failed after " + keep
                + " of " + split.size() + " batches");
    }

    @Override
    public long logStartOffset() {
        return log.logStartOffset();
    }

    @Override
    public long logEndOffset() {
        return log.logEndOffset();
    }

    @Override
    public int latestEpoch() {
        return log.latestEpoch();
    }

    @Override
    public AppendInfo appendAsLeader(ByteBuffer batch, int leaderEpoch, long appendTimeMs) {
        return log.appendAsLeader(batch, leaderEpoch, appendTimeMs);
    }

    @Override
    public LogReadResult read(long startOffset, int maxBytes, long maxOffset, boolean minOneBatch) {
        return log.read(startOffset, maxBytes, maxOffset, minOneBatch);
    }

    @Override
    public void truncateTo(long offset) {
        log.truncateTo(offset);
    }

    @Override
    public void truncateFullyAndStartAt(long offset) {
        log.truncateFullyAndStartAt(offset);
    }

    @Override
    public Optional<EpochEndOffset> endOffsetForEpoch(int epoch) {
        return log.endOffsetForEpoch(epoch);
    }

    @Override
    public Optional<TimestampOffset> offsetForTimestamp(long timestampMs) {
        return log.offsetForTimestamp(timestampMs);
    }

    @Override
    public long deleteRecordsBefore(long offset) {
        return log.deleteRecordsBefore(offset);
    }

    @Override
    public void flush() {
        log.flush();
    }

    @Override
    public int maintain(long nowMs, long highWatermark) {
        return log.maintain(nowMs, highWatermark);
    }

    @Override
    public void close() {
        log.close();
    }
}
