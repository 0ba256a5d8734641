package io.sluice.broker.replication;

/**
 * What a follower tells its leader about one partition in a replica fetch.
 *
 * @param leaderEpoch      the leader epoch the follower follows
 * @param fetchOffset      the follower's log end offset: the next offset it needs
 * @param lastFetchedEpoch the leader epoch of its last batch, -1 if its log is empty
 * @param logStartOffset   the follower's log start offset
 */
public record FetchPosition(int leaderEpoch, long fetchOffset, int lastFetchedEpoch, long logStartOffset) {
}
