package io.sluice.metastore.internal;

import io.sluice.metastore.TopicConfigs;
import io.sluice.metastore.TopicPartitionKey;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.ChangePartitions;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.internal.v1.PartitionChange;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.internal.v1.TopicRecord;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.ReplicaAssignment;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Applies conditional partition changes (leader, ISR, replicas) and checks every partition record
 * a command produces: replicas distinct and registered, ISR ⊆ replicas and all ACTIVE, leader in
 * the ISR or -1. Maintains the eligible-leader rule of KIP-966 ({@link #eligibleLeaders}). Stateless.
 */
public final class PartitionCommands {
    /** Leader value meaning "no leader". */
    public static final int NO_LEADER = -1;

    private PartitionCommands() {
    }

    static MetaResult changePartitions(MetadataTxn txn, ChangePartitions cmd) {
        if (cmd.getChangesCount() == 0) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_REQUEST, "no partition changes");
        }
        TopicPartitionKey dup = duplicate(cmd.getChangesList());
        if (dup != null) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_REQUEST, "partition " + dup + " is changed twice");
        }
        for (PartitionChange change : cmd.getChangesList()) {
            MetaResult r = applyChange(txn, change);
            if (!Results.isOk(r)) {
                return r;
            }
        }
        return Results.ok();
    }

    /** The first partition named twice, or null. */
    static TopicPartitionKey duplicate(List<PartitionChange> changes) {
        Set<TopicPartitionKey> seen = new HashSet<>();
        for (PartitionChange c : changes) {
            if (c.getPartition() < 0) {
                return null;
            }
            TopicPartitionKey key = new TopicPartitionKey(c.getTopicId(), c.getPartition());
            if (!seen.add(key)) {
                return key;
            }
        }
        return null;
    }

    /** Applies one conditional change to the transaction, or answers why not. */
    static MetaResult applyChange(MetadataTxn txn, PartitionChange c) {
        PartitionRecord p = txn.partition(c.getTopicId(), c.getPartition());
        if (p == null) {
            return Results.error(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, "no partition " + c.getTopicId()
                    + "-" + c.getPartition());
        }
        if (p.getPartitionEpoch() != c.getExpectedPartitionEpoch()) {
            return Results.error(ErrorCode.ERROR_CODE_STALE_PARTITION_EPOCH, "partition " + c.getTopicId() + "-"
                    + c.getPartition() + " is at epoch " + p.getPartitionEpoch() + ", the change was computed from "
                    + c.getExpectedPartitionEpoch());
        }
        PartitionRecord.Builder b = p.toBuilder().setPartitionEpoch(p.getPartitionEpoch() + 1);
        if (c.getSetReplicas()) {
            b.clearReplicas().addAllReplicas(c.getReplicasList()).clearAddingReplicas()
                    .addAllAddingReplicas(c.getAddingReplicasList()).clearRemovingReplicas()
                    .addAllRemovingReplicas(c.getRemovingReplicasList());
        }
        if (c.getSetIsr()) {
            b.clearIsr().addAllIsr(c.getIsrList());
        }
        if (c.hasLeader() && c.getLeader() != p.getLeader()) {
            b.setLeader(c.getLeader()).setLeaderEpoch(p.getLeaderEpoch() + 1);
        }
        b.clearEligibleLeaders().addAllEligibleLeaders(eligibleLeaders(p, b.getIsrList(), b.getReplicasList(),
                minIsr(txn.topic(c.getTopicId()).topic())));
        PartitionRecord next = b.build();
        String invalid = invalidReason(txn, next);
        if (invalid != null) {
            return Results.error(ErrorCode.ERROR_CODE_INELIGIBLE_REPLICA, invalid);
        }
        txn.putPartition(next);
        return Results.ok();
    }

    /**
     * The eligible leaders after a change from {@code before} to an ISR {@code isr}: none while the
     * ISR has at least {@code minIsr} members; below that, the earlier eligible leaders and every
     * member of the ISR before the change, minus those still in the ISR (KIP-966). A leader does not
     * move the high watermark while the committed ISR is below {@code min.insync.replicas}, and it
     * counted every replica removed from the ISR up to the change that took it below; so each of them
     * holds every committed record, and electing one when the ISR is empty is clean. Who may have
     * lost writes since is dropped at registration ({@code BrokerCommands}).
     *
     * @param minIsr the topic's own {@code min.insync.replicas}, 1 where it sets none (see {@link #minIsr})
     */
    static List<Integer> eligibleLeaders(PartitionRecord before, List<Integer> isr, List<Integer> replicas,
            int minIsr) {
        if (isr.size() >= minIsr) {
            return List.of();
        }
        Set<Integer> eligible = new LinkedHashSet<>(before.getEligibleLeadersList());
        eligible.addAll(before.getIsrList());
        eligible.removeAll(isr);
        eligible.retainAll(replicas);
        return List.copyOf(eligible);
    }

    /**
     * The ISR size under which a topic's removed in-sync replicas stay eligible: its own
     * {@code min.insync.replicas}, or 1 when it sets none. Brokers fall back to their node default
     * then, which the apply function cannot see; 1 is never above it, so an eligible leader is kept
     * only while every leader certainly holds its high watermark still.
     */
    static int minIsr(TopicRecord topic) {
        String value = topic.getConfigsMap().get(TopicConfigs.MIN_INSYNC_REPLICAS);
        return value == null ? 1 : Integer.parseInt(value);
    }

    /** Why the record breaks a partition rule given the brokers in {@code txn}, or null. */
    static String invalidReason(MetadataTxn txn, PartitionRecord p) {
        String where = "partition " + p.getTopicId() + "-" + p.getPartition() + ": ";
        if (p.getReplicasCount() == 0 || new HashSet<>(p.getReplicasList()).size() != p.getReplicasCount()) {
            return where + "replicas " + p.getReplicasList() + " are empty or repeat a broker";
        }
        for (int r : p.getReplicasList()) {
            if (txn.broker(r) == null) {
                return where + "replica " + r + " is not a registered broker";
            }
        }
        if (new HashSet<>(p.getIsrList()).size() != p.getIsrCount()) {
            return where + "ISR " + p.getIsrList() + " repeats a broker";
        }
        for (int r : p.getIsrList()) {
            BrokerRecord b = txn.broker(r);
            if (!p.getReplicasList().contains(r) || b.getState() != BrokerState.BROKER_STATE_ACTIVE) {
                return where + "ISR member " + r + " is not an active replica";
            }
        }
        if (p.getLeader() != NO_LEADER && !p.getIsrList().contains(p.getLeader())) {
            return where + "leader " + p.getLeader() + " is not in the ISR " + p.getIsrList();
        }
        if (!p.getReplicasList().containsAll(p.getAddingReplicasList())
                || !p.getReplicasList().containsAll(p.getRemovingReplicasList())) {
            return where + "adding/removing replicas must be replicas";
        }
        return null;
    }

    /**
     * The first record of a new partition placed on {@code assignment}: the ISR is the ACTIVE
     * replicas in replica order, the leader the first of them; epochs start at 0.
     */
    static PartitionRecord initial(MetadataTxn txn, String topicId, ReplicaAssignment assignment) {
        PartitionRecord.Builder b = PartitionRecord.newBuilder().setTopicId(topicId)
                .setPartition(assignment.getPartition()).addAllReplicas(assignment.getBrokerIdsList())
                .setLeader(NO_LEADER);
        for (int r : assignment.getBrokerIdsList()) {
            BrokerRecord broker = txn.broker(r);
            if (broker != null && broker.getState() == BrokerState.BROKER_STATE_ACTIVE) {
                b.addIsr(r);
            }
        }
        if (b.getIsrCount() > 0) {
            b.setLeader(b.getIsr(0));
        }
        return b.build();
    }

    /**
     * Why a list of assignments for partitions {@code firstIndex..} is refused, or null: indexes in
     * order, every replica list of size {@code replicationFactor} (or all of one size when it is 0),
     * no broker twice, all brokers registered, at least one ACTIVE replica each.
     */
    public static String invalidAssignments(IntFunction<BrokerRecord> brokers, List<ReplicaAssignment> assignments,
            int firstIndex, int replicationFactor) {
        int rf = replicationFactor > 0 ? replicationFactor
                : assignments.isEmpty() ? 0 : assignments.get(0).getBrokerIdsCount();
        for (int i = 0; i < assignments.size(); i++) {
            ReplicaAssignment a = assignments.get(i);
            if (a.getPartition() != firstIndex + i) {
                return "assignment " + i + " is for partition " + a.getPartition() + ", expected " + (firstIndex + i);
            }
            List<Integer> ids = a.getBrokerIdsList();
            if (ids.size() != rf || rf == 0 || new HashSet<>(ids).size() != ids.size()) {
                return "partition " + a.getPartition() + ": replicas " + ids + " must be " + rf + " distinct brokers";
            }
            boolean anyActive = false;
            for (int id : ids) {
                BrokerRecord b = brokers.apply(id);
                if (b == null) {
                    return "partition " + a.getPartition() + ": broker " + id + " is not registered";
                }
                anyActive |= b.getState() == BrokerState.BROKER_STATE_ACTIVE;
            }
            if (!anyActive) {
                return "partition " + a.getPartition() + ": none of the replicas " + ids + " is active";
            }
        }
        return null;
    }
}
