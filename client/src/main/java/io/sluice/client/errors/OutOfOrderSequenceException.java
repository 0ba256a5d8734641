package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;

/**
 * The broker refused an idempotent batch because its sequence number leaves a gap
 * ({@code OUT_OF_ORDER_SEQUENCE}) or the broker has no state for the producer
 * ({@code UNKNOWN_PRODUCER_ID}). The producer handles both itself: it starts a new epoch for a
 * batch that no attempt can have written, and resends one whose earlier attempt got no answer
 * under the same epoch (the answering broker may be out of date). A caller sees this only as the
 * last error of a {@code DeliveryTimeoutException}, or directly when a finite {@code retries} ran
 * out, and then it says nothing of earlier attempts: the record may have been written.
 */
public class OutOfOrderSequenceException extends SluiceException {
    private static final long serialVersionUID = 1L;

    public OutOfOrderSequenceException(ErrorCode errorCode, String message) {
        super(errorCode, message);
    }
}
