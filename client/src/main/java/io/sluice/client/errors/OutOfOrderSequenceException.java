package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;

/**
 * The broker refused an idempotent batch because its sequence number leaves a gap
 * ({@code OUT_OF_ORDER_SEQUENCE}) or the broker has no state for the producer
 * ({@code UNKNOWN_PRODUCER_ID}). The producer handles both itself by starting a new epoch; a
 * caller sees this only for records that could not be delivered before their delivery timeout.
 */
public class OutOfOrderSequenceException extends SluiceException {
    private static final long serialVersionUID = 1L;

    public OutOfOrderSequenceException(ErrorCode errorCode, String message) {
        super(errorCode, message);
    }
}
