package io.sluice.client.consumer;

/**
 * A committed (or to-be-committed) position: the offset of the next record to consume, the
 * leader epoch of the last consumed record when known (-1 otherwise), and application metadata.
 * Immutable.
 *
 * @param offset      the next offset to consume, >= 0
 * @param leaderEpoch leader epoch of the last consumed record, or -1
 * @param metadata    application data stored with the commit, never null
 */
public record OffsetAndMetadata(long offset, int leaderEpoch, String metadata) {
    public OffsetAndMetadata {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        }
        metadata = metadata == null ? "" : metadata;
    }

    /** An offset without leader epoch or metadata. */
    public OffsetAndMetadata(long offset) {
        this(offset, -1, "");
    }
}
