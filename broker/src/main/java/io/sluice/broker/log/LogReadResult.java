package io.sluice.broker.log;

import java.nio.ByteBuffer;

/**
 * Whole batches read from a log, and the log's bounds when they were read.
 *
 * @param records        zero or more whole batches, concatenated; the caller owns the buffer
 * @param logStartOffset the log start offset at the time of the read
 * @param logEndOffset   the log end offset at the time of the read
 */
public record LogReadResult(ByteBuffer records, long logStartOffset, long logEndOffset) {
    /** Bytes of batches returned. */
    public int sizeInBytes() {
        return records.remaining();
    }
}
