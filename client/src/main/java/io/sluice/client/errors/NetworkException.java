package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;

/**
 * The SDK could not reach a node, or lost the connection while a request was outstanding (gRPC
 * {@code UNAVAILABLE} or {@code CANCELLED}). The outcome of a request that was lost this way is
 * unknown; the SDK retries it (idempotent producers make that safe) after refreshing metadata.
 * {@link #errorCode()} is {@code NODE_NOT_READY}, the wire code with the same meaning for clients:
 * this node cannot serve now, another one (or this one, later) can.
 */
public class NetworkException extends RetriableException {
    private static final long serialVersionUID = 1L;

    public NetworkException(String message, Throwable cause) {
        super(ErrorCode.ERROR_CODE_NODE_NOT_READY, "NETWORK", message, cause);
    }
}
