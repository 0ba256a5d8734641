package io.sluice.metastore.internal;

import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.v1.ErrorCode;

/** Builders of {@link MetaResult} answers. Stateless. */
public final class Results {
    private static final MetaResult OK = MetaResult.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NONE).build();

    private Results() {
    }

    /** Success with no command-specific result. */
    public static MetaResult ok() {
        return OK;
    }

    /** A business failure: the state stays unchanged. */
    public static MetaResult error(ErrorCode code, String message) {
        return MetaResult.newBuilder().setErrorCode(code).setErrorMessage(message).build();
    }

    /** Whether the result is a success. */
    public static boolean isOk(MetaResult r) {
        return r.getErrorCode() == ErrorCode.ERROR_CODE_NONE;
    }
}
