package io.sluice.client.errors;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.LeaderHint;
import io.sluice.protocol.ErrorCodes;
import java.util.Map;

/**
 * The one place where failures become SDK exceptions: wire error codes ({@link #toException}) and
 * transport failures ({@link #fromTransport}). Whether a code is retriable is not decided here but
 * read from {@code (sluice.v1.retriable)} in errors.proto, so the SDK and the protocol
 * documentation cannot disagree; the types below only refine that split. Stateless and
 * thread-safe.
 */
public final class Errors {
    private Errors() {
    }

    /** The exception for a failed answer; {@code code} must not be {@code NONE}. */
    public static SluiceException toException(ErrorCode code, String message) {
        return toException(code, message, null);
    }

    /**
     * The exception for a failed answer, with the leader hint the broker sent (may be null).
     *
     * @throws IllegalArgumentException for {@code NONE}, which is not a failure
     */
    public static SluiceException toException(ErrorCode code, String message, LeaderHint hint) {
        if (code == ErrorCode.ERROR_CODE_NONE) {
            throw new IllegalArgumentException("ERROR_CODE_NONE is not an error");
        }
        return switch (code) {
            case ERROR_CODE_NOT_LEADER, ERROR_CODE_FENCED_LEADER_EPOCH, ERROR_CODE_LEADER_NOT_AVAILABLE ->
                    new NotLeaderException(code, message, hint);
            case ERROR_CODE_REQUEST_TIMED_OUT -> new SluiceTimeoutException(message);
            case ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION -> new UnknownTopicOrPartitionException(message);
            case ERROR_CODE_COORDINATOR_NOT_AVAILABLE, ERROR_CODE_NOT_COORDINATOR,
                    ERROR_CODE_COORDINATOR_LOAD_IN_PROGRESS -> new CoordinatorNotAvailableException(code, message);
            case ERROR_CODE_BATCH_TOO_LARGE -> new RecordTooLargeException(message);
            case ERROR_CODE_OUT_OF_ORDER_SEQUENCE, ERROR_CODE_UNKNOWN_PRODUCER_ID ->
                    new OutOfOrderSequenceException(code, message);
            case ERROR_CODE_PRODUCER_FENCED, ERROR_CODE_INVALID_PRODUCER_ID ->
                    new ProducerFencedException(code, message);
            case ERROR_CODE_OFFSET_OUT_OF_RANGE -> new OffsetOutOfRangeException(
                    ErrorCodes.messageOrDefault(code, message), Map.of());
            case ERROR_CODE_UNKNOWN_MEMBER_ID, ERROR_CODE_FENCED_MEMBER_EPOCH ->
                    new FencedMemberException(code, message);
            case ERROR_CODE_NON_EMPTY_GROUP -> new GroupNotEmptyException(message);
            case ERROR_CODE_GROUP_ID_NOT_FOUND -> new GroupNotFoundException(message);
            case ERROR_CODE_TOPIC_ALREADY_EXISTS -> new TopicExistsException(message);
            default -> ErrorCodes.isRetriable(code)
                    ? new RetriableException(code, message)
                    : new SluiceException(code, message);
        };
    }

    /** Throws the mapped exception unless {@code code} is {@code NONE}. */
    public static void throwIfError(ErrorCode code, String message) {
        if (code != ErrorCode.ERROR_CODE_NONE) {
            throw toException(code, message);
        }
    }

    /**
     * The exception for a call that failed in transport, before or instead of a Sluice answer.
     * gRPC statuses map as errors.proto documents: {@code UNAVAILABLE} and {@code CANCELLED} are
     * {@link NetworkException}, {@code DEADLINE_EXCEEDED} a {@link SluiceTimeoutException} (both
     * retriable), {@code RESOURCE_EXHAUSTED} {@code REQUEST_TOO_LARGE}, {@code INVALID_ARGUMENT}
     * {@code INVALID_REQUEST}, {@code UNIMPLEMENTED} {@code UNSUPPORTED_FEATURE}; anything else
     * (including a non-gRPC throwable) is {@code UNKNOWN_SERVER_ERROR}.
     *
     * @param target the node the call went to ({@code host:port}), for the message
     */
    public static SluiceException fromTransport(Throwable failure, String target) {
        if (failure instanceof SluiceException sluice) {
            return sluice;
        }
        Status status = statusOf(failure);
        String detail = describe(status, failure);
        return switch (status.getCode()) {
            case UNAVAILABLE -> new NetworkException("cannot reach " + target + " (" + detail + ")", failure);
            case CANCELLED -> new NetworkException("call to " + target + " was cancelled (" + detail + ")", failure);
            case DEADLINE_EXCEEDED -> new SluiceTimeoutException("no answer from " + target + " in time", failure);
            case RESOURCE_EXHAUSTED -> new SluiceException(ErrorCode.ERROR_CODE_REQUEST_TOO_LARGE,
                    target + " refused the request: " + detail, failure);
            case INVALID_ARGUMENT -> new SluiceException(ErrorCode.ERROR_CODE_INVALID_REQUEST,
                    target + " could not parse the request: " + detail, failure);
            case UNIMPLEMENTED -> new SluiceException(ErrorCode.ERROR_CODE_UNSUPPORTED_FEATURE,
                    target + " does not implement this call: " + detail, failure);
            default -> new SluiceException(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR,
                    "call to " + target + " failed: " + detail, failure);
        };
    }

    private static Status statusOf(Throwable failure) {
        if (failure instanceof StatusRuntimeException e) {
            return e.getStatus();
        }
        if (failure instanceof StatusException e) {
            return e.getStatus();
        }
        return Status.fromThrowable(failure);
    }

    private static String describe(Status status, Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String description = status.getDescription();
        if (root != failure && root.getMessage() != null) {
            return description == null ? root.getMessage() : description + ": " + root.getMessage();
        }
        return description == null ? status.getCode().name() : description;
    }
}
