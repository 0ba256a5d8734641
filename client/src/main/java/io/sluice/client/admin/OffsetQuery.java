package io.sluice.client.admin;

/**
 * Which offset of a partition to look up. Immutable.
 *
 * @param kind        earliest, latest, by timestamp, or of the largest timestamp
 * @param timestampMs the time for {@link Kind#TIMESTAMP}, else 0
 */
public record OffsetQuery(Kind kind, long timestampMs) {
    /** The kinds of lookup. */
    public enum Kind {
        /** The log start offset. */
        EARLIEST,
        /** The high watermark. */
        LATEST,
        /** The first offset whose record's timestamp is at or after the time. */
        TIMESTAMP,
        /** The offset of the record with the largest timestamp. */
        MAX_TIMESTAMP
    }

    /** The log start offset. */
    public static OffsetQuery earliest() {
        return new OffsetQuery(Kind.EARLIEST, 0);
    }

    /** The high watermark. */
    public static OffsetQuery latest() {
        return new OffsetQuery(Kind.LATEST, 0);
    }

    /** The first offset at or after {@code timestampMs}. */
    public static OffsetQuery forTimestamp(long timestampMs) {
        if (timestampMs < 0) {
            throw new IllegalArgumentException("timestamp must be >= 0, was " + timestampMs);
        }
        return new OffsetQuery(Kind.TIMESTAMP, timestampMs);
    }
}
