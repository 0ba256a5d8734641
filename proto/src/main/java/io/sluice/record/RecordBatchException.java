package io.sluice.record;

import io.sluice.proto.v1.ErrorCode;

/**
 * A record batch that cannot be accepted or decoded. Carries the stable wire code the broker
 * answers with ({@code CORRUPT_BATCH}, {@code INVALID_BATCH}, {@code UNSUPPORTED_BATCH_VERSION},
 * {@code UNSUPPORTED_COMPRESSION}, {@code BATCH_TOO_LARGE}) and a message naming what was wrong.
 */
public final class RecordBatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode errorCode;

    public RecordBatchException(ErrorCode errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    public RecordBatchException(ErrorCode errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    static RecordBatchException invalid(String message) {
        return new RecordBatchException(ErrorCode.ERROR_CODE_INVALID_BATCH, message);
    }

    /** The wire code for this failure. */
    public ErrorCode errorCode() {
        return errorCode;
    }
}
