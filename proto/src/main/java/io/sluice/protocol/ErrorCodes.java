package io.sluice.protocol;

import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.ErrorsProto;

/**
 * What each wire {@link ErrorCode} means, read from the options declared beside it in
 * {@code sluice/v1/errors.proto}, so that the .proto file is the single source for every language.
 */
public final class ErrorCodes {
    private ErrorCodes() {
    }

    /** Whether a request that failed with {@code code} may succeed if sent again. */
    public static boolean isRetriable(ErrorCode code) {
        if (code == ErrorCode.UNRECOGNIZED) {
            return false;
        }
        return code.getValueDescriptor().getOptions().getExtension(ErrorsProto.retriable);
    }

    /** The code's documented one-sentence meaning. */
    public static String defaultMessage(ErrorCode code) {
        if (code == ErrorCode.UNRECOGNIZED) {
            return "Unknown error code.";
        }
        return code.getValueDescriptor().getOptions().getExtension(ErrorsProto.defaultMessage);
    }

    /**
     * The code for a number received on the wire; numbers this build does not know map to
     * {@link ErrorCode#UNRECOGNIZED}, which callers treat as not retriable.
     */
    public static ErrorCode forNumber(int number) {
        ErrorCode code = ErrorCode.forNumber(number);
        return code == null ? ErrorCode.UNRECOGNIZED : code;
    }

    /** A short name for logs and CLI output: the enum name without its prefix. */
    public static String shortName(ErrorCode code) {
        String name = code.name();
        return name.startsWith("ERROR_CODE_") ? name.substring("ERROR_CODE_".length()) : name;
    }

    /** {@code message} if non-empty, else the code's default message. */
    public static String messageOrDefault(ErrorCode code, String message) {
        return message == null || message.isEmpty() ? defaultMessage(code) : message;
    }
}
