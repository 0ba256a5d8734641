package io.sluice.broker.log;

/**
 * What an append stored.
 *
 * @param firstOffset     offset of the first appended record
 * @param lastOffset      offset of the last appended record
 * @param maxTimestampMs  the largest record timestamp appended (the append time for LogAppendTime
 *                        topics), -1 if none
 * @param logAppendTimeMs the append time stamped into the batch for LogAppendTime topics, else -1
 * @param sizeInBytes     bytes appended
 * @param batchCount      batches appended
 */
public record AppendInfo(long firstOffset, long lastOffset, long maxTimestampMs, long logAppendTimeMs,
        int sizeInBytes, int batchCount) {
}
