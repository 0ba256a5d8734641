package io.sluice.broker.group.internal;

import io.sluice.proto.internal.v1.GroupMemberRecord;
import io.sluice.proto.internal.v1.GroupRecord;
import io.sluice.proto.internal.v1.TargetAssignment;
import io.sluice.proto.v1.GroupState;

/**
 * A group's lifecycle state, derived from its stored record so that every broker computes the same
 * one: EMPTY without members; STABLE when every member (static members away with epoch -2 aside) is
 * at the assignment epoch, owns exactly its target and has nothing to revoke; RECONCILING otherwise.
 * Stateless.
 */
public final class GroupStates {
    private GroupStates() {
    }

    /** The state of a stored group; a group known only by its offsets (null record) is EMPTY. */
    public static GroupState of(GroupRecord record) {
        if (record == null || record.getMembersCount() == 0) {
            return GroupState.GROUP_STATE_EMPTY;
        }
        for (GroupMemberRecord member : record.getMembersList()) {
            if (member.getMemberEpoch() == Member.STATIC_LEFT_EPOCH) {
                continue;
            }
            TargetAssignment target = record.getTargetOrDefault(member.getMemberId(),
                    TargetAssignment.getDefaultInstance());
            boolean reconciled = member.getMemberEpoch() == record.getAssignmentEpoch()
                    && member.getPendingRevocationCount() == 0
                    && PartitionSets.fromRecord(member.getAssignedMap())
                            .equals(PartitionSets.fromRecord(target.getPartitionsMap()));
            if (!reconciled) {
                return GroupState.GROUP_STATE_RECONCILING;
            }
        }
        return GroupState.GROUP_STATE_STABLE;
    }
}
