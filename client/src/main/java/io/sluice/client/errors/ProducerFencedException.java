package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;

/**
 * A newer epoch of this producer id exists ({@code PRODUCER_FENCED}), or the producer id is not
 * valid in this cluster ({@code INVALID_PRODUCER_ID}). Fatal for the producer instance: every
 * pending and later send fails with it; close the producer and create a new one.
 */
public class ProducerFencedException extends SluiceException {
    private static final long serialVersionUID = 1L;

    public ProducerFencedException(ErrorCode errorCode, String message) {
        super(errorCode, message);
    }
}
