package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;

/** The operation needs a group without members (deleting it, resetting its offsets). */
public class GroupNotEmptyException extends SluiceException {
    private static final long serialVersionUID = 1L;

    public GroupNotEmptyException(String message) {
        super(ErrorCode.ERROR_CODE_NON_EMPTY_GROUP, message);
    }
}
