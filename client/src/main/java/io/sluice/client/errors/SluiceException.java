package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;
import io.sluice.protocol.ErrorCodes;

/**
 * Root of every error the SDK reports for a failed Sluice operation. Carries the wire
 * {@link ErrorCode} the broker answered with (or the one the SDK decided on, such as
 * {@code REQUEST_TIMED_OUT} for a delivery timeout) and the broker's message.
 *
 * <p>The tree: {@link RetriableException} for failures that the SDK retries itself within its
 * timeouts ({@link NotLeaderException}, {@link NetworkException}, {@link SluiceTimeoutException},
 * ...); everything else is final and reaches the caller at once. {@link Errors} is the one place
 * that maps wire codes and gRPC statuses to types. Instances are immutable.
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

    /**
     * For failures that did not come from a broker answer: {@code label} replaces the code's name
     * at the start of the message (for example {@code NETWORK: cannot reach 127.0.0.1:9092}).
     */
    protected SluiceException(ErrorCode errorCode, String label, String message, Throwable cause) {
        super(label + ": " + ErrorCodes.messageOrDefault(errorCode, message), cause);
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
