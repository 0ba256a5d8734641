package io.sluice.broker.replication;

/** What a follower replica made of the leader's answer for it, which decides when it fetches again. */
public enum FetchOutcome {
    /** Applied (data, truncation or nothing new): fetch again at once. */
    CONTINUE,
    /** An error the leader or the replica reported: wait the fetch backoff before asking again. */
    BACKOFF,
    /**
     * The leader does not know yet the leader epoch the request was sent at (UNKNOWN_LEADER_EPOCH):
     * the metadata that made it leader reached this follower first and will reach it in a moment.
     * Ask again soon, backing off from a few milliseconds up to the fetch backoff while it lasts.
     */
    LEADER_BEHIND,
    /** The replica no longer follows at the epoch the request was sent for: the answer was dropped. */
    IGNORED
}
