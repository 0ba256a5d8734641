package io.sluice.broker.partition;

/**
 * Where an acks=all produce stands: committed, still waiting for the ISR, or never to be known here.
 *
 * @param state       the verdict
 * @param leaderId    for {@link State#LEADERSHIP_LOST}: the leader this broker knows of now, or -1
 * @param leaderEpoch for {@link State#LEADERSHIP_LOST}: the epoch this broker knows of now, or -1
 */
public record AckStatus(State state, int leaderId, int leaderEpoch) {
    /** The verdict on a batch appended in some leader epoch. */
    public enum State {
        /** The high watermark passed the batch: every ISR member has it. */
        COMMITTED,
        /** Not yet replicated to the whole ISR. */
        WAITING,
        /** The ISR fell below min.insync.replicas after the append; the batch may never commit. */
        NOT_ENOUGH_REPLICAS_AFTER_APPEND,
        /**
         * This broker no longer leads the epoch of the append and the batch was not committed when it
         * stopped: another leader may or may not have it. The outcome is unknown.
         */
        LEADERSHIP_LOST
    }

    static final AckStatus COMMITTED = new AckStatus(State.COMMITTED, -1, -1);
    static final AckStatus WAITING = new AckStatus(State.WAITING, -1, -1);
    static final AckStatus NOT_ENOUGH_REPLICAS = new AckStatus(State.NOT_ENOUGH_REPLICAS_AFTER_APPEND, -1, -1);
}
