package io.sluice.client.producer.internal;

import io.grpc.Status;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.internal.network.FakeTransport;
import io.sluice.client.internal.network.HostPort;
import io.sluice.proto.v1.BrokerMetadata;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.InitProducerIdRequest;
import io.sluice.proto.v1.InitProducerIdResponse;
import io.sluice.proto.v1.LeaderHint;
import io.sluice.proto.v1.MetadataRequest;
import io.sluice.proto.v1.MetadataResponse;
import io.sluice.proto.v1.MetadataServiceGrpc;
import io.sluice.proto.v1.PartitionMetadata;
import io.sluice.proto.v1.PartitionProduceData;
import io.sluice.proto.v1.PartitionProduceResponse;
import io.sluice.proto.v1.ProduceRequest;
import io.sluice.proto.v1.ProduceResponse;
import io.sluice.proto.v1.ProducerServiceGrpc;
import io.sluice.proto.v1.TopicMetadata;
import io.sluice.proto.v1.TopicProduceData;
import io.sluice.proto.v1.TopicProduceResponse;
import io.sluice.record.Record;
import io.sluice.record.RecordBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model of a cluster's produce path for producer tests: brokers with addresses, partitions with
 * a leader and leader epoch, one shared log per partition (replication is assumed perfect), and
 * idempotent-producer deduplication as the broker does it (the last 5 batches per producer and
 * partition; sequence gaps refused). Metadata and InitProducerId are answered at once through a
 * {@link FakeTransport}; produce requests wait on their streams until the test processes them.
 */
final class FakeProduceCluster {
    /** A batch as stored. */
    record Stored(long producerId, short epoch, int firstSequence, int lastSequence, long baseOffset,
            List<String> values) {
    }

    private record Dedup(int firstSequence, int lastSequence, long baseOffset) {
    }

    private static final class ProducerEntry {
        short epoch;
        final List<Dedup> batches = new ArrayList<>();
    }

    final FakeTransport transport = new FakeTransport();
    private final Map<Integer, HostPort> brokers = new LinkedHashMap<>();
    private final Map<String, Integer> partitionCounts = new LinkedHashMap<>();
    private final Map<TopicPartition, int[]> leaders = new HashMap<>();
    private final Map<TopicPartition, List<Stored>> logs = new HashMap<>();
    private final Map<TopicPartition, Map<Long, ProducerEntry>> producerStates = new HashMap<>();
    private long metadataVersion = 1;
    private short nextEpoch;
    int metadataRequests;
    int initRequests;

    FakeProduceCluster() {
        transport.respondTo(MetadataServiceGrpc.getMetadataMethod(),
                (to, request) -> metadata((MetadataRequest) request));
        transport.respondTo(ProducerServiceGrpc.getInitProducerIdMethod(),
                (to, request) -> initProducerId((InitProducerIdRequest) request));
    }

    FakeProduceCluster broker(int id) {
        brokers.put(id, new HostPort("broker" + id, 9092));
        return this;
    }

    HostPort address(int id) {
        return brokers.get(id);
    }

    FakeProduceCluster topic(String name, int partitions, int leader) {
        partitionCounts.put(name, partitions);
        for (int p = 0; p < partitions; p++) {
            leaders.put(new TopicPartition(name, p), new int[] {leader, 0});
        }
        return this;
    }

    /** Moves leadership of {@code tp} to {@code broker} (-1: no leader), bumping the leader epoch. */
    void moveLeader(TopicPartition tp, int broker) {
        int[] l = leaders.get(tp);
        l[0] = broker;
        l[1]++;
        metadataVersion++;
    }

    private MetadataResponse metadata(MetadataRequest request) {
        metadataRequests++;
        MetadataResponse.Builder b = MetadataResponse.newBuilder().setClusterId("fake").setControllerId(1)
                .setMetadataVersion(metadataVersion);
        brokers.forEach((id, address) -> b.addBrokers(BrokerMetadata.newBuilder().setBrokerId(id)
                .setEndpoint(Endpoint.newBuilder().setHost(address.host()).setPort(address.port()))
                .setState(BrokerState.BROKER_STATE_ACTIVE)));
        for (String topic : request.getTopicsList()) {
            Integer count = partitionCounts.get(topic);
            if (count == null) {
                b.addTopics(TopicMetadata.newBuilder().setName(topic)
                        .setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION));
                continue;
            }
            TopicMetadata.Builder t = TopicMetadata.newBuilder().setName(topic).setTopicId("id-" + topic);
            for (int p = 0; p < count; p++) {
                int[] l = leaders.get(new TopicPartition(topic, p));
                t.addPartitions(PartitionMetadata.newBuilder().setPartition(p).setLeaderId(l[0]).setLeaderEpoch(l[1])
                        .addAllReplicas(brokers.keySet()).addAllIsr(brokers.keySet()));
            }
            b.addTopics(t);
        }
        return b.build();
    }

    private InitProducerIdResponse initProducerId(InitProducerIdRequest request) {
        initRequests++;
        short epoch = nextEpoch++;
        return InitProducerIdResponse.newBuilder().setProducerId(1000).setProducerEpoch(epoch).build();
    }

    /** Takes the oldest unprocessed request sent to {@code broker}, or null. */
    ProduceRequest take(int broker) {
        FakeTransport.Stream stream = transport.openStream(brokers.get(broker));
        return stream == null ? null : stream.takeRequest();
    }

    /** Requests sent to {@code broker} on its open stream and not yet taken. */
    int waiting(int broker) {
        FakeTransport.Stream stream = transport.openStream(brokers.get(broker));
        return stream == null ? 0 : stream.pendingRequests();
    }

    /** Handles the request as {@code broker} would and sends the answer. */
    void process(int broker, ProduceRequest request) {
        transport.openStream(brokers.get(broker)).respond(handle(broker, request));
    }

    /** Takes and handles the oldest request sent to {@code broker}; false if there was none. */
    boolean processNext(int broker) {
        ProduceRequest request = take(broker);
        if (request == null) {
            return false;
        }
        process(broker, request);
        return true;
    }

    /** Answers every partition of {@code request} with {@code code}, appending nothing. */
    void refuse(int broker, ProduceRequest request, ErrorCode code) {
        ProduceResponse.Builder response = ProduceResponse.newBuilder().setCorrelationId(request.getCorrelationId());
        for (TopicProduceData t : request.getTopicsList()) {
            TopicProduceResponse.Builder tr = TopicProduceResponse.newBuilder().setTopic(t.getTopic());
            for (PartitionProduceData p : t.getPartitionsList()) {
                tr.addPartitions(PartitionProduceResponse.newBuilder().setPartition(p.getPartition())
                        .setErrorCode(code).setBaseOffset(-1));
            }
            response.addTopics(tr);
        }
        transport.openStream(brokers.get(broker)).respond(response.build());
    }

    /** Breaks the connection to {@code broker}: its open stream fails, unprocessed requests are lost. */
    void breakStream(int broker) {
        FakeTransport.Stream stream = transport.openStream(brokers.get(broker));
        if (stream != null) {
            stream.fail(Status.UNAVAILABLE.withDescription("connection reset"));
        }
    }

    /** Handles (appends) the request but loses the answer. */
    void processAndLoseAnswer(int broker, ProduceRequest request) {
        handle(broker, request);
    }

    ProduceResponse handle(int broker, ProduceRequest request) {
        ProduceResponse.Builder response = ProduceResponse.newBuilder().setCorrelationId(request.getCorrelationId());
        for (TopicProduceData t : request.getTopicsList()) {
            TopicProduceResponse.Builder tr = TopicProduceResponse.newBuilder().setTopic(t.getTopic());
            for (PartitionProduceData p : t.getPartitionsList()) {
                tr.addPartitions(handlePartition(broker, new TopicPartition(t.getTopic(), p.getPartition()),
                        RecordBatch.wrap(p.getRecords().toByteArray())));
            }
            response.addTopics(tr);
        }
        return response.build();
    }

    private PartitionProduceResponse handlePartition(int broker, TopicPartition tp, RecordBatch batch) {
        PartitionProduceResponse.Builder r = PartitionProduceResponse.newBuilder().setPartition(tp.partition())
                .setBaseOffset(-1).setLogAppendTimeMs(-1);
        int[] leader = leaders.get(tp);
        if (leader[0] != broker) {
            HostPort address = brokers.get(leader[0]);
            LeaderHint.Builder hint = LeaderHint.newBuilder().setLeaderId(leader[0]).setLeaderEpoch(leader[1]);
            if (address != null) {
                hint.setEndpoint(Endpoint.newBuilder().setHost(address.host()).setPort(address.port()));
            }
            return r.setErrorCode(ErrorCode.ERROR_CODE_NOT_LEADER).setCurrentLeader(hint).build();
        }
        batch.validate(Integer.MAX_VALUE);
        Map<Long, ProducerEntry> states = producerStates.computeIfAbsent(tp, k -> new HashMap<>());
        long pid = batch.producerId();
        ProducerEntry entry = pid < 0 ? null : states.get(pid);
        int first = batch.baseSequence();
        int last = batch.lastSequence();
        if (pid >= 0) {
            ErrorCode refusal = checkSequence(entry, batch.producerEpoch(), first);
            if (refusal != null) {
                return r.setErrorCode(refusal).build();
            }
            if (entry != null && entry.epoch == batch.producerEpoch()) {
                for (Dedup d : entry.batches) {
                    if (d.firstSequence == first && d.lastSequence == last) {
                        return r.setBaseOffset(d.baseOffset).setLogStartOffset(0).build();
                    }
                }
                int expected = entry.batches.get(entry.batches.size() - 1).lastSequence + 1;
                if (first != expected) {
                    return r.setErrorCode(ErrorCode.ERROR_CODE_OUT_OF_ORDER_SEQUENCE).build();
                }
            }
        }
        List<Stored> log = logs.computeIfAbsent(tp, k -> new ArrayList<>());
        long base = log.isEmpty() ? 0 : log.get(log.size() - 1).baseOffset + log.get(log.size() - 1).values.size();
        List<String> values = new ArrayList<>();
        for (Record record : batch.records()) {
            values.add(new String(record.value(), StandardCharsets.UTF_8));
        }
        log.add(new Stored(pid, batch.producerEpoch(), first, last, base, values));
        if (pid >= 0) {
            ProducerEntry e = states.computeIfAbsent(pid, k -> new ProducerEntry());
            if (e.epoch != batch.producerEpoch()) {
                e.epoch = batch.producerEpoch();
                e.batches.clear();
            }
            e.batches.add(new Dedup(first, last, base));
            if (e.batches.size() > 5) {
                e.batches.remove(0);
            }
        }
        return r.setBaseOffset(base).setLogStartOffset(0).build();
    }

    private static ErrorCode checkSequence(ProducerEntry entry, short epoch, int first) {
        if (entry == null) {
            return first == 0 ? null : ErrorCode.ERROR_CODE_UNKNOWN_PRODUCER_ID;
        }
        if (epoch < entry.epoch) {
            return ErrorCode.ERROR_CODE_PRODUCER_FENCED;
        }
        if (epoch > entry.epoch && first != 0) {
            return ErrorCode.ERROR_CODE_OUT_OF_ORDER_SEQUENCE;
        }
        return null;
    }

    /** The stored batches of {@code tp}. */
    List<Stored> log(TopicPartition tp) {
        return logs.getOrDefault(tp, List.of());
    }

    /** The values stored in {@code tp}, in offset order. */
    List<String> values(TopicPartition tp) {
        List<String> out = new ArrayList<>();
        for (Stored s : log(tp)) {
            out.addAll(s.values);
        }
        return out;
    }
}
