package io.sluice.broker.group.internal;

import static io.sluice.broker.group.GroupCoordinatorConfig.MAX_ID_LENGTH;

import io.sluice.broker.group.GroupCoordinatorConfig;
import io.sluice.proto.v1.Assignment;
import io.sluice.proto.v1.ConsumerGroupHeartbeatRequest;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.OffsetCommitRequest;
import io.sluice.proto.v1.OffsetCommitTopic;
import io.sluice.proto.v1.OffsetFetchRequest;
import io.sluice.proto.v1.OffsetFetchTopic;
import io.sluice.proto.v1.TopicPartitionSet;
import java.util.List;

/**
 * Checks the shape of requests before the coordinator acts on them; each method throws a
 * {@link GroupException} naming the first problem. Checks that need the group's state (epochs,
 * members, topics) are the processors'. Stateless.
 */
public final class RequestValidator {
    private RequestValidator() {
    }

    /** Group ids are 1-255 characters: INVALID_GROUP_ID otherwise. */
    public static void groupId(String groupId) {
        if (groupId.isEmpty()) {
            throw new GroupException(ErrorCode.ERROR_CODE_INVALID_GROUP_ID, "the group id is empty");
        }
        if (groupId.length() > MAX_ID_LENGTH) {
            throw new GroupException(ErrorCode.ERROR_CODE_INVALID_GROUP_ID, "the group id has " + groupId.length()
                    + " characters; at most " + MAX_ID_LENGTH + " are allowed");
        }
    }

    /** A list of group ids in one request: REQUEST_TOO_LARGE past the limit. */
    public static void groupCount(List<String> groupIds) {
        if (groupIds.size() > GroupCoordinatorConfig.MAX_GROUPS_PER_REQUEST) {
            throw new GroupException(ErrorCode.ERROR_CODE_REQUEST_TOO_LARGE, "the request names " + groupIds.size()
                    + " groups; at most " + GroupCoordinatorConfig.MAX_GROUPS_PER_REQUEST + " are allowed");
        }
    }

    /** ConsumerGroupHeartbeat. */
    public static void heartbeat(ConsumerGroupHeartbeatRequest request, GroupCoordinatorConfig config) {
        groupId(request.getGroupId());
        if (request.getMemberId().isEmpty()) {
            throw invalid("member_id is required: a UUID the consumer generates once and keeps");
        }
        id("member_id", request.getMemberId());
        id("instance_id", request.getInstanceId());
        id("rack_id", request.getRackId());
        id("client_id", request.getClientId());
        if (request.getMemberEpoch() < Member.STATIC_LEFT_EPOCH) {
            throw invalid("member_epoch " + request.getMemberEpoch() + " is invalid (-2, -1, 0 or an epoch)");
        }
        if (request.getRebalanceTimeoutMs() < 0) {
            throw invalid("rebalance_timeout_ms " + request.getRebalanceTimeoutMs() + " is negative");
        }
        if (!request.getServerAssignor().isEmpty() && !Assignors.exists(request.getServerAssignor())) {
            throw new GroupException(ErrorCode.ERROR_CODE_UNSUPPORTED_ASSIGNOR, "unknown assignor '"
                    + request.getServerAssignor() + "' (uniform or range)");
        }
        List<String> topics = request.getSubscribedTopics().getNamesList();
        if (topics.size() > GroupCoordinatorConfig.MAX_SUBSCRIBED_TOPICS) {
            throw new GroupException(ErrorCode.ERROR_CODE_REQUEST_TOO_LARGE, "subscribed to " + topics.size()
                    + " topics; at most " + GroupCoordinatorConfig.MAX_SUBSCRIBED_TOPICS + " are allowed");
        }
        for (String topic : topics) {
            if (topic.isEmpty() || topic.length() > GroupCoordinatorConfig.MAX_TOPIC_NAME_LENGTH) {
                throw invalid("subscribed topic name '" + topic + "' is empty or longer than "
                        + GroupCoordinatorConfig.MAX_TOPIC_NAME_LENGTH + " characters");
            }
        }
        ownedPartitions(request.getOwnedPartitions(), config);
    }

    private static void ownedPartitions(Assignment owned, GroupCoordinatorConfig config) {
        long count = 0;
        for (TopicPartitionSet topic : owned.getTopicPartitionsList()) {
            if (topic.getTopicId().isEmpty()) {
                throw invalid("owned_partitions names a topic without topic_id");
            }
            for (int partition : topic.getPartitionsList()) {
                if (partition < 0) {
                    throw invalid("owned_partitions has negative partition " + partition);
                }
            }
            count += topic.getPartitionsCount();
        }
        if (count > config.maxPartitionsPerRequest()) {
            throw new GroupException(ErrorCode.ERROR_CODE_REQUEST_TOO_LARGE, "owned_partitions lists " + count
                    + " partitions; at most " + config.maxPartitionsPerRequest() + " are allowed");
        }
    }

    /** OffsetCommit, request-level; partitions are checked one by one when the commit is planned. */
    public static void offsetCommit(OffsetCommitRequest request, GroupCoordinatorConfig config) {
        groupId(request.getGroupId());
        id("member_id", request.getMemberId());
        if (request.getMemberId().isEmpty() && request.getMemberEpoch() != -1) {
            throw invalid("a commit without member_id must carry member_epoch -1, not " + request.getMemberEpoch());
        }
        long count = 0;
        for (OffsetCommitTopic topic : request.getTopicsList()) {
            count += topic.getPartitionsCount();
        }
        partitionCount(count, config);
    }

    /** OffsetFetch, request-level. */
    public static void offsetFetch(OffsetFetchRequest request, GroupCoordinatorConfig config) {
        groupId(request.getGroupId());
        long count = 0;
        for (OffsetFetchTopic topic : request.getTopicsList()) {
            count += Math.max(1, topic.getPartitionsCount());
        }
        partitionCount(count, config);
    }

    private static void partitionCount(long count, GroupCoordinatorConfig config) {
        if (count > config.maxPartitionsPerRequest()) {
            throw new GroupException(ErrorCode.ERROR_CODE_REQUEST_TOO_LARGE, "the request names " + count
                    + " partitions; at most " + config.maxPartitionsPerRequest() + " are allowed");
        }
    }

    private static void id(String field, String value) {
        if (value.length() > MAX_ID_LENGTH) {
            throw invalid(field + " has " + value.length() + " characters; at most " + MAX_ID_LENGTH
                    + " are allowed");
        }
    }

    private static GroupException invalid(String message) {
        return new GroupException(ErrorCode.ERROR_CODE_INVALID_REQUEST, message);
    }
}
