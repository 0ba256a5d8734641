package io.sluice.broker.it;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.sluice.proto.v1.Acks;
import io.sluice.proto.v1.AdminServiceGrpc;
import io.sluice.proto.v1.ConsumerServiceGrpc;
import io.sluice.proto.v1.CreatableTopic;
import io.sluice.proto.v1.CreateTopicsRequest;
import io.sluice.proto.v1.CreateTopicResult;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FetchPartition;
import io.sluice.proto.v1.FetchPartitionResponse;
import io.sluice.proto.v1.FetchRequest;
import io.sluice.proto.v1.FetchResponse;
import io.sluice.proto.v1.FetchTopic;
import io.sluice.proto.v1.MetadataRequest;
import io.sluice.proto.v1.MetadataResponse;
import io.sluice.proto.v1.MetadataServiceGrpc;
import io.sluice.proto.v1.PartitionMetadata;
import io.sluice.proto.v1.PartitionProduceData;
import io.sluice.proto.v1.PartitionProduceResponse;
import io.sluice.proto.v1.ProduceRequest;
import io.sluice.proto.v1.ProducerServiceGrpc;
import io.sluice.proto.v1.ReplicaAssignment;
import io.sluice.proto.v1.TopicMetadata;
import io.sluice.proto.v1.TopicProduceData;
import io.sluice.record.CompressionType;
import io.sluice.record.Record;
import io.sluice.record.RecordBatchBuilder;
import io.sluice.record.RecordBatches;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The wire contract spoken by hand, for tests of the node that must not depend on the SDK (the broker
 * never imports the client): one channel per node, blocking stubs, string values. Thread-safe.
 */
final class RawClient implements AutoCloseable {
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    ManagedChannel channel(String address) {
        return channels.computeIfAbsent(address, a -> {
            int colon = a.lastIndexOf(':');
            return NettyChannelBuilder.forAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1)))
                    .usePlaintext().maxInboundMessageSize(64 << 20).build();
        });
    }

    CreateTopicResult createTopic(String address, String name, int partitions, int replicationFactor,
            Map<String, String> configs) {
        return AdminServiceGrpc.newBlockingStub(channel(address)).withDeadlineAfter(60, TimeUnit.SECONDS)
                .createTopics(CreateTopicsRequest.newBuilder().addTopics(CreatableTopic.newBuilder().setName(name)
                        .setNumPartitions(partitions).setReplicationFactor(replicationFactor).putAllConfigs(configs))
                        .setTimeoutMs(30_000).build())
                .getTopics(0);
    }

    /** Creates a one-partition topic on exactly {@code replicas} (the first is the preferred leader). */
    CreateTopicResult createAssigned(String address, String name, List<Integer> replicas, Map<String, String> configs) {
        return AdminServiceGrpc.newBlockingStub(channel(address)).withDeadlineAfter(60, TimeUnit.SECONDS)
                .createTopics(CreateTopicsRequest.newBuilder().addTopics(CreatableTopic.newBuilder().setName(name)
                        .setNumPartitions(-1).setReplicationFactor(-1).addAssignments(ReplicaAssignment.newBuilder()
                                .setPartition(0).addAllBrokerIds(replicas)).putAllConfigs(configs))
                        .setTimeoutMs(30_000).build())
                .getTopics(0);
    }

    MetadataResponse metadata(String address, String topic) {
        return MetadataServiceGrpc.newBlockingStub(channel(address)).withDeadlineAfter(30, TimeUnit.SECONDS)
                .metadata(MetadataRequest.newBuilder().addTopics(topic).build());
    }

    /** The partition's metadata as {@code address} sees it. */
    PartitionMetadata partition(String address, String topic, int partition) {
        TopicMetadata t = metadata(address, topic).getTopics(0);
        return t.getPartitionsCount() > partition ? t.getPartitions(partition) : null;
    }

    /** The client address of a broker id, from {@code address}'s metadata. */
    String brokerAddress(String address, int brokerId) {
        return metadata(address, "").getBrokersList().stream().filter(b -> b.getBrokerId() == brokerId)
                .map(b -> b.getEndpoint().getHost() + ":" + b.getEndpoint().getPort()).findFirst().orElseThrow();
    }

    PartitionProduceResponse produce(String address, String topic, int partition, Acks acks, List<String> values) {
        return produce(address, topic, partition, acks, batch(values), 20_000);
    }

    /** One produce of {@code batch} (as built by {@link #batch}); blocks up to the server's timeout plus a margin. */
    PartitionProduceResponse produce(String address, String topic, int partition, Acks acks, byte[] batch,
            int timeoutMs) {
        ProduceRequest request = ProduceRequest.newBuilder().setAcks(acks).setTimeoutMs(timeoutMs)
                .addTopics(TopicProduceData.newBuilder().setTopic(topic).addPartitions(PartitionProduceData
                        .newBuilder().setPartition(partition).setRecords(ByteString.copyFrom(batch))))
                .build();
        return ProducerServiceGrpc.newBlockingStub(channel(address)).withDeadlineAfter(timeoutMs + 15_000L,
                TimeUnit.MILLISECONDS).produce(request).getTopics(0).getPartitions(0);
    }

    /** Produces {@code values} as one acks=all batch, which must succeed; returns what was acknowledged. */
    ReplicaLogs.Acked produceAcked(String leader, String topic, int partition, List<String> values) {
        byte[] batch = batch(values);
        PartitionProduceResponse response = produce(leader, topic, partition, Acks.ACKS_ALL, batch, 30_000);
        if (response.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            throw new AssertionError("acks=all produce to " + leader + " failed: " + response.getErrorCode() + " "
                    + response.getErrorMessage());
        }
        return new ReplicaLogs.Acked(response.getBaseOffset(), batch);
    }

    /** Produces {@code batch} acks=all; what was acknowledged, or null if the leader refused it. */
    ReplicaLogs.Acked produceOrNull(String leader, String topic, int partition, byte[] batch) {
        PartitionProduceResponse response = produce(leader, topic, partition, Acks.ACKS_ALL, batch, 10_000);
        return response.getErrorCode() == ErrorCode.ERROR_CODE_NONE
                ? new ReplicaLogs.Acked(response.getBaseOffset(), batch) : null;
    }

    /** A batch of one uncompressed record per value, as a producer sends it (base offset 0, epoch -1). */
    static byte[] batch(List<String> values) {
        RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE);
        for (String value : values) {
            builder.append(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8));
        }
        ByteBuffer built = builder.build();
        byte[] bytes = new byte[built.remaining()];
        built.get(bytes);
        return bytes;
    }

    /**
     * Creates a topic of one partition with {@code replicationFactor} replicas and
     * min.insync.replicas=2 through {@code address}, and waits until every replica is in sync.
     */
    PartitionMetadata createInSync(String address, String topic, int replicationFactor) throws InterruptedException {
        CreateTopicResult created = createTopic(address, topic, 1, replicationFactor,
                Map.of("min.insync.replicas", "2"));
        if (created.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            throw new AssertionError("creating " + topic + " failed: " + created.getErrorCode() + " "
                    + created.getErrorMessage());
        }
        return ClusterIT.await(() -> inSync(address, topic, 0, replicationFactor),
                replicationFactor + " in-sync replicas of " + topic);
    }

    /** The partition's metadata once it has a leader and {@code replicas} in-sync replicas, else null. */
    PartitionMetadata inSync(String address, String topic, int partition, int replicas) {
        PartitionMetadata p = withLeader(address, topic, partition);
        return p != null && p.getIsrCount() == replicas ? p : null;
    }

    /** The topic's id (UUID text), as {@code address} knows it. */
    String topicId(String address, String topic) {
        return metadata(address, topic).getTopics(0).getTopicId();
    }

    /** The partition's metadata once {@code address} knows a leader for it, else null. */
    PartitionMetadata withLeader(String address, String topic, int partition) {
        PartitionMetadata p = partition(address, topic, partition);
        return p != null && p.getLeaderId() >= 0 ? p : null;
    }

    FetchPartitionResponse fetch(String address, String topic, int partition, long offset) {
        return fetchResponse(address, topic, partition, offset).getTopics(0).getPartitions(0);
    }

    FetchResponse fetchResponse(String address, String topic, int partition, long offset) {
        FetchRequest request = FetchRequest.newBuilder().setMaxWaitMs(0).setMaxBytes(8 << 20)
                .addTopics(FetchTopic.newBuilder().setTopic(topic).addPartitions(FetchPartition.newBuilder()
                        .setPartition(partition).setFetchOffset(offset).setPartitionMaxBytes(8 << 20)
                        .setCurrentLeaderEpoch(-1)))
                .build();
        return ConsumerServiceGrpc.newBlockingStub(channel(address)).withDeadlineAfter(60, TimeUnit.SECONDS)
                .fetch(request);
    }

    /** Every value from {@code offset} up to the high watermark, in order, read from {@code address}. */
    List<String> readAll(String address, String topic, int partition) {
        List<String> values = new ArrayList<>();
        long next = 0;
        while (true) {
            FetchPartitionResponse response = fetch(address, topic, partition, next);
            if (response.getErrorCodeValue() != 0) {
                throw new IllegalStateException("fetch failed: " + response.getErrorCode() + " "
                        + response.getErrorMessage());
            }
            for (Record record : RecordBatches.records(response.getRecords().asReadOnlyByteBuffer())) {
                if (record.offset() >= next) {
                    values.add(new String(record.value(), StandardCharsets.UTF_8));
                    next = record.offset() + 1;
                }
            }
            if (next >= response.getHighWatermark()) {
                return values;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (ManagedChannel channel : channels.values()) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
