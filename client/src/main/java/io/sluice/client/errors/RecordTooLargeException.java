package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;

/**
 * A record or batch is larger than allowed: by the topic's {@code max.message.bytes} (answered by
 * the broker as {@code BATCH_TOO_LARGE}), or by the producer's {@code max.request.size} or
 * {@code buffer.memory} (refused before sending). Not retriable: the same record would fail again.
 */
public class RecordTooLargeException extends SluiceException {
    private static final long serialVersionUID = 1L;

    public RecordTooLargeException(String message) {
        super(ErrorCode.ERROR_CODE_BATCH_TOO_LARGE, message);
    }
}
