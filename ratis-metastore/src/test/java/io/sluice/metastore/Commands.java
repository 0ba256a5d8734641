package io.sluice.metastore;

import io.sluice.proto.internal.v1.ChangeBrokerState;
import io.sluice.proto.internal.v1.ChangePartitions;
import io.sluice.proto.internal.v1.CommitOffsets;
import io.sluice.proto.internal.v1.CreateTopic;
import io.sluice.proto.internal.v1.DeleteTopic;
import io.sluice.proto.internal.v1.InitCluster;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.internal.v1.PartitionChange;
import io.sluice.proto.internal.v1.RegisterBroker;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ReplicaAssignment;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Short builders of metadata commands for tests. */
public final class Commands {
    private Commands() {
    }

    public static String uuid(int n) {
        return new UUID(0x1234_5678_9abc_def0L, n).toString();
    }

    public static MetaCommand initCluster(String id) {
        return MetaCommand.newBuilder().setInitCluster(InitCluster.newBuilder().setClusterId(id)).build();
    }

    public static MetaCommand register(int broker, String incarnation) {
        return MetaCommand.newBuilder().setRegisterBroker(RegisterBroker.newBuilder().setBrokerId(broker)
                .setIncarnationId(incarnation).setEndpoint(Endpoint.newBuilder().setHost("127.0.0.1")
                        .setPort(9000 + broker))).build();
    }

    public static MetaCommand brokerState(int broker, long epoch, BrokerState state, List<PartitionChange> changes) {
        return MetaCommand.newBuilder().setChangeBrokerState(ChangeBrokerState.newBuilder().setBrokerId(broker)
                .setExpectedBrokerEpoch(epoch).setNewState(state).addAllPartitionChanges(changes)).build();
    }

    public static MetaCommand createTopic(String name, String id, List<List<Integer>> replicas) {
        return createTopic(name, id, replicas, Map.of());
    }

    public static MetaCommand createTopic(String name, String id, List<List<Integer>> replicas,
            Map<String, String> configs) {
        CreateTopic.Builder b = CreateTopic.newBuilder().setName(name).setTopicId(id).putAllConfigs(configs);
        for (int i = 0; i < replicas.size(); i++) {
            b.addAssignments(ReplicaAssignment.newBuilder().setPartition(i).addAllBrokerIds(replicas.get(i)));
        }
        return MetaCommand.newBuilder().setCreateTopic(b).build();
    }

    public static MetaCommand deleteTopic(String id) {
        return MetaCommand.newBuilder().setDeleteTopic(DeleteTopic.newBuilder().setTopicId(id)).build();
    }

    public static MetaCommand changeIsr(String topicId, int partition, int expectedEpoch, List<Integer> isr) {
        return MetaCommand.newBuilder().setChangePartitions(ChangePartitions.newBuilder().addChanges(
                PartitionChange.newBuilder().setTopicId(topicId).setPartition(partition)
                        .setExpectedPartitionEpoch(expectedEpoch).setSetIsr(true).addAllIsr(isr))).build();
    }

    public static MetaCommand commit(String group, String topicId, int partition, long offset) {
        return MetaCommand.newBuilder().setCommitOffsets(CommitOffsets.newBuilder().setGroupId(group)
                .addOffsets(OffsetRecord.newBuilder().setTopicId(topicId).setPartition(partition)
                        .setCommittedOffset(offset).setCommittedLeaderEpoch(-1))).build();
    }

    /** Registers brokers 0..n-1 and makes them active, on {@code store}. */
    public static void activeBrokers(InMemoryMetaStore store, int n) {
        for (int b = 0; b < n; b++) {
            long epoch = store.apply(register(b, "inc-" + b)).getBrokerRegistered().getBrokerEpoch();
            store.apply(brokerState(b, epoch, BrokerState.BROKER_STATE_ACTIVE, List.of()));
        }
    }
}
