package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;
import io.sluice.protocol.ErrorCodes;

/**
 * Root of every error the SDK reports for a failed Sluice operation. Carries the wire
 * {@link ErrorCode} the broker answered with (or the one the SDK decided on, such as
 * {@code REQUEST_TIMED_OUT} for a delivery timeout) and the broker's message.
 *
 * <p>The tree: {@link RetriableException} for failures that the SDK retries itself within its
 * timeouts, with {@link NotLeaderException} below it; everything else is final and reaches the
 * caller at once. {@link Errors#toException} is the one place that maps codes to types.
 */
public class SluiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode errorCode;

    public SluiceException(ErrorCode errorCode, String message) {
        super(describe(errorCode, message));
        this.errorCode = errorCode;
    }

    public SluiceException(ErrorCode errorCode, String message, Throwable cause) {
        super(describe(errorCode, message), cause);
        this.errorCode = errorCode;
    }

    private static String describe(ErrorCode errorCode, String message) {
        return ErrorCodes.shortName(errorCode) + ": " + ErrorCodes.messageOrDefault(errorCode, message);
    }

    /** The wire code behind this failure. */
    public ErrorCode errorCode() {
        return errorCode;
    }
}
