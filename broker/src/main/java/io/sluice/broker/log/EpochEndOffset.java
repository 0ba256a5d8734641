package io.sluice.broker.log;

/**
 * Where a leader epoch ends in a log: {@code endOffset} is the start offset of the next epoch, or
 * the log end offset for the latest epoch.
 */
public record EpochEndOffset(int epoch, long endOffset) {
}
