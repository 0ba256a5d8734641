package io.sluice.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.proto.v1.Acks;
import io.sluice.proto.v1.CreateTopicResult;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.PartitionMetadata;
import io.sluice.proto.v1.PartitionProduceResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real node processes on loopback: a replicated topic survives the SIGKILL of a partition
 * leader (every acknowledged record is still there, writes continue on the new leader), the killed
 * node rejoins the ISR after a restart, and SIGTERM stops every node cleanly.
 */
class ClusterIT {
    private static final String TOPIC = "orders";
    private static final List<ErrorCode> NOTHING_APPENDED = List.of(ErrorCode.ERROR_CODE_LEADER_NOT_AVAILABLE,
            ErrorCode.ERROR_CODE_NOT_LEADER, ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION);

    @TempDir
    Path dir;

    @Test
    void acknowledgedRecordsSurviveTheLossOfALeader() throws Exception {
        try (NodeProcesses nodes = new NodeProcesses(dir, 3, Map.of("min.insync.replicas", "2"));
                RawClient client = new RawClient()) {
            nodes.startAll(180_000);
            String any = nodes.node(1).address();
            CreateTopicResult created = client.createTopic(any, TOPIC, 3, 3, Map.of());
            assertEquals(ErrorCode.ERROR_CODE_NONE, created.getErrorCode(), created.getErrorMessage());

            PartitionMetadata p0 = await(() -> fullyReplicated(client.partition(any, TOPIC, 0)), "3 in-sync replicas");
            List<String> acknowledged = new ArrayList<>();
            produceBatches(client, client.brokerAddress(any, p0.getLeaderId()), 0, 10, "a", acknowledged);
            assertEquals(acknowledged, client.readAll(client.brokerAddress(any, p0.getLeaderId()), TOPIC, 0));

            int oldLeader = p0.getLeaderId();
            nodes.kill(oldLeader);
            String survivor = nodes.node(oldLeader == 1 ? 2 : 1).address();
            PartitionMetadata moved = await(() -> {
                PartitionMetadata p = client.partition(survivor, TOPIC, 0);
                return p != null && p.getLeaderId() >= 0 && p.getLeaderId() != oldLeader ? p : null;
            }, "a new leader for partition 0");
            assertNotEquals(oldLeader, moved.getLeaderId());
            String newLeader = client.brokerAddress(survivor, moved.getLeaderId());
            produceBatches(client, newLeader, 0, 5, "b", acknowledged);
            assertEquals(acknowledged, client.readAll(newLeader, TOPIC, 0),
                    "every acknowledged record, in order, on the new leader");

            nodes.start(oldLeader);
            nodes.awaitReady(oldLeader, 180_000);
            await(() -> {
                PartitionMetadata p = client.partition(survivor, TOPIC, 0);
                return p != null && p.getIsrList().contains(oldLeader) ? p : null;
            }, "the restarted node back in the ISR");
            produceBatches(client, newLeader, 0, 1, "c", acknowledged);
            assertEquals(acknowledged, client.readAll(newLeader, TOPIC, 0));

            for (int id : nodes.ids()) {
                assertTrue(nodes.terminate(id, 60_000), "node " + id + " stops cleanly on SIGTERM");
            }
        }
    }

    private static PartitionMetadata fullyReplicated(PartitionMetadata p) {
        return p != null && p.getLeaderId() >= 0 && p.getIsrCount() == 3 ? p : null;
    }

    private static void produceBatches(RawClient client, String leader, int partition, int batches, String prefix,
            List<String> acknowledged) throws InterruptedException {
        for (int b = 0; b < batches; b++) {
            List<String> values = new ArrayList<>();
            for (int r = 0; r < 10; r++) {
                values.add(prefix + "-" + b + "-" + r);
            }
            // The metadata may name a leader before that broker applied it: refusals that append
            // nothing are retried, anything else must be a success.
            PartitionProduceResponse response = await(() -> {
                PartitionProduceResponse r = client.produce(leader, TOPIC, partition, Acks.ACKS_ALL, values);
                return NOTHING_APPENDED.contains(r.getErrorCode()) ? null : r;
            }, "the leader taking a write");
            assertEquals(ErrorCode.ERROR_CODE_NONE, response.getErrorCode(), response.getErrorMessage());
            assertEquals(acknowledged.size(), response.getBaseOffset(), "offsets follow each other");
            acknowledged.addAll(values);
        }
    }

    static <T> T await(Supplier<T> probe, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = probe.get();
                if (value != null) {
                    return value;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what, last);
    }

    static void assertContains(String text, String part) {
        assertTrue(text.contains(part), () -> "expected '" + part + "' in:\n" + text);
    }
}
