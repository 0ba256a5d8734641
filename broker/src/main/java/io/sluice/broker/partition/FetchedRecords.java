package io.sluice.broker.partition;

import java.nio.ByteBuffer;

/**
 * Whole batches read from a partition for a fetch, with the partition's bounds at the time.
 *
 * @param records        zero or more whole batches as stored; the caller owns the buffer (it can
 *                       be wrapped into a protobuf {@code ByteString} without a copy)
 * @param highWatermark  the high watermark when the batches were read
 * @param logStartOffset the log start offset when the batches were read
 * @param logEndOffset   the log end offset when the batches were read
 */
public record FetchedRecords(ByteBuffer records, long highWatermark, long logStartOffset, long logEndOffset) {
    /** Bytes of batches read. */
    public int sizeInBytes() {
        return records.remaining();
    }
}
