package io.sluice.broker.log;

/** A record found by timestamp: its offset, its timestamp, and the leader epoch of its batch. */
public record TimestampOffset(long offset, long timestampMs, int leaderEpoch) {
}
