package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;

/**
 * The topic or partition does not exist, or has not reached the broker asked yet. Retriable for a
 * bounded time: a topic created a moment ago appears on every broker within milliseconds.
 */
public class UnknownTopicOrPartitionException extends RetriableException {
    private static final long serialVersionUID = 1L;

    public UnknownTopicOrPartitionException(String message) {
        super(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, message);
    }
}
