package io.sluice.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.sluice.proto.v1.Acks;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FetchResponse;
import io.sluice.proto.v1.PartitionProduceData;
import io.sluice.proto.v1.PartitionProduceResponse;
import io.sluice.proto.v1.ProduceRequest;
import io.sluice.proto.v1.ProducerServiceGrpc;
import io.sluice.proto.v1.TopicProduceData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real node process: bad input is answered with stable codes and loses nothing; data survives a
 * clean stop and a SIGKILL.
 */
class SingleNodeIT {
    @TempDir
    Path dir;

    @Test
    void badInputIsRefusedAndDataSurvivesRestarts() throws Exception {
        try (NodeProcesses nodes = new NodeProcesses(dir, 1, Map.of()); RawClient client = new RawClient()) {
            nodes.startAll(180_000);
            String node = nodes.node(1).address();
            assertEquals(ErrorCode.ERROR_CODE_NONE, client.createTopic(node, "events", 1, 1, Map.of()).getErrorCode());
            assertEquals(ErrorCode.ERROR_CODE_TOPIC_ALREADY_EXISTS,
                    client.createTopic(node, "events", 1, 1, Map.of()).getErrorCode());
            assertEquals(ErrorCode.ERROR_CODE_INVALID_TOPIC,
                    client.createTopic(node, "no spaces", 1, 1, Map.of()).getErrorCode());
            assertEquals(ErrorCode.ERROR_CODE_INVALID_REPLICATION_FACTOR,
                    client.createTopic(node, "too-many", 1, 3, Map.of()).getErrorCode());
            assertEquals(ErrorCode.ERROR_CODE_INVALID_CONFIG,
                    client.createTopic(node, "bad-config", 1, 1, Map.of("retention.ms", "soon")).getErrorCode());
            ClusterIT.await(() -> {
                var p = client.partition(node, "events", 0);
                return p != null && p.getLeaderId() == 1 ? p : null;
            }, "a leader");

            List<String> acknowledged = new ArrayList<>(List.of("one", "two", "three"));
            PartitionProduceResponse first = client.produce(node, "events", 0, Acks.ACKS_ALL, acknowledged);
            assertEquals(ErrorCode.ERROR_CODE_NONE, first.getErrorCode(), first.getErrorMessage());

            assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION,
                    client.produce(node, "missing", 0, Acks.ACKS_ALL, List.of("x")).getErrorCode());
            assertEquals(ErrorCode.ERROR_CODE_CORRUPT_BATCH, produceCorruptBatch(client, node).getErrorCode());
            FetchResponse negative = client.fetchResponse(node, "events", 0, -5);
            assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, negative.getErrorCode(), negative.getErrorMessage());
            assertEquals(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE,
                    client.fetch(node, "events", 0, 1000).getErrorCode());
            assertEquals(acknowledged, client.readAll(node, "events", 0), "bad input changed nothing");

            assertTrue(nodes.terminate(1, 60_000), "a clean stop on SIGTERM");
            nodes.start(1);
            nodes.awaitReady(1, 180_000);
            assertEquals(acknowledged, ClusterIT.await(() -> readIfLeader(client, node), "data after a clean restart"));

            acknowledged.add("four");
            assertEquals(ErrorCode.ERROR_CODE_NONE,
                    client.produce(node, "events", 0, Acks.ACKS_ALL, List.of("four")).getErrorCode());
            nodes.kill(1);
            nodes.start(1);
            nodes.awaitReady(1, 180_000);
            assertEquals(acknowledged, ClusterIT.await(() -> readIfLeader(client, node), "data after SIGKILL"));
        }
    }

    private static List<String> readIfLeader(RawClient client, String node) {
        var p = client.partition(node, "events", 0);
        return p != null && p.getLeaderId() == 1 ? client.readAll(node, "events", 0) : null;
    }

    private static PartitionProduceResponse produceCorruptBatch(RawClient client, String node) {
        java.nio.ByteBuffer built = new io.sluice.record.RecordBatchBuilder(io.sluice.record.CompressionType.NONE)
                .append(1L, null, "corrupt me".getBytes(java.nio.charset.StandardCharsets.UTF_8)).build();
        byte[] batch = new byte[built.remaining()];
        built.get(batch);
        batch[batch.length - 1] ^= 0x40;
        ProduceRequest request = ProduceRequest.newBuilder().setAcks(Acks.ACKS_ALL)
                .addTopics(TopicProduceData.newBuilder().setTopic("events").addPartitions(PartitionProduceData
                        .newBuilder().setPartition(0).setRecords(ByteString.copyFrom(batch))))
                .build();
        return ProducerServiceGrpc.newBlockingStub(client.channel(node)).withDeadlineAfter(30, TimeUnit.SECONDS)
                .produce(request).getTopics(0).getPartitions(0);
    }
}
