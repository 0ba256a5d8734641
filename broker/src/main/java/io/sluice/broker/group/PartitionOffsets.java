package io.sluice.broker.group;

/**
 * A partition's offsets as consumers see them, for lag. Immutable.
 *
 * @param logStartOffset the first offset still in the log
 * @param highWatermark  the offset after the last record consumers may read (the log end for consumers)
 */
public record PartitionOffsets(long logStartOffset, long highWatermark) {
    public PartitionOffsets {
        if (logStartOffset < 0 || highWatermark < logStartOffset) {
            throw new IllegalArgumentException("invalid offsets: log start " + logStartOffset
                    + ", high watermark " + highWatermark);
        }
    }
}
