package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.LeaderHint;
import io.sluice.protocol.ErrorCodes;

/**
 * The one place where wire error codes become SDK exceptions. Whether a code is retriable is not
 * decided here but read from {@code (sluice.v1.retriable)} in errors.proto, so the SDK and the
 * protocol documentation cannot disagree.
 */
public final class Errors {
    private Errors() {
    }

    /** The exception for a failed answer; {@code code} must not be {@code NONE}. */
    public static SluiceException toException(ErrorCode code, String message) {
        return toException(code, message, null);
    }

    /**
     * The exception for a failed answer, with the leader hint the broker sent (may be null).
     *
     * @throws IllegalArgumentException for {@code NONE}, which is not a failure
     */
    public static SluiceException toException(ErrorCode code, String message, LeaderHint hint) {
        if (code == ErrorCode.ERROR_CODE_NONE) {
            throw new IllegalArgumentException("ERROR_CODE_NONE is not an error");
        }
        return switch (code) {
            case ERROR_CODE_NOT_LEADER, ERROR_CODE_FENCED_LEADER_EPOCH, ERROR_CODE_LEADER_NOT_AVAILABLE ->
                    new NotLeaderException(code, message, hint);
            default -> ErrorCodes.isRetriable(code)
                    ? new RetriableException(code, message)
                    : new SluiceException(code, message);
        };
    }

    /** Throws the mapped exception unless {@code code} is {@code NONE}. */
    public static void throwIfError(ErrorCode code, String message) {
        if (code != ErrorCode.ERROR_CODE_NONE) {
            throw toException(code, message);
        }
    }
}
