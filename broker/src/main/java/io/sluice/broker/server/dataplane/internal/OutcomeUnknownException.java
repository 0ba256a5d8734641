package io.sluice.broker.server.dataplane.internal;

/**
 * A write whose outcome this broker cannot know: appended here but not replicated to the ISR when
 * leadership moved, the deadline passed or the broker stopped. Answered as a timeout (retriable,
 * outcome unknown), never as a failure. No stack trace: it is an answer.
 */
public final class OutcomeUnknownException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int leaderId;
    private final int leaderEpoch;

    public OutcomeUnknownException(String message, int leaderId, int leaderEpoch) {
        super(message, null, false, false);
        this.leaderId = leaderId;
        this.leaderEpoch = leaderEpoch;
    }

    public int leaderId() {
        return leaderId;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }
}
