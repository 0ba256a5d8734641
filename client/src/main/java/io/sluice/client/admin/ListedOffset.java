package io.sluice.client.admin;

/**
 * The answer to an offset lookup. Immutable.
 *
 * @param offset      the offset, or -1 when no record matches (a timestamp after the last record)
 * @param timestampMs the record's timestamp for timestamp lookups, else -1
 * @param leaderEpoch the leader epoch of the batch holding it, or -1
 */
public record ListedOffset(long offset, long timestampMs, int leaderEpoch) {
}
