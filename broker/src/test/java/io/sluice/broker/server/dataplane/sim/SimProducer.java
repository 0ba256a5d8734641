package io.sluice.broker.server.dataplane.sim;

import com.google.protobuf.ByteString;
import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.protocol.ErrorCodes;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.v1.Acks;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.PartitionProduceData;
import io.sluice.proto.v1.PartitionProduceResponse;
import io.sluice.proto.v1.ProduceRequest;
import io.sluice.proto.v1.TopicProduceData;
import io.sluice.record.CompressionType;
import io.sluice.record.RecordBatchBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An idempotent acks=all producer for one partition, one batch in flight: it sends each batch to
 * the leader the controller names, and retries the same batch (same sequence) after a timeout or a
 * retriable error, so a batch is written at most once. It records every acknowledged batch (its
 * offset and record values) for the final check; a non-retriable error is a failure of the run.
 */
final class SimProducer {
    record Ack(long baseOffset, List<String> values) {
    }

    private final SimCluster cluster;
    private final int clientId;
    private final String topic;
    private final TopicIdPartition id;
    private final long producerId;
    private final Random random;
    private final List<Ack> acked = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private int nextSequence;
    private List<String> batchValues;
    private long attempt;
    private long retryAtMs;
    private long deadlineMs;
    private boolean waiting;
    private boolean stopped;

    SimProducer(SimCluster cluster, int clientId, String topic, TopicIdPartition id, Random random) {
        this.cluster = cluster;
        this.clientId = clientId;
        this.topic = topic;
        this.id = id;
        this.producerId = clientId;
        this.random = random;
    }

    /** Sends a new batch when idle and {@code produceMore}, or retries the one in flight when due. */
    void tick(long nowMs, boolean produceMore) {
        if (waiting && nowMs < deadlineMs) {
            return;
        }
        if (batchValues == null) {
            if (!produceMore || stopped || random.nextInt(4) != 0) {
                return;
            }
            int count = 1 + random.nextInt(3);
            batchValues = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                batchValues.add("p" + producerId + "-s" + (nextSequence + i));
            }
        }
        if (nowMs < retryAtMs) {
            return;
        }
        PartitionRecord record = cluster.controller().partition(id);
        if (record.getLeader() < 0 || !cluster.broker(record.getLeader()).isUp()) {
            retryAtMs = nowMs + 20;
            return;
        }
        send(record.getLeader(), nowMs);
    }

    private void send(int leader, long nowMs) {
        RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE).producer(producerId, (short) 0,
                nextSequence);
        for (String value : batchValues) {
            builder.append(cluster.clock().wallMs(), null, value.getBytes(StandardCharsets.UTF_8));
        }
        long thisAttempt = ++attempt;
        ProduceRequest request = ProduceRequest.newBuilder().setCorrelationId(thisAttempt).setAcks(Acks.ACKS_ALL)
                .setTimeoutMs(400)
                .addTopics(TopicProduceData.newBuilder().setTopic(topic).addPartitions(PartitionProduceData.newBuilder()
                        .setPartition(id.partition()).setRecords(ByteString.copyFrom(builder.build()))))
                .build();
        waiting = true;
        deadlineMs = nowMs + 1_000;
        cluster.network().send(clientId, leader, () -> {
            SimBroker broker = cluster.broker(leader);
            if (broker.isUp()) {
                broker.process().produce(request, response -> cluster.network().send(leader, clientId,
                        () -> onAnswer(thisAttempt, response.getErrorCode() != ErrorCode.ERROR_CODE_NONE
                                ? null : response.getTopics(0).getPartitions(0), response.getErrorCode())));
            }
        });
    }

    private void onAnswer(long answeredAttempt, PartitionProduceResponse answer, ErrorCode requestError) {
        if (answeredAttempt != attempt || !waiting) {
            return;
        }
        waiting = false;
        long now = cluster.clock().monotonicMs();
        ErrorCode code = answer == null ? requestError : answer.getErrorCode();
        if (code == ErrorCode.ERROR_CODE_NONE) {
            acked.add(new Ack(answer.getBaseOffset(), batchValues));
            nextSequence += batchValues.size();
            batchValues = null;
            return;
        }
        if (!ErrorCodes.isRetriable(code)) {
            // A correct broker never gives this producer a fatal error; record it and stop producing.
            failures.add("producer " + producerId + " got non-retriable " + code + ": "
                    + (answer == null ? "" : answer.getErrorMessage()));
            batchValues = null;
            stopped = true;
            return;
        }
        retryAtMs = now + 10 + random.nextInt(40);
    }

    boolean isIdle() {
        return batchValues == null;
    }

    List<Ack> acked() {
        return acked;
    }

    List<String> failures() {
        return failures;
    }

    TopicIdPartition partition() {
        return id;
    }
}
