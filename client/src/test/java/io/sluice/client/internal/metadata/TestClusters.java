package io.sluice.client.internal.metadata;

import io.sluice.proto.v1.BrokerMetadata;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.MetadataResponse;
import io.sluice.proto.v1.PartitionMetadata;
import io.sluice.proto.v1.TopicMetadata;

/** Builds metadata answers and {@link Cluster} snapshots for tests. */
public final class TestClusters {
    private TestClusters() {
    }

    /** An answer with brokers 1..{@code brokers} at {@code brokerN:9092}. */
    public static MetadataResponse.Builder response(int brokers, long version) {
        MetadataResponse.Builder b = MetadataResponse.newBuilder().setClusterId("test").setControllerId(1)
                .setMetadataVersion(version);
        for (int id = 1; id <= brokers; id++) {
            b.addBrokers(BrokerMetadata.newBuilder().setBrokerId(id).setState(BrokerState.BROKER_STATE_ACTIVE)
                    .setEndpoint(Endpoint.newBuilder().setHost("broker" + id).setPort(9092)));
        }
        return b;
    }

    /** A topic whose partition {@code i} is led by {@code leaders[i]} (-1: no leader) at epoch 0. */
    public static TopicMetadata topic(String name, int... leaders) {
        TopicMetadata.Builder t = TopicMetadata.newBuilder().setName(name).setTopicId("id-" + name);
        for (int p = 0; p < leaders.length; p++) {
            t.addPartitions(PartitionMetadata.newBuilder().setPartition(p).setLeaderId(leaders[p]).setLeaderEpoch(0)
                    .addReplicas(Math.max(1, leaders[p])).addIsr(Math.max(1, leaders[p])));
        }
        return t.build();
    }

    /** A snapshot with 3 brokers and the given topics. */
    public static Cluster cluster(TopicMetadata... topics) {
        MetadataResponse.Builder b = response(3, 1);
        for (TopicMetadata t : topics) {
            b.addTopics(t);
        }
        return Cluster.empty().merge(b.build());
    }
}
