package io.sluice.broker.server.dataplane;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.sluice.broker.log.LogConfig;
import io.sluice.broker.partition.InMemoryReplicaStateStore;
import io.sluice.broker.partition.MemoryLogs;
import io.sluice.broker.partition.MetadataDelta;
import io.sluice.broker.partition.ReplicaManager;
import io.sluice.broker.partition.ReplicationConfig;
import io.sluice.broker.partition.TopicInfo;
import io.sluice.broker.partition.TopicSettings;
import io.sluice.broker.replication.FetcherConfig;
import io.sluice.broker.replication.GrpcReplicaFetchTransport;
import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.broker.server.RpcServer;
import io.sluice.common.SystemClock;
import io.sluice.proto.internal.v1.AlterPartitionRequest;
import io.sluice.proto.internal.v1.AlterPartitionResponse;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.PartitionChangeRequest;
import io.sluice.proto.internal.v1.PartitionChangeResult;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Brokers of the real data plane, each behind its own {@link RpcServer} on 127.0.0.1 (ephemeral
 * port) with a {@link DataPlaneDriver} thread, replicating over gRPC; a minimal in-test controller
 * applies ISR changes conditionally and publishes metadata to every running broker. Real time.
 */
final class GrpcCluster implements AutoCloseable {
    final Map<Integer, Node> nodes = new ConcurrentHashMap<>();
    private final Map<TopicIdPartition, PartitionRecord> records = new ConcurrentHashMap<>();
    private final List<BrokerRecord> brokerRecords = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();

    /** One broker process, in this JVM. */
    static final class Node {
        final int id;
        final DataPlane dataPlane;
        final RpcServer server;
        final DataPlaneDriver driver;
        final MemoryLogs disk;

        Node(int id, DataPlane dataPlane, RpcServer server, DataPlaneDriver driver, MemoryLogs disk) {
            this.id = id;
            this.dataPlane = dataPlane;
            this.server = server;
            this.driver = driver;
            this.disk = disk;
        }
    }

    GrpcCluster(int brokers, int produceStreamMaxInFlight) throws IOException {
        DataPlaneConfig config = DataPlaneConfig.DEFAULT.withProduceStreamMaxInFlight(produceStreamMaxInFlight)
                .withReplication(ReplicationConfig.DEFAULT.withFetcher(new FetcherConfig(100, 1, 8 << 20, 1 << 20,
                        50, 5_000)).withReplicaLagTimeMaxMs(10_000).withIntervals(100, 1_000));
        for (int id = 1; id <= brokers; id++) {
            MemoryLogs disk = new MemoryLogs();
            AtomicReference<DataPlane> self = new AtomicReference<>();
            DataPlane dataPlane = DataPlane.create(id, SystemClock.INSTANCE, config, new ReplicaManager.Services(
                    disk, new InMemoryReplicaStateStore(),
                    new GrpcReplicaFetchTransport(b -> self.get().replicaManager().brokerEndpoint(b), 64 << 20),
                    this::alterPartition));
            self.set(dataPlane);
            dataPlane.setBrokerEpoch(100 + id);
            RpcServer server = RpcServer.start("127.0.0.1", 0, new RpcServer.Limits(16 << 20, 4, 1_000, 1_000),
                    dataPlane.services(), List.of());
            nodes.put(id, new Node(id, dataPlane, server, DataPlaneDriver.start(dataPlane, SystemClock.INSTANCE,
                    "dataplane-" + id), disk));
            brokerRecords.add(BrokerRecord.newBuilder().setBrokerId(id).setBrokerEpoch(100 + id)
                    .setEndpoint(Endpoint.newBuilder().setHost("127.0.0.1").setPort(server.port()))
                    .setState(BrokerState.BROKER_STATE_ACTIVE).build());
        }
    }

    private synchronized CompletableFuture<AlterPartitionResponse> alterPartition(AlterPartitionRequest request) {
        AlterPartitionResponse.Builder response = AlterPartitionResponse.newBuilder();
        for (PartitionChangeRequest change : request.getPartitionsList()) {
            TopicIdPartition id = new TopicIdPartition(change.getTopicId(), change.getPartition());
            PartitionRecord r = records.get(id);
            boolean current = r.getLeaderEpoch() == change.getLeaderEpoch()
                    && r.getPartitionEpoch() == change.getPartitionEpoch();
            if (current) {
                r = r.toBuilder().clearIsr().addAllIsr(change.getNewIsrList())
                        .setPartitionEpoch(r.getPartitionEpoch() + 1).build();
                publish(r);
            }
            response.addPartitions(PartitionChangeResult.newBuilder().setTopicId(change.getTopicId())
                    .setPartition(change.getPartition()).setErrorCode(current ? ErrorCode.ERROR_CODE_NONE
                            : ErrorCode.ERROR_CODE_STALE_PARTITION_EPOCH).setLeaderId(r.getLeader())
                    .setLeaderEpoch(r.getLeaderEpoch()).setPartitionEpoch(r.getPartitionEpoch())
                    .addAllIsr(r.getIsrList()));
        }
        return CompletableFuture.completedFuture(response.build());
    }

    /** Creates a topic whose partition p is led by broker (p mod n) + 1; waits until every broker applied it. */
    String createTopic(String name, int partitions, int replicationFactor, int minIsr) throws Exception {
        String topicId = String.format("%08x-0000-4000-8000-000000000000", name.hashCode());
        MetadataDelta.Builder delta = MetadataDelta.builder().topic(new TopicInfo(topicId, name,
                new TopicSettings(LogConfig.DEFAULT, minIsr)));
        brokerRecords.forEach(delta::broker);
        for (int p = 0; p < partitions; p++) {
            List<Integer> replicas = new ArrayList<>();
            for (int r = 0; r < replicationFactor; r++) {
                replicas.add((p + r) % nodes.size() + 1);
            }
            PartitionRecord record = PartitionRecord.newBuilder().setTopicId(topicId).setPartition(p)
                    .addAllReplicas(replicas).addAllIsr(replicas).setLeader(replicas.get(0)).build();
            records.put(new TopicIdPartition(topicId, p), record);
            delta.partition(record);
        }
        for (Node node : nodes.values()) {
            node.driver.applyMetadata(delta.build()).get(30, TimeUnit.SECONDS);
        }
        return topicId;
    }

    /** Changes a partition record and tells every running broker. */
    synchronized void publish(PartitionRecord record) {
        records.put(new TopicIdPartition(record.getTopicId(), record.getPartition()), record);
        MetadataDelta delta = MetadataDelta.builder().partition(record).build();
        nodes.values().forEach(n -> n.driver.applyMetadata(delta));
    }

    PartitionRecord record(String topicId, int partition) {
        return records.get(new TopicIdPartition(topicId, partition));
    }

    /** A client channel to a broker. */
    ManagedChannel channel(int brokerId) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", nodes.get(brokerId).server.port())
                .usePlaintext().maxInboundMessageSize(64 << 20).build();
        channels.add(channel);
        return channel;
    }

    /** Stops a broker: server, driver (which closes its data plane). */
    void stop(int brokerId) throws InterruptedException {
        Node node = nodes.remove(brokerId);
        node.server.stop(5_000);
        node.driver.close();
    }

    @Override
    public void close() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        for (int id : List.copyOf(nodes.keySet())) {
            stop(id);
        }
    }
}
