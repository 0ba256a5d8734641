package io.sluice.client.consumer;

/** Where a consumer starts reading a partition that has no valid position. */
public enum OffsetResetStrategy {
    /** The log start offset: everything still stored. */
    EARLIEST,
    /** The high watermark: only records produced from now on. */
    LATEST,
    /** Fail the poll with {@code NoOffsetForPartitionException} or {@code OffsetOutOfRangeException}. */
    NONE
}
