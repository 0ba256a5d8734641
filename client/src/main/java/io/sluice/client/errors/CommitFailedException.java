package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;

/**
 * An offset commit cannot succeed because this consumer is no longer a member of the group with
 * the epoch it committed under (fenced, or its partitions were reassigned). The records processed
 * since the last successful commit will be delivered again to the partitions' new owners.
 */
public class CommitFailedException extends SluiceException {
    private static final long serialVersionUID = 1L;

    public CommitFailedException(ErrorCode errorCode, String message) {
        super(errorCode, message);
    }
}
