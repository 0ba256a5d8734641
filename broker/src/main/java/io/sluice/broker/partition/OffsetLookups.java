package io.sluice.broker.partition;

import io.sluice.broker.log.PartitionLog;
import io.sluice.broker.partition.internal.BatchHeaders;
import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import io.sluice.record.TimestampType;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.OffsetSpec;
import java.nio.ByteBuffer;

/**
 * ListOffsets answers over a log, bounded by the high watermark: EARLIEST is the log start, LATEST
 * the high watermark, TIMESTAMP the first record below the high watermark at or after the time
 * (the high watermark if none), MAX_TIMESTAMP the record with the largest timestamp below it (a
 * scan of batch headers: the {@link PartitionLog} contract keeps no running maximum). Stateless.
 */
final class OffsetLookups {
    private OffsetLookups() {
    }

    static OffsetLookup lookup(PartitionLog log, OffsetSpec spec, long timestampMs, long highWatermark) {
        return switch (spec) {
            case OFFSET_SPEC_EARLIEST -> new OffsetLookup(log.logStartOffset(), -1, -1);
            case OFFSET_SPEC_LATEST -> new OffsetLookup(highWatermark, -1, log.latestEpoch());
            case OFFSET_SPEC_TIMESTAMP -> log.offsetForTimestamp(timestampMs)
                    .filter(found -> found.offset() < highWatermark)
                    .map(found -> new OffsetLookup(found.offset(), found.timestampMs(), found.leaderEpoch()))
                    .orElse(new OffsetLookup(highWatermark, -1, -1));
            case OFFSET_SPEC_MAX_TIMESTAMP -> maxTimestamp(log, highWatermark);
            default -> throw new PartitionException(ErrorCode.ERROR_CODE_INVALID_REQUEST, "offset spec " + spec
                    + " is not supported");
        };
    }

    /**
     * The record with the largest timestamp below {@code endOffset} (the earliest one on a tie): its
     * offset, timestamp and batch epoch; offset -1 if the range is empty. Reads every batch header
     * of the range and decodes the records of one batch.
     */
    static OffsetLookup maxTimestamp(PartitionLog log, long endOffset) {
        long[] best = {-1, -1};
        BatchHeaders.scan(log, log.logStartOffset(), endOffset, header -> {
            if (header.maxTimestamp() > best[1]) {
                best[0] = header.baseOffset();
                best[1] = header.maxTimestamp();
            }
        });
        if (best[0] < 0) {
            return new OffsetLookup(-1, -1, -1);
        }
        ByteBuffer batch = log.read(Math.max(best[0], log.logStartOffset()), 1, endOffset, true).records();
        RecordBatch view = RecordBatch.wrap(firstBatch(batch));
        if (view.timestampType() == TimestampType.LOG_APPEND_TIME) {
            return new OffsetLookup(Math.max(view.baseOffset(), log.logStartOffset()), view.maxTimestamp(),
                    view.partitionLeaderEpoch());
        }
        for (Record record : view.records()) {
            if (record.timestampMs() == view.maxTimestamp() && record.offset() >= log.logStartOffset()) {
                return new OffsetLookup(record.offset(), record.timestampMs(), view.partitionLeaderEpoch());
            }
        }
        return new OffsetLookup(view.lastOffset(), view.maxTimestamp(), view.partitionLeaderEpoch());
    }

    private static ByteBuffer firstBatch(ByteBuffer batches) {
        ByteBuffer one = batches.duplicate();
        int size = RecordBatch.LOG_OVERHEAD + one.getInt(one.position() + RecordBatch.LENGTH_OFFSET);
        one.limit(one.position() + size);
        return one;
    }
}
