package io.sluice.broker.group.internal;

import io.sluice.broker.group.GroupStore;
import io.sluice.broker.group.PartitionOffsets;
import io.sluice.broker.group.TopicCatalog;
import io.sluice.broker.group.TopicIdPartition;
import io.sluice.broker.group.TopicInfo;
import io.sluice.proto.internal.v1.GroupMemberRecord;
import io.sluice.proto.internal.v1.GroupRecord;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.internal.v1.TargetAssignment;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.GroupDescription;
import io.sluice.proto.v1.GroupMember;
import io.sluice.proto.v1.PartitionLag;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * DescribeGroups: a group's state, members (what each owns and should own) and, per partition with a
 * committed offset or an owner, the committed offset and, when asked, the log end offset (high
 * watermark) and lag. Lag is {@code HW - committed}, or {@code HW - log start} when nothing is
 * committed, never below 0 (a commit past the high watermark, e.g. after an unclean election, has no
 * lag); -1 when the partition's offsets could not be learnt. Stateless; {@link #describe} may run on
 * any thread because a {@link Snapshot} holds everything it needs.
 */
public final class GroupDescriptions {
    private GroupDescriptions() {
    }

    /**
     * What describing one group needs, captured on the coordinator thread. Immutable.
     *
     * @param record     the stored group record, or null for a group known only by its offsets
     * @param offsets    its committed offsets
     * @param topicNames topic id to name, for every topic it mentions that still exists
     */
    public record Snapshot(GroupRecord record, List<OffsetRecord> offsets, Map<String, String> topicNames) {
        public Snapshot {
            offsets = List.copyOf(offsets);
            topicNames = Map.copyOf(topicNames);
        }
    }

    /** The snapshot of {@code groupId}, or empty if the group has neither a record nor offsets. */
    public static Optional<Snapshot> snapshot(String groupId, GroupStore store, TopicCatalog catalog) {
        GroupRecord record = store.group(groupId).orElse(null);
        List<OffsetRecord> offsets = store.offsets(groupId);
        if (record == null && offsets.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> names = new HashMap<>();
        Set<String> topicIds = new TreeSet<>();
        offsets.forEach(o -> topicIds.add(o.getTopicId()));
        if (record != null) {
            for (GroupMemberRecord member : record.getMembersList()) {
                topicIds.addAll(member.getAssignedMap().keySet());
                topicIds.addAll(member.getPendingRevocationMap().keySet());
            }
            record.getTargetMap().values().forEach(t -> topicIds.addAll(t.getPartitionsMap().keySet()));
        }
        topicIds.forEach(id -> catalog.topicById(id).map(TopicInfo::name).ifPresent(n -> names.put(id, n)));
        return Optional.of(new Snapshot(record, offsets, names));
    }

    /** Partitions whose offsets a lag report needs: those with a commit or an owner, of live topics. */
    public static Set<TopicIdPartition> lagPartitions(Snapshot snapshot) {
        return partitionRows(snapshot).keySet();
    }

    /** The description; {@code offsets} null means lag was not asked for. */
    public static GroupDescription describe(String groupId, Snapshot snapshot,
            Map<TopicIdPartition, PartitionOffsets> offsets) {
        GroupRecord record = snapshot.record();
        GroupDescription.Builder description = GroupDescription.newBuilder().setGroupId(groupId)
                .setErrorCode(ErrorCode.ERROR_CODE_NONE).setState(GroupStates.of(record));
        if (record != null) {
            description.setGroupEpoch(record.getGroupEpoch()).setAssignmentEpoch(record.getAssignmentEpoch())
                    .setAssignor(record.getAssignor());
            record.getMembersList().forEach(m -> description.addMembers(member(m, record, snapshot.topicNames())));
        }
        partitionRows(snapshot).forEach((partition, row) -> {
            long committed = row.offset == null ? -1 : row.offset.getCommittedOffset();
            PartitionOffsets known = offsets == null ? null : offsets.get(partition);
            long lag = -1;
            if (known != null) {
                lag = Math.max(0, known.highWatermark() - (committed >= 0 ? committed : known.logStartOffset()));
            }
            description.addPartitions(PartitionLag.newBuilder().setTopic(snapshot.topicNames()
                    .get(partition.topicId())).setPartition(partition.partition()).setCommittedOffset(committed)
                    .setLogEndOffset(known == null ? -1 : known.highWatermark()).setLag(lag)
                    .setOwnerMemberId(row.owner));
        });
        return description.build();
    }

    private static GroupMember member(GroupMemberRecord member, GroupRecord record, Map<String, String> names) {
        SortedSet<TopicIdPartition> owned = PartitionSets.union(PartitionSets.fromRecord(member.getAssignedMap()),
                PartitionSets.fromRecord(member.getPendingRevocationMap()));
        SortedSet<TopicIdPartition> target = PartitionSets.fromRecord(record.getTargetOrDefault(
                member.getMemberId(), TargetAssignment.getDefaultInstance()).getPartitionsMap());
        return GroupMember.newBuilder().setMemberId(member.getMemberId()).setInstanceId(member.getInstanceId())
                .setClientId(member.getClientId()).setClientHost(member.getClientHost())
                .setMemberEpoch(member.getMemberEpoch()).addAllSubscribedTopics(member.getSubscribedTopicsList())
                .setAssignment(PartitionSets.toAssignment(owned, names)).setTargetAssignment(
                        PartitionSets.toAssignment(target, names)).build();
    }

    /** A row of the partition table: the committed offset (or null) and the owner (or ""). */
    private static final class Row {
        private OffsetRecord offset;
        private String owner = "";
    }

    private static Map<TopicIdPartition, Row> partitionRows(Snapshot snapshot) {
        Map<TopicIdPartition, Row> rows = new TreeMap<>((a, b) -> {
            int byName = snapshot.topicNames().get(a.topicId()).compareTo(snapshot.topicNames().get(b.topicId()));
            return byName != 0 ? byName : a.compareTo(b);
        });
        for (OffsetRecord offset : snapshot.offsets()) {
            if (snapshot.topicNames().containsKey(offset.getTopicId())) {
                rows.computeIfAbsent(new TopicIdPartition(offset.getTopicId(), offset.getPartition()),
                        p -> new Row()).offset = offset;
            }
        }
        if (snapshot.record() != null) {
            for (GroupMemberRecord member : snapshot.record().getMembersList()) {
                SortedSet<TopicIdPartition> owned = PartitionSets.union(PartitionSets.fromRecord(
                        member.getAssignedMap()), PartitionSets.fromRecord(member.getPendingRevocationMap()));
                for (TopicIdPartition partition : owned) {
                    if (snapshot.topicNames().containsKey(partition.topicId())) {
                        rows.computeIfAbsent(partition, p -> new Row()).owner = member.getMemberId();
                    }
                }
            }
        }
        return rows;
    }
}
