package io.sluice.broker.server.dataplane.sim;

import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FetchPartition;
import io.sluice.proto.v1.FetchPartitionResponse;
import io.sluice.proto.v1.FetchRequest;
import io.sluice.proto.v1.FetchTopic;
import io.sluice.record.Record;
import io.sluice.record.RecordBatches;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A consumer of one partition: long-polls the leader the controller names from the offset after the
 * last record it saw, and remembers every record seen (offset to value). Checks on the spot that no
 * answer holds a record at or above the high watermark it reports; the final check verifies that
 * every record seen is in the final log at the same offset (a consumer never saw an uncommitted
 * record).
 */
final class SimConsumer {
    private final SimCluster cluster;
    private final int clientId;
    private final String topic;
    private final TopicIdPartition id;
    private final Map<Long, String> seen = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private long nextOffset;
    private long attempt;
    private boolean waiting;
    private long deadlineMs;

    SimConsumer(SimCluster cluster, int clientId, String topic, TopicIdPartition id) {
        this.cluster = cluster;
        this.clientId = clientId;
        this.topic = topic;
        this.id = id;
    }

    void tick(long nowMs) {
        if (waiting && nowMs < deadlineMs) {
            return;
        }
        PartitionRecord record = cluster.controller().partition(id);
        int leader = record.getLeader();
        if (leader < 0 || !cluster.broker(leader).isUp()) {
            waiting = false;
            return;
        }
        long thisAttempt = ++attempt;
        waiting = true;
        deadlineMs = nowMs + 1_000;
        FetchRequest request = FetchRequest.newBuilder().setMaxWaitMs(50).setMinBytes(1).setMaxBytes(4096)
                .addTopics(FetchTopic.newBuilder().setTopic(topic).addPartitions(FetchPartition.newBuilder()
                        .setPartition(id.partition()).setFetchOffset(nextOffset).setCurrentLeaderEpoch(-1)
                        .setPartitionMaxBytes(2048)))
                .build();
        cluster.network().send(clientId, leader, () -> {
            SimBroker broker = cluster.broker(leader);
            if (broker.isUp()) {
                broker.process().fetch(request, response -> cluster.network().send(leader, clientId, () -> {
                    if (thisAttempt == attempt) {
                        waiting = false;
                        if (response.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                            onAnswer(response.getTopics(0).getPartitions(0));
                        }
                    }
                }));
            }
        });
    }

    private void onAnswer(FetchPartitionResponse answer) {
        if (answer.getErrorCode() == ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE) {
            failures.add("consumer of " + id + " at offset " + nextOffset + " got OFFSET_OUT_OF_RANGE: "
                    + answer.getErrorMessage());
            return;
        }
        if (answer.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            return;
        }
        for (Record r : RecordBatches.records(answer.getRecords().asReadOnlyByteBuffer())) {
            if (r.offset() >= answer.getHighWatermark()) {
                failures.add("consumer of " + id + " got offset " + r.offset() + " at or above the high watermark "
                        + answer.getHighWatermark());
            }
            if (r.offset() >= nextOffset) {
                seen.put(r.offset(), new String(r.value(), StandardCharsets.UTF_8));
                nextOffset = r.offset() + 1;
            }
        }
    }

    Map<Long, String> seen() {
        return seen;
    }

    List<String> failures() {
        return failures;
    }

    TopicIdPartition partition() {
        return id;
    }
}
