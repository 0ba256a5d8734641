package io.sluice.client.consumer;

/**
 * The answer to a lookup by time: the first offset whose record has a timestamp at or after the
 * time asked, and that record's timestamp. Immutable.
 *
 * @param offset      the offset
 * @param timestamp   the record's timestamp
 * @param leaderEpoch leader epoch of the batch holding it, or -1
 */
public record OffsetAndTimestamp(long offset, long timestamp, int leaderEpoch) {
}
