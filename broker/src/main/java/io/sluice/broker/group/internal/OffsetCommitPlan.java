package io.sluice.broker.group.internal;

import io.sluice.broker.group.GroupCoordinatorConfig;
import io.sluice.broker.group.TopicCatalog;
import io.sluice.broker.group.TopicIdPartition;
import io.sluice.broker.group.TopicInfo;
import io.sluice.proto.internal.v1.CommitOffsets;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.OffsetCommitPartition;
import io.sluice.proto.v1.OffsetCommitPartitionResponse;
import io.sluice.proto.v1.OffsetCommitRequest;
import io.sluice.proto.v1.OffsetCommitResponse;
import io.sluice.proto.v1.OffsetCommitTopic;
import io.sluice.proto.v1.OffsetCommitTopicResponse;
import io.sluice.protocol.ErrorCodes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One OffsetCommit checked against its group: which partitions go into the {@code CommitOffsets}
 * command and why the others are refused. Rules:
 * <ul>
 *   <li>With a member id: the member must exist (UNKNOWN_MEMBER_ID); its current epoch commits any
 *       partition; its previous epoch only partitions it still owns (the bump's answer may not have
 *       reached it); any other epoch gets STALE_MEMBER_EPOCH.</li>
 *   <li>Without a member id (epoch -1): only while the group has no members (NON_EMPTY_GROUP).</li>
 *   <li>Per partition: the topic and partition must exist (UNKNOWN_TOPIC_OR_PARTITION), offsets must
 *       be non-negative and leader epochs at least -1, each topic and partition at most once
 *       (INVALID_REQUEST), metadata at most {@code maxOffsetMetadataBytes} of UTF-8
 *       (OFFSET_METADATA_TOO_LARGE).</li>
 * </ul>
 * Built on the coordinator thread from the group's committed state; the answer is built once the
 * command's outcome is known. Immutable once built.
 */
public final class OffsetCommitPlan {
    private final OffsetCommitRequest request;
    private final List<List<Outcome>> outcomes;
    private final CommitOffsets command;
    private final ErrorCode requestError;
    private final String requestMessage;

    /** A partition's fate: refused with a code, or in the command (code null). */
    private record Outcome(ErrorCode code, String message) {
    }

    private OffsetCommitPlan(OffsetCommitRequest request, List<List<Outcome>> outcomes, CommitOffsets command,
            ErrorCode requestError, String requestMessage) {
        this.request = request;
        this.outcomes = outcomes;
        this.command = command;
        this.requestError = requestError;
        this.requestMessage = requestMessage;
    }

    /** Checks {@code request} against {@code group}; {@code wallMs} is the commit time stored. */
    public static OffsetCommitPlan plan(ConsumerGroup group, OffsetCommitRequest request, TopicCatalog catalog,
            GroupCoordinatorConfig config, long wallMs) {
        Member member = null;
        if (request.getMemberId().isEmpty()) {
            if (group.memberCount() > 0) {
                return refused(request, ErrorCode.ERROR_CODE_NON_EMPTY_GROUP, "group " + group.groupId() + " has "
                        + group.memberCount() + " members: commits without a member id need an empty group");
            }
        } else {
            member = group.member(request.getMemberId());
            if (member == null) {
                return refused(request, ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID, "member " + request.getMemberId()
                        + " is not in group " + group.groupId());
            }
            boolean current = request.getMemberEpoch() == member.memberEpoch() && member.memberEpoch() > 0;
            boolean previous = request.getMemberEpoch() == member.previousMemberEpoch()
                    && member.previousMemberEpoch() > 0;
            if (!current && !previous) {
                return refused(request, ErrorCode.ERROR_CODE_STALE_MEMBER_EPOCH, "member " + member.memberId()
                        + " committed with epoch " + request.getMemberEpoch() + " but is at epoch "
                        + member.memberEpoch());
            }
            if (current) {
                member = null; // every partition may be committed: no ownership check
            }
        }
        CommitOffsets.Builder command = CommitOffsets.newBuilder().setGroupId(group.groupId())
                .setMemberId(request.getMemberId()).setMemberEpoch(request.getMemberEpoch()).setCommitTimeMs(wallMs);
        List<List<Outcome>> outcomes = new ArrayList<>();
        Set<String> topicsSeen = new HashSet<>();
        for (OffsetCommitTopic topic : request.getTopicsList()) {
            boolean duplicate = !topicsSeen.add(topic.getName());
            Optional<TopicInfo> info = catalog.topicByName(topic.getName());
            List<Outcome> topicOutcomes = new ArrayList<>();
            Set<Integer> partitionsSeen = new HashSet<>();
            for (OffsetCommitPartition partition : topic.getPartitionsList()) {
                Outcome outcome = duplicate ? invalid("topic " + topic.getName() + " appears twice")
                        : check(topic.getName(), info, partition, partitionsSeen, member, config);
                if (outcome == null) {
                    command.addOffsets(OffsetRecord.newBuilder().setGroupId(group.groupId())
                            .setTopicId(info.orElseThrow().topicId()).setPartition(partition.getPartition())
                            .setCommittedOffset(partition.getCommittedOffset())
                            .setCommittedLeaderEpoch(partition.getCommittedLeaderEpoch())
                            .setMetadata(partition.getMetadata()).setCommitTimeMs(wallMs));
                }
                topicOutcomes.add(outcome);
            }
            outcomes.add(topicOutcomes);
        }
        return new OffsetCommitPlan(request, outcomes, command.getOffsetsCount() > 0 ? command.build() : null,
                null, "");
    }

    private static Outcome check(String topicName, Optional<TopicInfo> info, OffsetCommitPartition partition,
            Set<Integer> partitionsSeen, Member previousEpochMember, GroupCoordinatorConfig config) {
        int index = partition.getPartition();
        if (info.isEmpty() || index < 0 || index >= info.get().partitionCount()) {
            return new Outcome(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, "no partition " + topicName + "-"
                    + index);
        }
        if (!partitionsSeen.add(index)) {
            return invalid("partition " + topicName + "-" + index + " appears twice");
        }
        if (partition.getCommittedOffset() < 0) {
            return invalid("offset " + partition.getCommittedOffset() + " is negative");
        }
        if (partition.getCommittedLeaderEpoch() < -1) {
            return invalid("leader epoch " + partition.getCommittedLeaderEpoch() + " is invalid (-1 or more)");
        }
        int metadataBytes = partition.getMetadata().getBytes(StandardCharsets.UTF_8).length;
        if (metadataBytes > config.maxOffsetMetadataBytes()) {
            return new Outcome(ErrorCode.ERROR_CODE_OFFSET_METADATA_TOO_LARGE, "metadata has " + metadataBytes
                    + " bytes; at most " + config.maxOffsetMetadataBytes() + " are allowed");
        }
        if (previousEpochMember != null
                && !previousEpochMember.owns(new TopicIdPartition(info.get().topicId(), index))) {
            return new Outcome(ErrorCode.ERROR_CODE_STALE_MEMBER_EPOCH, "member " + previousEpochMember.memberId()
                    + " committed with its previous epoch a partition it no longer owns");
        }
        return null;
    }

    private static Outcome invalid(String message) {
        return new Outcome(ErrorCode.ERROR_CODE_INVALID_REQUEST, message);
    }

    private static OffsetCommitPlan refused(OffsetCommitRequest request, ErrorCode code, String message) {
        List<List<Outcome>> outcomes = new ArrayList<>();
        Outcome outcome = new Outcome(code, message);
        request.getTopicsList().forEach(t -> outcomes.add(new ArrayList<>(Collections.nCopies(
                t.getPartitionsCount(), outcome))));
        return new OffsetCommitPlan(request, outcomes, null, code, message);
    }

    /** The command to propose, or null when no partition may be committed. */
    public CommitOffsets command() {
        return command;
    }

    /**
     * The answer, the command's partitions getting {@code commandCode} (NONE once it applied). A
     * refusal of the whole command is also the request's error.
     */
    public OffsetCommitResponse answer(ErrorCode commandCode, String commandMessage) {
        OffsetCommitResponse.Builder response = OffsetCommitResponse.newBuilder();
        if (requestError != null) {
            response.setErrorCode(requestError).setErrorMessage(requestMessage);
        } else if (command != null && commandCode != ErrorCode.ERROR_CODE_NONE) {
            response.setErrorCode(commandCode).setErrorMessage(ErrorCodes.messageOrDefault(commandCode,
                    commandMessage));
        }
        for (int t = 0; t < request.getTopicsCount(); t++) {
            OffsetCommitTopic topic = request.getTopics(t);
            OffsetCommitTopicResponse.Builder topicResponse = response.addTopicsBuilder().setName(topic.getName());
            for (int p = 0; p < topic.getPartitionsCount(); p++) {
                Outcome outcome = outcomes.get(t).get(p);
                ErrorCode code = outcome == null ? commandCode : outcome.code();
                String message = outcome == null ? commandMessage : outcome.message();
                topicResponse.addPartitions(OffsetCommitPartitionResponse.newBuilder()
                        .setPartition(topic.getPartitions(p).getPartition()).setErrorCode(code)
                        .setErrorMessage(code == ErrorCode.ERROR_CODE_NONE ? ""
                                : ErrorCodes.messageOrDefault(code, message)));
            }
        }
        return response.build();
    }
}
