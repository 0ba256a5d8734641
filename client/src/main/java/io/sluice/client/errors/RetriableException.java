package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;

/**
 * A failure that may go away if the same request is sent again, usually after refreshing metadata.
 * The SDK retries these itself until its delivery or request timeout; a caller sees one only when
 * that time ran out.
 */
public class RetriableException extends SluiceException {
    private static final long serialVersionUID = 1L;

    public RetriableException(ErrorCode errorCode, String message) {
        super(errorCode, message);
    }

    public RetriableException(ErrorCode errorCode, String message, Throwable cause) {
        super(errorCode, message, cause);
    }

    /** See {@link SluiceException#SluiceException(ErrorCode, String, String, Throwable)}. */
    protected RetriableException(ErrorCode errorCode, String label, String message, Throwable cause) {
        super(errorCode, label, message, cause);
    }
}
