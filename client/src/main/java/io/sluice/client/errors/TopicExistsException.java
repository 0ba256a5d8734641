package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;

/** A topic with this name exists already. */
public class TopicExistsException extends SluiceException {
    private static final long serialVersionUID = 1L;

    public TopicExistsException(String message) {
        super(ErrorCode.ERROR_CODE_TOPIC_ALREADY_EXISTS, message);
    }
}
