package io.sluice.broker.server;

import io.sluice.metastore.InMemoryMetaStore;
import io.sluice.proto.internal.v1.AlterTopicConfigs;
import io.sluice.proto.internal.v1.ChangeBrokerState;
import io.sluice.proto.internal.v1.CreateTopic;
import io.sluice.proto.internal.v1.DeleteTopic;
import io.sluice.proto.internal.v1.InitCluster;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.internal.v1.RegisterBroker;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.ReplicaAssignment;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An in-memory metadata store with short helpers for the node's wiring tests. */
public final class MetadataTestStore {
    public static final String CLUSTER_ID = "7b0c3d4e-0000-4000-8000-000000000001";
    public final InMemoryMetaStore store = new InMemoryMetaStore(1);

    /** A cluster with {@code brokers} active brokers, ids 1..n, client port 9000 + id. */
    public MetadataTestStore(int brokers) {
        apply(MetaCommand.newBuilder().setInitCluster(InitCluster.newBuilder().setClusterId(CLUSTER_ID)).build());
        for (int id = 1; id <= brokers; id++) {
            long epoch = apply(MetaCommand.newBuilder().setRegisterBroker(RegisterBroker.newBuilder().setBrokerId(id)
                    .setIncarnationId("inc-" + id).setEndpoint(Endpoint.newBuilder().setHost("127.0.0.1")
                            .setPort(9000 + id))).build()).getBrokerRegistered().getBrokerEpoch();
            apply(MetaCommand.newBuilder().setChangeBrokerState(ChangeBrokerState.newBuilder().setBrokerId(id)
                    .setExpectedBrokerEpoch(epoch).setNewState(BrokerState.BROKER_STATE_ACTIVE)).build());
        }
    }

    public MetaResult apply(MetaCommand command) {
        MetaResult result = store.apply(command);
        if (result.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            throw new IllegalStateException(result.getErrorCode() + ": " + result.getErrorMessage());
        }
        return result;
    }

    /** Creates a topic whose partition i has the replicas {@code replicas.get(i)}; returns its id. */
    public String createTopic(String name, List<List<Integer>> replicas, Map<String, String> configs) {
        String id = UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        CreateTopic.Builder topic = CreateTopic.newBuilder().setName(name).setTopicId(id).putAllConfigs(configs);
        for (int i = 0; i < replicas.size(); i++) {
            topic.addAssignments(ReplicaAssignment.newBuilder().setPartition(i).addAllBrokerIds(replicas.get(i)));
        }
        apply(MetaCommand.newBuilder().setCreateTopic(topic).build());
        return id;
    }

    public void deleteTopic(String id) {
        apply(MetaCommand.newBuilder().setDeleteTopic(DeleteTopic.newBuilder().setTopicId(id)).build());
    }

    public void setConfig(String id, String key, String value) {
        apply(MetaCommand.newBuilder().setAlterTopicConfigs(AlterTopicConfigs.newBuilder().setTopicId(id)
                .putSet(key, value)).build());
    }
}
