package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;

/**
 * The group coordinator cannot serve the request now ({@code COORDINATOR_NOT_AVAILABLE},
 * {@code NOT_COORDINATOR}, {@code COORDINATOR_LOAD_IN_PROGRESS}): the SDK finds the coordinator
 * again and retries.
 */
public class CoordinatorNotAvailableException extends RetriableException {
    private static final long serialVersionUID = 1L;

    public CoordinatorNotAvailableException(ErrorCode errorCode, String message) {
        super(errorCode, message);
    }
}
