package io.sluice.broker.group.internal;

import io.sluice.proto.v1.ErrorCode;

/**
 * A request the coordinator refuses, with the wire code to answer. Thrown before the group is
 * changed, so a refused request leaves no trace. Immutable.
 */
public final class GroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ErrorCode code;

    public GroupException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
