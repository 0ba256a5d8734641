package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.LeaderHint;
import java.util.Optional;

/**
 * The broker asked is not (or no longer) the partition's leader. When the broker knew the current
 * leader it said so, and {@link #leaderHint()} lets the SDK go there without a full metadata refresh.
 */
public final class NotLeaderException extends RetriableException {
    private static final long serialVersionUID = 1L;

    private final transient LeaderHint leaderHint;

    public NotLeaderException(ErrorCode errorCode, String message, LeaderHint leaderHint) {
        super(errorCode, message);
        this.leaderHint = leaderHint;
    }

    /** The current leader as the broker knew it, if it did. */
    public Optional<LeaderHint> leaderHint() {
        return leaderHint == null || leaderHint.getLeaderId() < 0 ? Optional.empty() : Optional.of(leaderHint);
    }
}
