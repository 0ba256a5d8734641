package io.sluice.client.consumer.internal;

import com.google.protobuf.ByteString;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.internal.metadata.TestClusters;
import io.sluice.client.internal.network.FakeTransport;
import io.sluice.client.internal.network.HostPort;
import io.sluice.proto.v1.AdminServiceGrpc;
import io.sluice.proto.v1.ConsumerServiceGrpc;
import io.sluice.proto.v1.Coordinator;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FetchPartition;
import io.sluice.proto.v1.FetchPartitionResponse;
import io.sluice.proto.v1.FetchRequest;
import io.sluice.proto.v1.FetchResponse;
import io.sluice.proto.v1.FetchTopic;
import io.sluice.proto.v1.FetchTopicResponse;
import io.sluice.proto.v1.FindCoordinatorResponse;
import io.sluice.proto.v1.GroupServiceGrpc;
import io.sluice.proto.v1.LeaderHint;
import io.sluice.proto.v1.ListOffsetsPartition;
import io.sluice.proto.v1.ListOffsetsPartitionResponse;
import io.sluice.proto.v1.ListOffsetsRequest;
import io.sluice.proto.v1.ListOffsetsResponse;
import io.sluice.proto.v1.ListOffsetsTopic;
import io.sluice.proto.v1.ListOffsetsTopicResponse;
import io.sluice.proto.v1.MetadataRequest;
import io.sluice.proto.v1.MetadataResponse;
import io.sluice.proto.v1.MetadataServiceGrpc;
import io.sluice.proto.v1.OffsetCommitPartition;
import io.sluice.proto.v1.OffsetCommitPartitionResponse;
import io.sluice.proto.v1.OffsetCommitRequest;
import io.sluice.proto.v1.OffsetCommitResponse;
import io.sluice.proto.v1.OffsetCommitTopic;
import io.sluice.proto.v1.OffsetCommitTopicResponse;
import io.sluice.proto.v1.OffsetFetchPartitionResponse;
import io.sluice.proto.v1.OffsetFetchRequest;
import io.sluice.proto.v1.OffsetFetchResponse;
import io.sluice.proto.v1.OffsetFetchTopic;
import io.sluice.proto.v1.OffsetFetchTopicResponse;
import io.sluice.proto.v1.OffsetSpec;
import io.sluice.proto.v1.TopicMetadata;
import io.sluice.record.CompressionType;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model of the read side of a cluster for consumer tests, answering through a
 * {@link FakeTransport} at once: metadata, fetch (whole batches from the one containing the fetch
 * offset, up to the high watermark), list offsets, find coordinator (broker 1), and offset
 * commit/fetch. Heartbeats are left pending for the test. Partitions have a leader each; a fetch
 * or list-offsets at another broker gets NOT_LEADER with a hint. Public for the facade's tests,
 * which run a real consumer (with its background thread) over it.
 */
public final class FakeConsumerCluster {
    private record Stored(long baseOffset, long nextOffset, long maxTimestamp, byte[] bytes) {
    }

    public final FakeTransport transport = new FakeTransport();
    private final Map<String, int[]> leaders = new LinkedHashMap<>();
    private final Map<TopicPartition, List<Stored>> logs = new HashMap<>();
    private final Map<TopicPartition, Long> logStart = new HashMap<>();
    final Map<TopicPartition, Long> committed = new LinkedHashMap<>();
    final List<OffsetCommitRequest> commitRequests = new ArrayList<>();
    final List<FetchRequest> fetchRequests = new ArrayList<>();
    int leaderEpoch;

    public FakeConsumerCluster() {
        transport.respondTo(MetadataServiceGrpc.getMetadataMethod(), (to, r) -> metadata((MetadataRequest) r));
        transport.respondTo(GroupServiceGrpc.getFindCoordinatorMethod(), (to, r) -> FindCoordinatorResponse.newBuilder()
                .addCoordinators(Coordinator.newBuilder().setGroupId("g").setNodeId(1)
                        .setEndpoint(Endpoint.newBuilder().setHost("broker1").setPort(9092))).build());
        transport.respondTo(ConsumerServiceGrpc.getFetchMethod(), (to, r) -> fetch(to, (FetchRequest) r));
        transport.respondTo(AdminServiceGrpc.getListOffsetsMethod(),
                (to, r) -> listOffsets(to, (ListOffsetsRequest) r));
        transport.respondTo(GroupServiceGrpc.getOffsetCommitMethod(), (to, r) -> commit((OffsetCommitRequest) r));
        transport.respondTo(GroupServiceGrpc.getOffsetFetchMethod(), (to, r) -> offsetFetch((OffsetFetchRequest) r));
    }

    static HostPort broker(int id) {
        return new HostPort("broker" + id, 9092);
    }

    /** A topic whose partition i is led by leaders[i]. */
    public FakeConsumerCluster topic(String name, int... partitionLeaders) {
        leaders.put(name, partitionLeaders.clone());
        return this;
    }

    void moveLeader(TopicPartition tp, int broker) {
        leaders.get(tp.topic())[tp.partition()] = broker;
        leaderEpoch++;
    }

    /** Appends one batch of {@code values} with timestamps starting at {@code firstTimestamp}. */
    public void append(TopicPartition tp, long firstTimestamp, String... values) {
        List<Stored> log = logs.computeIfAbsent(tp, k -> new ArrayList<>());
        long base = log.isEmpty() ? 0 : log.get(log.size() - 1).nextOffset;
        RecordBatchBuilder b = new RecordBatchBuilder(CompressionType.NONE);
        for (int i = 0; i < values.length; i++) {
            b.append(firstTimestamp + i, null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        ByteBuffer batch = b.build();
        RecordBatch.stampOffsetAndEpoch(batch, base, 0);
        byte[] bytes = new byte[batch.remaining()];
        batch.get(bytes);
        log.add(new Stored(base, base + values.length, firstTimestamp + values.length - 1, bytes));
    }

    /** Deletes records below {@code offset} (retention). */
    void deleteBefore(TopicPartition tp, long offset) {
        logStart.put(tp, offset);
        logs.get(tp).removeIf(s -> s.nextOffset <= offset);
    }

    long highWatermark(TopicPartition tp) {
        List<Stored> log = logs.getOrDefault(tp, List.of());
        return log.isEmpty() ? logStart.getOrDefault(tp, 0L) : log.get(log.size() - 1).nextOffset;
    }

    private MetadataResponse metadata(MetadataRequest request) {
        MetadataResponse.Builder b = TestClusters.response(3, 1);
        for (String topic : request.getTopicsList()) {
            int[] l = leaders.get(topic);
            if (l == null) {
                b.addTopics(TopicMetadata.newBuilder().setName(topic)
                        .setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION));
            } else {
                TopicMetadata t = TestClusters.topic(topic, l);
                TopicMetadata.Builder tb = t.toBuilder();
                for (int p = 0; p < l.length; p++) {
                    tb.setPartitions(p, t.getPartitions(p).toBuilder().setLeaderEpoch(leaderEpoch));
                }
                b.addTopics(tb);
            }
        }
        return b.build();
    }

    private boolean leads(HostPort to, TopicPartition tp) {
        return broker(leaders.get(tp.topic())[tp.partition()]).equals(to);
    }

    private LeaderHint hint(TopicPartition tp) {
        int id = leaders.get(tp.topic())[tp.partition()];
        return LeaderHint.newBuilder().setLeaderId(id).setLeaderEpoch(leaderEpoch)
                .setEndpoint(Endpoint.newBuilder().setHost("broker" + id).setPort(9092)).build();
    }

    private FetchResponse fetch(HostPort to, FetchRequest request) {
        fetchRequests.add(request);
        FetchResponse.Builder response = FetchResponse.newBuilder();
        for (FetchTopic t : request.getTopicsList()) {
            FetchTopicResponse.Builder tr = FetchTopicResponse.newBuilder().setTopic(t.getTopic());
            for (FetchPartition p : t.getPartitionsList()) {
                tr.addPartitions(fetchPartition(to, new TopicPartition(t.getTopic(), p.getPartition()),
                        p.getFetchOffset()));
            }
            response.addTopics(tr);
        }
        return response.build();
    }

    private FetchPartitionResponse fetchPartition(HostPort to, TopicPartition tp, long offset) {
        FetchPartitionResponse.Builder r = FetchPartitionResponse.newBuilder().setPartition(tp.partition());
        if (!leads(to, tp)) {
            return r.setErrorCode(ErrorCode.ERROR_CODE_NOT_LEADER).setCurrentLeader(hint(tp)).build();
        }
        long start = logStart.getOrDefault(tp, 0L);
        long hw = highWatermark(tp);
        if (offset < start || offset > hw) {
            return r.setErrorCode(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE).build();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Stored s : logs.getOrDefault(tp, List.of())) {
            if (s.nextOffset > offset) {
                out.writeBytes(s.bytes);
            }
        }
        return r.setHighWatermark(hw).setLastStableOffset(hw).setLogStartOffset(start)
                .setRecords(ByteString.copyFrom(out.toByteArray())).build();
    }

    ListOffsetsResponse listOffsets(HostPort to, ListOffsetsRequest request) {
        ListOffsetsResponse.Builder response = ListOffsetsResponse.newBuilder();
        for (ListOffsetsTopic t : request.getTopicsList()) {
            ListOffsetsTopicResponse.Builder tr = ListOffsetsTopicResponse.newBuilder().setName(t.getName());
            for (ListOffsetsPartition p : t.getPartitionsList()) {
                TopicPartition tp = new TopicPartition(t.getName(), p.getPartition());
                ListOffsetsPartitionResponse.Builder r = ListOffsetsPartitionResponse.newBuilder()
                        .setPartition(p.getPartition()).setLeaderEpoch(-1).setTimestampMs(-1);
                if (!leads(to, tp)) {
                    r.setErrorCode(ErrorCode.ERROR_CODE_NOT_LEADER).setCurrentLeader(hint(tp)).setOffset(-1);
                } else {
                    r.setOffset(lookUp(tp, p.getSpec(), p.getTimestampMs()));
                }
                tr.addPartitions(r);
            }
            response.addTopics(tr);
        }
        return response.build();
    }

    private long lookUp(TopicPartition tp, OffsetSpec spec, long timestamp) {
        if (spec == OffsetSpec.OFFSET_SPEC_EARLIEST) {
            return logStart.getOrDefault(tp, 0L);
        }
        if (spec == OffsetSpec.OFFSET_SPEC_LATEST) {
            return highWatermark(tp);
        }
        for (Stored s : logs.getOrDefault(tp, List.of())) {
            if (s.maxTimestamp >= timestamp) {
                long firstTimestamp = s.maxTimestamp - (s.nextOffset - s.baseOffset - 1);
                return s.baseOffset + Math.max(0, timestamp - firstTimestamp);
            }
        }
        return -1;
    }

    private OffsetCommitResponse commit(OffsetCommitRequest request) {
        commitRequests.add(request);
        OffsetCommitResponse.Builder response = OffsetCommitResponse.newBuilder();
        for (OffsetCommitTopic t : request.getTopicsList()) {
            OffsetCommitTopicResponse.Builder tr = OffsetCommitTopicResponse.newBuilder().setName(t.getName());
            for (OffsetCommitPartition p : t.getPartitionsList()) {
                committed.put(new TopicPartition(t.getName(), p.getPartition()), p.getCommittedOffset());
                tr.addPartitions(OffsetCommitPartitionResponse.newBuilder().setPartition(p.getPartition()));
            }
            response.addTopics(tr);
        }
        return response.build();
    }

    private OffsetFetchResponse offsetFetch(OffsetFetchRequest request) {
        OffsetFetchResponse.Builder response = OffsetFetchResponse.newBuilder();
        for (OffsetFetchTopic t : request.getTopicsList()) {
            OffsetFetchTopicResponse.Builder tr = OffsetFetchTopicResponse.newBuilder().setName(t.getName());
            for (int p : t.getPartitionsList()) {
                tr.addPartitions(OffsetFetchPartitionResponse.newBuilder().setPartition(p).setCommittedLeaderEpoch(-1)
                        .setCommittedOffset(committed.getOrDefault(new TopicPartition(t.getName(), p), -1L)));
            }
            response.addTopics(tr);
        }
        return response.build();
    }
}
