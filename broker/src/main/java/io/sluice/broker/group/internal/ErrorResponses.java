package io.sluice.broker.group.internal;

import io.sluice.proto.v1.ConsumerGroupHeartbeatRequest;
import io.sluice.proto.v1.ConsumerGroupHeartbeatResponse;
import io.sluice.proto.v1.Coordinator;
import io.sluice.proto.v1.DeleteGroupResult;
import io.sluice.proto.v1.DeleteGroupsRequest;
import io.sluice.proto.v1.DeleteGroupsResponse;
import io.sluice.proto.v1.DescribeGroupsRequest;
import io.sluice.proto.v1.DescribeGroupsResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FindCoordinatorRequest;
import io.sluice.proto.v1.FindCoordinatorResponse;
import io.sluice.proto.v1.GroupDescription;
import io.sluice.proto.v1.ListGroupsResponse;
import io.sluice.proto.v1.OffsetCommitPartition;
import io.sluice.proto.v1.OffsetCommitPartitionResponse;
import io.sluice.proto.v1.OffsetCommitRequest;
import io.sluice.proto.v1.OffsetCommitResponse;
import io.sluice.proto.v1.OffsetCommitTopic;
import io.sluice.proto.v1.OffsetCommitTopicResponse;
import io.sluice.proto.v1.OffsetFetchRequest;
import io.sluice.proto.v1.OffsetFetchResponse;
import io.sluice.protocol.ErrorCodes;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The one place where failures become wire answers: {@link #codeFor} turns anything thrown into a
 * code, and one builder per rpc turns a code into that rpc's answer, with the code on the request and
 * on every item (group, partition) the request named. Stateless.
 */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    /**
     * The code for a failure: a {@link GroupException}'s own code; an overloaded or stopped coordinator
     * is COORDINATOR_NOT_AVAILABLE; a timeout is REQUEST_TIMED_OUT (its outcome is unknown); anything
     * else is a bug, UNKNOWN_SERVER_ERROR.
     */
    public static ErrorCode codeFor(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof GroupException group) {
            return group.code();
        }
        if (cause instanceof RejectedExecutionException) {
            return ErrorCode.ERROR_CODE_COORDINATOR_NOT_AVAILABLE;
        }
        if (cause instanceof TimeoutException) {
            return ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT;
        }
        return ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR;
    }

    /** The message to send with {@link #codeFor}'s code. */
    public static String messageFor(Throwable failure) {
        Throwable cause = unwrap(failure);
        String message = cause.getMessage();
        if (cause instanceof GroupException) {
            return message;
        }
        return ErrorCodes.defaultMessage(codeFor(cause)) + (message == null ? "" : " (" + message + ")");
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** A heartbeat answer carrying only an error. */
    public static ConsumerGroupHeartbeatResponse heartbeat(ConsumerGroupHeartbeatRequest request, ErrorCode code,
            String message) {
        return ConsumerGroupHeartbeatResponse.newBuilder().setErrorCode(code)
                .setErrorMessage(ErrorCodes.messageOrDefault(code, message)).setMemberId(request.getMemberId())
                .setMemberEpoch(request.getMemberEpoch()).build();
    }

    /** An OffsetCommit answer with the same code on the request and on every partition. */
    public static OffsetCommitResponse offsetCommit(OffsetCommitRequest request, ErrorCode code, String message) {
        String text = ErrorCodes.messageOrDefault(code, message);
        OffsetCommitResponse.Builder response = OffsetCommitResponse.newBuilder().setErrorCode(code)
                .setErrorMessage(text);
        for (OffsetCommitTopic topic : request.getTopicsList()) {
            OffsetCommitTopicResponse.Builder topicResponse = response.addTopicsBuilder().setName(topic.getName());
            for (OffsetCommitPartition partition : topic.getPartitionsList()) {
                topicResponse.addPartitions(OffsetCommitPartitionResponse.newBuilder()
                        .setPartition(partition.getPartition()).setErrorCode(code).setErrorMessage(text));
            }
        }
        return response.build();
    }

    /** An OffsetFetch answer carrying only an error. */
    public static OffsetFetchResponse offsetFetch(OffsetFetchRequest request, ErrorCode code, String message) {
        return OffsetFetchResponse.newBuilder().setErrorCode(code)
                .setErrorMessage(ErrorCodes.messageOrDefault(code, message)).build();
    }

    /** A DescribeGroups answer with the code on every group. */
    public static DescribeGroupsResponse describeGroups(DescribeGroupsRequest request, ErrorCode code,
            String message) {
        DescribeGroupsResponse.Builder response = DescribeGroupsResponse.newBuilder();
        request.getGroupIdsList().forEach(id -> response.addGroups(describeGroup(id, code, message)));
        return response.build();
    }

    /** One group's description carrying only an error. */
    public static GroupDescription describeGroup(String groupId, ErrorCode code, String message) {
        return GroupDescription.newBuilder().setGroupId(groupId).setErrorCode(code)
                .setErrorMessage(ErrorCodes.messageOrDefault(code, message)).build();
    }

    /** A DeleteGroups answer with the code on every group. */
    public static DeleteGroupsResponse deleteGroups(DeleteGroupsRequest request, ErrorCode code, String message) {
        DeleteGroupsResponse.Builder response = DeleteGroupsResponse.newBuilder();
        request.getGroupIdsList().forEach(id -> response.addResults(deleteGroup(id, code, message)));
        return response.build();
    }

    /** One group's deletion outcome; NONE has an empty message. */
    public static DeleteGroupResult deleteGroup(String groupId, ErrorCode code, String message) {
        return DeleteGroupResult.newBuilder().setGroupId(groupId).setErrorCode(code)
                .setErrorMessage(code == ErrorCode.ERROR_CODE_NONE ? "" : ErrorCodes.messageOrDefault(code, message))
                .build();
    }

    /** A ListGroups answer carrying only an error. */
    public static ListGroupsResponse listGroups(ErrorCode code, String message) {
        return ListGroupsResponse.newBuilder().setErrorCode(code)
                .setErrorMessage(ErrorCodes.messageOrDefault(code, message)).build();
    }

    /** A FindCoordinator answer with the code on every group. */
    public static FindCoordinatorResponse findCoordinator(FindCoordinatorRequest request, ErrorCode code,
            String message) {
        FindCoordinatorResponse.Builder response = FindCoordinatorResponse.newBuilder();
        request.getGroupIdsList().forEach(id -> response.addCoordinators(coordinator(id, code, message)));
        return response.build();
    }

    /** One group's coordinator entry carrying only an error. */
    public static Coordinator coordinator(String groupId, ErrorCode code, String message) {
        return Coordinator.newBuilder().setGroupId(groupId).setErrorCode(code)
                .setErrorMessage(ErrorCodes.messageOrDefault(code, message)).setNodeId(-1).build();
    }

    /**
     * The code a client gets when the metadata quorum refused or lost a group write: a refused
     * {@code UpsertGroup} means this coordinator's view was stale (it reloads the group, so
     * COORDINATOR_LOAD_IN_PROGRESS, retriable); quorum trouble means another node may be coordinator
     * (NOT_COORDINATOR); any other refusal is passed on as it is.
     */
    public static ErrorCode forStoreRefusal(ErrorCode stored, boolean groupStateWrite) {
        if (groupStateWrite) {
            return ErrorCode.ERROR_CODE_COORDINATOR_LOAD_IN_PROGRESS;
        }
        return switch (stored) {
            case ERROR_CODE_QUORUM_UNAVAILABLE, ERROR_CODE_NOT_CONTROLLER -> ErrorCode.ERROR_CODE_NOT_COORDINATOR;
            default -> stored;
        };
    }
}
