package io.sluice.broker.server.groups;

import io.grpc.ManagedChannel;
import io.sluice.broker.group.LogEndOffsets;
import io.sluice.broker.group.PartitionOffsets;
import io.sluice.broker.group.TopicIdPartition;
import io.sluice.metastore.MetaStore;
import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.TopicImage;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.v1.AdminServiceGrpc;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.ListOffsetsPartition;
import io.sluice.proto.v1.ListOffsetsPartitionResponse;
import io.sluice.proto.v1.ListOffsetsRequest;
import io.sluice.proto.v1.ListOffsetsResponse;
import io.sluice.proto.v1.ListOffsetsTopic;
import io.sluice.proto.v1.ListOffsetsTopicResponse;
import io.sluice.proto.v1.OffsetSpec;
import io.sluice.protocol.TransportBuffers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Log start offsets and high watermarks for lag, asked of each partition's leader with ListOffsets
 * (earliest and latest). Partitions without a leader, or whose leader does not answer in time, are
 * left out of the result: their lag is unknown. Thread-safe; channels are cached per broker address.
 */
public final class LeaderOffsetsLookup implements LogEndOffsets, AutoCloseable {
    private static final long TIMEOUT_MS = 10_000;

    private final MetaStore store;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    public LeaderOffsetsLookup(MetaStore store) {
        this.store = store;
    }

    @Override
    public CompletableFuture<Map<TopicIdPartition, PartitionOffsets>> lookup(Set<TopicIdPartition> partitions) {
        MetadataImage image = store.image();
        Map<Integer, List<TopicIdPartition>> byLeader = new HashMap<>();
        for (TopicIdPartition p : partitions) {
            PartitionRecord record = image.partition(p.topicId(), p.partition());
            if (record != null && record.getLeader() >= 0 && image.broker(record.getLeader()) != null) {
                byLeader.computeIfAbsent(record.getLeader(), k -> new ArrayList<>()).add(p);
            }
        }
        Map<TopicIdPartition, PartitionOffsets> result = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        byLeader.forEach((leader, list) -> calls.add(askLeader(image, image.broker(leader), list, result)));
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> Map.copyOf(result));
    }

    private CompletableFuture<Void> askLeader(MetadataImage image, BrokerRecord leader, List<TopicIdPartition> list,
            Map<TopicIdPartition, PartitionOffsets> result) {
        CompletableFuture<ListOffsetsResponse> earliest =
                call(leader, request(image, list, OffsetSpec.OFFSET_SPEC_EARLIEST));
        CompletableFuture<ListOffsetsResponse> latest =
                call(leader, request(image, list, OffsetSpec.OFFSET_SPEC_LATEST));
        return earliest.thenCombine(latest, (start, end) -> {
            Map<String, Long> starts = offsets(start);
            Map<String, Long> ends = offsets(end);
            for (TopicIdPartition p : list) {
                TopicImage topic = image.topic(p.topicId());
                String key = topic.name() + "-" + p.partition();
                if (starts.containsKey(key) && ends.containsKey(key)) {
                    result.put(p, new PartitionOffsets(starts.get(key), ends.get(key)));
                }
            }
            return (Void) null;
        }).exceptionally(error -> null);
    }

    private static ListOffsetsRequest request(MetadataImage image, List<TopicIdPartition> list, OffsetSpec spec) {
        Map<String, ListOffsetsTopic.Builder> topics = new HashMap<>();
        for (TopicIdPartition p : list) {
            TopicImage topic = image.topic(p.topicId());
            topics.computeIfAbsent(topic.name(), name -> ListOffsetsTopic.newBuilder().setName(name))
                    .addPartitions(ListOffsetsPartition.newBuilder().setPartition(p.partition()).setSpec(spec)
                            .setCurrentLeaderEpoch(-1));
        }
        ListOffsetsRequest.Builder request = ListOffsetsRequest.newBuilder();
        topics.values().forEach(request::addTopics);
        return request.build();
    }

    private static Map<String, Long> offsets(ListOffsetsResponse response) {
        Map<String, Long> out = new HashMap<>();
        for (ListOffsetsTopicResponse topic : response.getTopicsList()) {
            for (ListOffsetsPartitionResponse p : topic.getPartitionsList()) {
                if (p.getErrorCode() == ErrorCode.ERROR_CODE_NONE && p.getOffset() >= 0) {
                    out.put(topic.getName() + "-" + p.getPartition(), p.getOffset());
                }
            }
        }
        return out;
    }

    private CompletableFuture<ListOffsetsResponse> call(BrokerRecord broker, ListOffsetsRequest request) {
        String address = broker.getEndpoint().getHost() + ":" + broker.getEndpoint().getPort();
        ManagedChannel channel = channels.computeIfAbsent(address, a -> TransportBuffers
                .plaintextChannel(broker.getEndpoint().getHost(), broker.getEndpoint().getPort()).build());
        CompletableFuture<ListOffsetsResponse> answer = new CompletableFuture<>();
        AdminServiceGrpc.newStub(channel).withDeadlineAfter(TIMEOUT_MS, TimeUnit.MILLISECONDS).listOffsets(request,
                new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(ListOffsetsResponse value) {
                        answer.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        answer.complete(ListOffsetsResponse.getDefaultInstance());
                    }
                });
        return answer;
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
