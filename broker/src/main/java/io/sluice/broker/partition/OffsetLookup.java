package io.sluice.broker.partition;

/**
 * An answer of ListOffsets for one partition.
 *
 * @param offset      the offset found, or -1 if no record matches
 * @param timestampMs the record's timestamp for timestamp lookups, else -1
 * @param leaderEpoch the leader epoch of the batch holding the offset, or -1
 */
public record OffsetLookup(long offset, long timestampMs, int leaderEpoch) {
}
