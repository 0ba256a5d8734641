package io.sluice.metastore.internal;

import io.sluice.metastore.TopicConfigs;
import io.sluice.metastore.TopicImage;
import io.sluice.metastore.TopicNames;
import io.sluice.proto.internal.v1.AlterTopicConfigs;
import io.sluice.proto.internal.v1.CreatePartitions;
import io.sluice.proto.internal.v1.CreateTopic;
import io.sluice.proto.internal.v1.DeleteTopic;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.internal.v1.TopicRecord;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.ReplicaAssignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Applies topic creation, deletion, partition addition and config changes. Stateless. */
public final class TopicCommands {
    /** Most partitions one topic may have. */
    public static final int MAX_PARTITIONS = 100_000;

    private TopicCommands() {
    }

    static MetaResult create(MetadataTxn txn, CreateTopic cmd) {
        String badName = TopicNames.invalidReason(cmd.getName());
        if (badName != null) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_TOPIC, badName);
        }
        if (txn.topicIdByName(cmd.getName()) != null) {
            return Results.error(ErrorCode.ERROR_CODE_TOPIC_ALREADY_EXISTS, "topic '" + cmd.getName() + "' exists");
        }
        if (!Uuids.isCanonical(cmd.getTopicId()) || txn.topic(cmd.getTopicId()) != null) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_REQUEST, "topic id '" + cmd.getTopicId()
                    + "' is not a UUID or is in use");
        }
        String badConfig = TopicConfigs.invalidReason(cmd.getConfigsMap());
        if (badConfig != null) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_CONFIG, badConfig);
        }
        int count = cmd.getAssignmentsCount();
        if (count == 0 || count > MAX_PARTITIONS) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_PARTITIONS, "a topic needs 1.." + MAX_PARTITIONS
                    + " partitions, got " + count);
        }
        String badAssignment = PartitionCommands.invalidAssignments(txn::broker, cmd.getAssignmentsList(), 0, 0);
        if (badAssignment != null) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_REPLICA_ASSIGNMENT, badAssignment);
        }
        TopicRecord topic = TopicRecord.newBuilder().setName(cmd.getName()).setTopicId(cmd.getTopicId())
                .putAllConfigs(new TreeMap<>(cmd.getConfigsMap())).build();
        List<PartitionRecord> partitions = new ArrayList<>(count);
        for (ReplicaAssignment a : cmd.getAssignmentsList()) {
            partitions.add(PartitionCommands.initial(txn, cmd.getTopicId(), a));
        }
        txn.createTopic(topic, partitions);
        return Results.ok();
    }

    static MetaResult delete(MetadataTxn txn, DeleteTopic cmd) {
        if (txn.topic(cmd.getTopicId()) == null) {
            return unknownTopic(cmd.getTopicId());
        }
        txn.deleteTopic(cmd.getTopicId());
        return Results.ok();
    }

    private static MetaResult unknownTopic(String topicId) {
        return Results.error(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, "no topic with id " + topicId);
    }

    static MetaResult createPartitions(MetadataTxn txn, CreatePartitions cmd) {
        TopicImage t = txn.topic(cmd.getTopicId());
        if (t == null) {
            return unknownTopic(cmd.getTopicId());
        }
        int total = t.partitionCount() + cmd.getAssignmentsCount();
        if (cmd.getAssignmentsCount() == 0 || total > MAX_PARTITIONS) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_PARTITIONS, "topic " + t.name() + " has "
                    + t.partitionCount() + " partitions; adding " + cmd.getAssignmentsCount() + " is not allowed");
        }
        int rf = t.partition(0).getReplicasCount();
        String bad = PartitionCommands.invalidAssignments(txn::broker, cmd.getAssignmentsList(),
                t.partitionCount(), rf);
        if (bad != null) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_REPLICA_ASSIGNMENT, bad);
        }
        for (ReplicaAssignment a : cmd.getAssignmentsList()) {
            txn.appendPartition(PartitionCommands.initial(txn, t.id(), a));
        }
        return Results.ok();
    }

    static MetaResult alterConfigs(MetadataTxn txn, AlterTopicConfigs cmd) {
        TopicImage t = txn.topic(cmd.getTopicId());
        if (t == null) {
            return unknownTopic(cmd.getTopicId());
        }
        String bad = TopicConfigs.invalidReason(cmd.getSetMap());
        for (String key : cmd.getDeleteList()) {
            if (bad == null && TopicConfigs.definition(key) == null) {
                bad = "unknown topic config '" + key + "'";
            } else if (bad == null && cmd.getSetMap().containsKey(key)) {
                bad = "config '" + key + "' is both set and deleted";
            }
        }
        if (bad != null) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_CONFIG, bad);
        }
        Map<String, String> configs = new TreeMap<>(t.topic().getConfigsMap());
        configs.putAll(cmd.getSetMap());
        cmd.getDeleteList().forEach(configs::remove);
        TopicRecord changed = t.topic().toBuilder().clearConfigs().putAllConfigs(configs).build();
        txn.putTopicRecord(changed);
        // A lower minimum lets leaders move the high watermark again where the ISR now reaches it: the
        // eligible-leader rule, applied again with the new minimum, ends eligibility there in the same
        // entry, before any leader acts on it.
        int minIsr = PartitionCommands.minIsr(changed);
        for (PartitionRecord p : t.partitionList()) {
            List<Integer> eligible = PartitionCommands.eligibleLeaders(p, p.getIsrList(), p.getReplicasList(), minIsr);
            if (!eligible.equals(p.getEligibleLeadersList())) {
                txn.putPartition(p.toBuilder().setPartitionEpoch(p.getPartitionEpoch() + 1).clearEligibleLeaders()
                        .addAllEligibleLeaders(eligible).build());
            }
        }
        return Results.ok();
    }
}
