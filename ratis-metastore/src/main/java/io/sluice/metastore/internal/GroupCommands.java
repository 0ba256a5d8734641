package io.sluice.metastore.internal;

import io.sluice.metastore.TopicImage;
import io.sluice.metastore.TopicPartitionKey;
import io.sluice.proto.internal.v1.CommitOffsets;
import io.sluice.proto.internal.v1.DeleteGroup;
import io.sluice.proto.internal.v1.GroupMemberRecord;
import io.sluice.proto.internal.v1.GroupRecord;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.internal.v1.UpsertGroup;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies consumer-group state changes and offset commits. A group's state is replaced whole,
 * conditional on the group epoch it was computed from (a mismatch answers NOT_COORDINATOR: the
 * writer's view is stale, it may no longer coordinate the group). Stateless.
 */
public final class GroupCommands {
    /** Longest group id. */
    public static final int MAX_GROUP_ID_LENGTH = 255;
    /** Longest offset-commit metadata string. */
    public static final int MAX_OFFSET_METADATA_LENGTH = 4096;

    private GroupCommands() {
    }

    private static MetaResult invalidGroupId(String groupId) {
        if (groupId.isEmpty() || groupId.length() > MAX_GROUP_ID_LENGTH) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_GROUP_ID, "group id must have 1.."
                    + MAX_GROUP_ID_LENGTH + " characters");
        }
        return null;
    }

    static MetaResult upsert(MetadataTxn txn, UpsertGroup cmd) {
        GroupRecord next = cmd.getGroup();
        MetaResult bad = invalidGroupId(next.getGroupId());
        if (bad != null) {
            return bad;
        }
        GroupRecord current = txn.group(next.getGroupId());
        int currentEpoch = current == null ? 0 : current.getGroupEpoch();
        if (cmd.getExpectedGroupEpoch() != currentEpoch) {
            return Results.error(ErrorCode.ERROR_CODE_NOT_COORDINATOR, "group " + next.getGroupId() + " is at epoch "
                    + currentEpoch + ", the change was computed from " + cmd.getExpectedGroupEpoch());
        }
        if (next.getGroupEpoch() < currentEpoch || next.getAssignmentEpoch() > next.getGroupEpoch()) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_REQUEST, "group epoch cannot go back from "
                    + currentEpoch + " to " + next.getGroupEpoch() + " or trail the assignment epoch");
        }
        txn.putGroup(next.getGroupId(), next);
        return Results.ok();
    }

    static MetaResult delete(MetadataTxn txn, DeleteGroup cmd) {
        GroupRecord g = txn.group(cmd.getGroupId());
        boolean hasOffsets = !txn.offsets(cmd.getGroupId()).isEmpty();
        if (g == null && !hasOffsets) {
            return Results.error(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND, "no group " + cmd.getGroupId());
        }
        if (g != null && g.getMembersCount() > 0) {
            return Results.error(ErrorCode.ERROR_CODE_NON_EMPTY_GROUP, "group " + cmd.getGroupId() + " has "
                    + g.getMembersCount() + " members");
        }
        if (g != null) {
            txn.putGroup(cmd.getGroupId(), null);
        }
        if (hasOffsets) {
            txn.removeOffsets(cmd.getGroupId(), new ArrayList<>(txn.offsets(cmd.getGroupId()).keySet()));
        }
        return Results.ok();
    }

    static MetaResult commitOffsets(MetadataTxn txn, CommitOffsets cmd) {
        MetaResult bad = invalidGroupId(cmd.getGroupId());
        if (bad == null) {
            bad = checkMember(txn, cmd);
        }
        if (bad != null) {
            return bad;
        }
        if (cmd.getOffsetsCount() == 0) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_REQUEST, "no offsets to commit");
        }
        List<OffsetRecord> records = new ArrayList<>(cmd.getOffsetsCount());
        Set<TopicPartitionKey> seen = new HashSet<>();
        for (OffsetRecord o : cmd.getOffsetsList()) {
            TopicImage t = txn.topic(o.getTopicId());
            if (t == null || o.getPartition() < 0 || o.getPartition() >= t.partitionCount()) {
                return Results.error(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, "no partition "
                        + o.getTopicId() + "-" + o.getPartition());
            }
            if (!seen.add(new TopicPartitionKey(o.getTopicId(), o.getPartition())) || o.getCommittedOffset() < 0
                    || !o.getGroupId().isEmpty() && !o.getGroupId().equals(cmd.getGroupId())) {
                return Results.error(ErrorCode.ERROR_CODE_INVALID_REQUEST, "offset for " + o.getTopicId() + "-"
                        + o.getPartition() + " is repeated, negative, or names another group");
            }
            if (o.getMetadata().length() > MAX_OFFSET_METADATA_LENGTH) {
                return Results.error(ErrorCode.ERROR_CODE_OFFSET_METADATA_TOO_LARGE, "metadata longer than "
                        + MAX_OFFSET_METADATA_LENGTH + " characters");
            }
            records.add(o.toBuilder().setGroupId(cmd.getGroupId()).setCommitTimeMs(cmd.getCommitTimeMs()).build());
        }
        txn.commitOffsets(cmd.getGroupId(), records);
        return Results.ok();
    }

    private static MetaResult checkMember(MetadataTxn txn, CommitOffsets cmd) {
        GroupRecord g = txn.group(cmd.getGroupId());
        if (cmd.getMemberId().isEmpty()) {
            if (g != null && g.getMembersCount() > 0) {
                return Results.error(ErrorCode.ERROR_CODE_NON_EMPTY_GROUP, "a commit without a member id needs an "
                        + "empty group; " + cmd.getGroupId() + " has members");
            }
            return null;
        }
        if (g == null) {
            return Results.error(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND, "no group " + cmd.getGroupId());
        }
        for (GroupMemberRecord m : g.getMembersList()) {
            if (m.getMemberId().equals(cmd.getMemberId())) {
                boolean current = cmd.getMemberEpoch() == m.getMemberEpoch()
                        || cmd.getMemberEpoch() == m.getPreviousMemberEpoch();
                return current ? null : Results.error(ErrorCode.ERROR_CODE_STALE_MEMBER_EPOCH, "member "
                        + m.getMemberId() + " is at epoch " + m.getMemberEpoch() + ", not " + cmd.getMemberEpoch());
            }
        }
        return Results.error(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID, "no member " + cmd.getMemberId() + " in group "
                + cmd.getGroupId());
    }
}
