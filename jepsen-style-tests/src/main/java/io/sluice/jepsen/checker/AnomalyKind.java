package io.sluice.jepsen.checker;

/**
 * The anomalies the checker reports, by their names in results ({@code docs/chaos.md}, "Checker",
 * defines each). Every one of them makes a history invalid.
 */
public enum AnomalyKind {
    /** Acknowledged, below an offset some poll read in its partition, yet never read. */
    LOST_WRITE("lost-write"),
    /** Acknowledged, never read, and above every offset read in its partition. */
    UNSEEN("unseen"),
    /** One value at two or more different positions (partition and offset). */
    DUPLICATE("duplicate"),
    /** One position with two or more different values. */
    INCONSISTENT_OFFSETS("inconsistent-offsets"),
    /** A value read although its send failed definitely. */
    ABORTED_READ("aborted-read"),
    /** A value read that no send of the history ever sent. */
    PHANTOM_READ("phantom-read"),
    /** A consumer's consecutive reads of one partition jumped over offsets that exist. */
    POLL_SKIP("poll-skip"),
    /** A consumer read an offset at or below one it had already read, with nothing resetting it. */
    NONMONOTONIC_POLL("nonmonotonic-poll"),
    /** A producer's acknowledged offsets in one partition did not increase in send order. */
    NONMONOTONIC_SEND("nonmonotonic-send");

    private final String wireName;

    AnomalyKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in results and documentation, e.g. {@code "lost-write"}. */
    public String wireName() {
        return wireName;
    }
}
