package io.sluice.client.admin;

/** Which kind of leader election {@link Admin#electLeaders} runs (Kafka's {@code ElectionType}). */
public enum ElectionType {
    /** Make each partition's first replica, its preferred leader, lead again where it is in sync. */
    PREFERRED,
    /**
     * Elect a leader for leaderless partitions even from outside the ISR. May lose acknowledged
     * records: for operators recovering from the loss of every in-sync replica.
     */
    UNCLEAN
}
