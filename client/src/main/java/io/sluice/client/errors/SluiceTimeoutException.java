package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;

/**
 * An operation did not finish in the time it was given: a record's {@code delivery.timeout.ms}, a
 * request's {@code request.timeout.ms}, a blocking call's timeout, or a broker answering
 * {@code REQUEST_TIMED_OUT}. The outcome of a write that timed out is unknown. Named so as not to
 * clash with {@link java.util.concurrent.TimeoutException}, which {@code Future.get} throws.
 */
public class SluiceTimeoutException extends RetriableException {
    private static final long serialVersionUID = 1L;

    public SluiceTimeoutException(String message) {
        super(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, message);
    }

    public SluiceTimeoutException(String message, Throwable cause) {
        super(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, message, cause);
    }
}
