package io.sluice.broker.partition;

/**
 * Bits naming what an operation on a {@link Partition} changed, handed to the
 * {@link PartitionListener} so that waiting operations (acks=all produces, long-polling fetches) are
 * re-checked only when something they depend on moved.
 */
public final class PartitionChanges {
    /** The log end offset moved (an append, a truncation): follower fetches may complete. */
    public static final int LOG_END = 1;
    /** The high watermark moved: acks=all produces and consumer fetches may complete. */
    public static final int HIGH_WATERMARK = 1 << 1;
    /** The low watermark (smallest log start over the ISR) moved: DeleteRecords may complete. */
    public static final int LOW_WATERMARK = 1 << 2;
    /** The replica's role or leader epoch changed: everything waiting on it must re-check. */
    public static final int ROLE = 1 << 3;
    /** The committed ISR changed: acks=all produces may fail with NOT_ENOUGH_REPLICAS_AFTER_APPEND. */
    public static final int ISR = 1 << 4;
    /** A follower outside the ISR caught up: the leader should propose adding it. */
    public static final int ISR_CANDIDATE = 1 << 5;
    /** Every bit. */
    public static final int ALL = LOG_END | HIGH_WATERMARK | LOW_WATERMARK | ROLE | ISR | ISR_CANDIDATE;

    private PartitionChanges() {
    }

    /** Whether {@code changes} has any bit of {@code mask}. */
    public static boolean any(int changes, int mask) {
        return (changes & mask) != 0;
    }
}
