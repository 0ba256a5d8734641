package io.sluice.metastore;

import io.sluice.proto.v1.ErrorCode;

/** A metadata operation that failed with a wire error code (for futures that cannot carry a result). */
public final class MetaStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode errorCode;

    /** A failure with {@code code} and a message. */
    public MetaStoreException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = code;
    }

    /** The wire error code. */
    public ErrorCode errorCode() {
        return errorCode;
    }
}
