package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;

/** The group does not exist. */
public class GroupNotFoundException extends SluiceException {
    private static final long serialVersionUID = 1L;

    public GroupNotFoundException(String message) {
        super(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND, message);
    }
}
