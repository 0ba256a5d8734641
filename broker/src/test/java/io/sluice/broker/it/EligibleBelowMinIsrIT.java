package io.sluice.broker.it;

import static io.sluice.broker.it.ClusterIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.proto.v1.CreateTopicResult;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.PartitionMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KIP-966's eligible leaders below min.insync.replicas, with real node processes. Node 1, the only
 * voter, keeps the metadata quorum; the partition lives on broker-only nodes 2 (preferred leader), 3
 * and 4 with min.insync.replicas=2. Broker 4 is SIGKILLed (ISR {2, 3}, still at the minimum, writes
 * acknowledged), then broker 3 (ISR {2}, below it: the high watermark stands still, so broker 3 keeps
 * every committed record and is listed as an eligible leader although the ISR is not empty). Then
 * the leader is SIGKILLed and comes back as after a power loss (its log may have lost writes): it is
 * dropped from the eligible leaders and the partition stays offline. When broker 3 returns, it is
 * elected, and once the ISR is back at the minimum every acknowledged value is read back, in order,
 * and nothing that was not sent. With only the last ISR members eligible (before this rule), broker 3 would never
 * have been, and the partition would have stayed offline (chaos seed 402, docs/chaos.md).
 */
class EligibleBelowMinIsrIT {
    private static final String TOPIC = "below-min";
    private static final int LEADER = 2;
    private static final int SECOND = 3;
    private static final int THIRD = 4;

    @TempDir
    Path dir;

    @Test
    void aReplicaThatLeftAnIsrBelowTheMinimumLeadsCleanlyWhenTheLastOneLostWrites() throws Exception {
        try (NodeProcesses nodes = new NodeProcesses(dir.resolve("cluster"), 4, 1, Map.of());
                RawClient client = new RawClient()) {
            nodes.startAll(180_000);
            nodes.step("cluster ready: voter 1, brokers 2, 3 and 4");
            String any = nodes.node(1).address();
            CreateTopicResult created = client.createAssigned(any, TOPIC, List.of(LEADER, SECOND, THIRD),
                    Map.of("min.insync.replicas", "2"));
            assertEquals(ErrorCode.ERROR_CODE_NONE, created.getErrorCode(), created.getErrorMessage());
            await(() -> client.inSync(any, TOPIC, 0, 3), "three replicas in sync");
            List<String> values = new ArrayList<>();
            produce(client, any, "three", values);

            nodes.kill(THIRD);
            PartitionMetadata two = awaitIsr(client, any, List.of(LEADER, SECOND));
            assertEquals(List.of(), two.getEligibleLeaderReplicasList(), "at the minimum nobody is kept: " + two);
            produce(client, any, "two", values);
            nodes.step("broker " + THIRD + " killed; writes acknowledged by " + LEADER + " and " + SECOND);

            nodes.kill(SECOND);
            PartitionMetadata one = awaitIsr(client, any, List.of(LEADER));
            assertEquals(List.of(SECOND), one.getEligibleLeaderReplicasList(),
                    "the replica that took the ISR below the minimum stays eligible: " + one);
            nodes.step("broker " + SECOND + " killed; ISR {" + LEADER + "}, eligible " + SECOND);

            nodes.kill(LEADER);
            PartitionMetadata offline = await(() -> {
                PartitionMetadata p = client.partition(any, TOPIC, 0);
                return p != null && p.getLeaderId() < 0 ? p : null;
            }, "the partition offline");
            assertEquals(List.of(), offline.getIsrList(), offline.toString());
            assertEquals(List.of(SECOND, LEADER), offline.getEligibleLeaderReplicasList(), offline.toString());
            Files.writeString(nodes.dataDir(LEADER).resolve("logs").resolve("boot-id"), "an-earlier-boot\n");
            nodes.start(LEADER);
            nodes.awaitReady(LEADER, 180_000);
            ClusterIT.assertContains(nodes.log(LEADER), "the machine has restarted since");
            for (int i = 0; i < 10; i++) {
                PartitionMetadata p = client.partition(any, TOPIC, 0);
                assertEquals(-1, p.getLeaderId(), "a leader whose log may have lost writes was elected: " + p);
                assertEquals(List.of(SECOND), p.getEligibleLeaderReplicasList(), p.toString());
                Thread.sleep(500);
            }
            nodes.step("leader " + LEADER + " back after a power loss: not eligible, the partition stays offline");

            nodes.start(SECOND);
            nodes.awaitReady(SECOND, 180_000);
            PartitionMetadata led = await(() -> client.withLeader(any, TOPIC, 0), "a leader");
            assertEquals(SECOND, led.getLeaderId(), "the eligible replica is elected: " + led);
            nodes.start(THIRD);
            nodes.awaitReady(THIRD, 180_000);
            PartitionMetadata healed = await(() -> {
                PartitionMetadata p = client.withLeader(any, TOPIC, 0);
                return p != null && p.getIsrCount() >= 2 ? p : null;
            }, "the ISR back at the minimum");
            assertEquals(List.of(), healed.getEligibleLeaderReplicasList(), "back at the minimum: " + healed);
            String leader = client.brokerAddress(any, healed.getLeaderId());
            List<String> read = await(() -> {
                List<String> all = client.readAll(leader, TOPIC, 0);
                return all.size() >= values.size() ? all : null;
            }, "every acknowledged value readable");
            // A retried send may have been appended twice (these raw sends are not idempotent).
            assertEquals(values, List.copyOf(new LinkedHashSet<>(read)),
                    "every acknowledged value, in order, and nothing that was not sent");
            nodes.step("broker " + SECOND + " elected; all " + values.size() + " acknowledged values read back");
        }
    }

    private static PartitionMetadata awaitIsr(RawClient client, String any, List<Integer> isr)
            throws InterruptedException {
        return await(() -> {
            PartitionMetadata p = client.withLeader(any, TOPIC, 0);
            return p != null && p.getLeaderId() == LEADER && p.getIsrList().equals(isr) ? p : null;
        }, "the ISR " + isr);
    }

    private static void produce(RawClient client, String any, String prefix, List<String> values)
            throws InterruptedException {
        for (int b = 0; b < 3; b++) {
            List<String> batch = List.of(prefix + "-" + b + "-0", prefix + "-" + b + "-1");
            assertTrue(await(() -> {
                PartitionMetadata p = client.withLeader(any, TOPIC, 0);
                return p == null ? null : client.produceOrNull(client.brokerAddress(any, p.getLeaderId()), TOPIC, 0,
                        RawClient.batch(batch));
            }, "an acknowledged write") != null);
            values.addAll(batch);
        }
    }
}
