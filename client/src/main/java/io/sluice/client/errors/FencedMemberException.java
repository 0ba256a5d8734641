package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;

/**
 * The coordinator no longer knows this group member ({@code UNKNOWN_MEMBER_ID}) or its epoch is
 * fenced ({@code FENCED_MEMBER_EPOCH}): its session expired and its partitions may already belong
 * to others. The consumer rejoins by itself (calling {@code onPartitionsLost}); a commit that met
 * this error surfaces it as {@link CommitFailedException}.
 */
public class FencedMemberException extends SluiceException {
    private static final long serialVersionUID = 1L;

    public FencedMemberException(ErrorCode errorCode, String message) {
        super(errorCode, message);
    }
}
