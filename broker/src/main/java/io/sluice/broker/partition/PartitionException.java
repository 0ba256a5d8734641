package io.sluice.broker.partition;

import io.sluice.proto.v1.ErrorCode;

/**
 * A partition operation refused for a reason the caller reports to its client (not leader, stale
 * epoch, not enough replicas, offset out of range, ...). Carries the code the refusal corresponds
 * to and, for leadership errors, the leader this broker knows of, so that each API's single error
 * mapping can answer with a leader hint. Cheap: no stack trace (these are answers, not bugs).
 */
public final class PartitionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode errorCode;
    private final int leaderId;
    private final int leaderEpoch;

    public PartitionException(ErrorCode errorCode, String message) {
        this(errorCode, message, -1, -1);
    }

    public PartitionException(ErrorCode errorCode, String message, int leaderId, int leaderEpoch) {
        super(message, null, false, false);
        this.errorCode = errorCode;
        this.leaderId = leaderId;
        this.leaderEpoch = leaderEpoch;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    /** The current leader as this broker knows it, or -1. */
    public int leaderId() {
        return leaderId;
    }

    /** The current leader epoch as this broker knows it, or -1. */
    public int leaderEpoch() {
        return leaderEpoch;
    }
}
