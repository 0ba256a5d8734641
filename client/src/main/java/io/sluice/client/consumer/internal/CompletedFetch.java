package io.sluice.client.consumer.internal;

import io.sluice.client.common.TopicPartition;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchException;
import io.sluice.record.RecordBatches;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The data one fetch answer brought for one partition, consumed record by record as {@code poll}
 * returns them. Batches are decoded lazily, one at a time; records below the fetch position are
 * skipped (an answer returns a batch whole even when the position lies inside it). When the last
 * batch is consumed the position moves to the end of that batch, past any offsets without records.
 * Not thread-safe.
 */
final class CompletedFetch {
    final TopicPartition topicPartition;
    final long positionVersion;
    private final List<RecordBatch> batches;
    private final boolean checkCrcs;
    private int batchIndex;
    private List<Record> current = List.of();
    private RecordBatch currentBatch;
    private int recordIndex;
    private long nextOffset;
    private int lastEpoch = -1;

    CompletedFetch(TopicPartition topicPartition, long fetchOffset, long positionVersion, ByteBuffer records,
            boolean checkCrcs) {
        this.topicPartition = topicPartition;
        this.positionVersion = positionVersion;
        this.batches = RecordBatches.split(records);
        this.checkCrcs = checkCrcs;
        this.nextOffset = fetchOffset;
    }

    /** The position after everything consumed so far. */
    long nextOffset() {
        return nextOffset;
    }

    /** The leader epoch of the last batch read, or -1. */
    int lastEpoch() {
        return lastEpoch;
    }

    /**
     * Appends up to {@code max} records at or after the position to {@code out}.
     *
     * @throws RecordBatchException for a batch that fails its CRC or does not decode
     */
    int drain(int max, List<FetchedRecord> out) {
        int taken = 0;
        while (taken < max) {
            if (recordIndex >= current.size() && !nextBatch()) {
                break;
            }
            Record r = current.get(recordIndex++);
            if (r.offset() < nextOffset) {
                continue;
            }
            out.add(new FetchedRecord(topicPartition, r, currentBatch.timestampType(),
                    currentBatch.partitionLeaderEpoch()));
            nextOffset = r.offset() + 1;
            taken++;
        }
        if (isExhausted() && currentBatch != null) {
            nextOffset = Math.max(nextOffset, currentBatch.nextOffset());
        }
        return taken;
    }

    private boolean nextBatch() {
        if (currentBatch != null) {
            nextOffset = Math.max(nextOffset, currentBatch.nextOffset());
        }
        while (batchIndex < batches.size()) {
            RecordBatch batch = batches.get(batchIndex++);
            if (batch.nextOffset() <= nextOffset) {
                continue;
            }
            if (checkCrcs && batch.computeCrc() != batch.crc()) {
                throw new RecordBatchException(ErrorCode.ERROR_CODE_CORRUPT_BATCH, "batch at offset "
                        + batch.baseOffset() + " of " + topicPartition + " failed its CRC check");
            }
            currentBatch = batch;
            lastEpoch = batch.partitionLeaderEpoch();
            current = batch.records();
            recordIndex = 0;
            return true;
        }
        current = List.of();
        recordIndex = 0;
        return false;
    }

    /** Whether every record has been consumed. */
    boolean isExhausted() {
        return recordIndex >= current.size() && batchIndex >= batches.size();
    }
}
