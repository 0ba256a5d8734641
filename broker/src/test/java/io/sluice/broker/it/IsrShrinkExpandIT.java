package io.sluice.broker.it;

import static io.sluice.broker.it.ClusterIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.broker.it.ReplicaLogs.Acked;
import io.sluice.proto.v1.Acks;
import io.sluice.proto.v1.PartitionMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower frozen with SIGSTOP leaves the ISR once it has not fetched for
 * {@code replica.lag.time.max.ms} (2 s here; the broker session timeout is set far longer, so the
 * leader's lag check removes it, not the controller fencing its broker), and acks=all writes go on
 * with the two remaining in-sync replicas (min.insync.replicas=2). After SIGCONT it catches up and
 * rejoins the ISR, and every acknowledged batch is on all three replicas, byte for byte.
 */
class IsrShrinkExpandIT {
    private static final String TOPIC = "isr";

    @TempDir
    Path dir;

    @Test
    void aFrozenFollowerLeavesTheIsrAndRejoinsAfterResuming() throws Exception {
        Map<String, String> settings = Map.of("replica.lag.time.max.ms", "2000", "broker.session.timeout.ms", "20000");
        try (NodeProcesses nodes = new NodeProcesses(dir, 3, settings); RawClient client = new RawClient()) {
            nodes.startAll(180_000);
            nodes.step("cluster ready");
            String any = nodes.node(1).address();
            PartitionMetadata initial = client.createInSync(any, TOPIC, 3);
            String topicId = client.topicId(any, TOPIC);
            int leader = initial.getLeaderId();
            int frozen = nodes.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
            String leaderAddress = nodes.node(leader).address();
            List<String> live = nodes.ids().stream().filter(id -> id != frozen).map(id -> nodes.node(id).address())
                    .toList();

            List<Acked> acked = new ArrayList<>();
            try (ProducerLoop producer = new ProducerLoop(client, live, TOPIC, 0, Acks.ACKS_ALL, "a")) {
                await(() -> producer.acknowledgedCount() >= 10 ? true : null, "10 acknowledged batches");
                nodes.pause(frozen);
                nodes.step("follower " + frozen + " frozen (SIGSTOP) after " + producer.acknowledgedCount()
                        + " batches");
                PartitionMetadata shrunk = await(() -> {
                    PartitionMetadata p = client.withLeader(leaderAddress, TOPIC, 0);
                    return p != null && p.getIsrCount() == 2 && !p.getIsrList().contains(frozen) ? p : null;
                }, "follower " + frozen + " out of the ISR");
                ClusterIT.assertContains(nodes.log(leader), "proposing ISR");
                int atShrink = producer.acknowledgedCount();
                nodes.step("ISR shrunk to " + shrunk.getIsrList() + " with " + atShrink + " batches acknowledged");
                await(() -> producer.acknowledgedCount() >= atShrink + 10 ? true : null,
                        "10 acks=all batches acknowledged with an ISR of 2");

                nodes.resume(frozen);
                nodes.step("follower " + frozen + " resumed (SIGCONT)");
                PartitionMetadata healed = await(() -> client.inSync(leaderAddress, TOPIC, 0, 3),
                        "follower " + frozen + " back in the ISR");
                int atExpand = producer.acknowledgedCount();
                nodes.step("ISR back to " + healed.getIsrList() + " with " + atExpand + " batches acknowledged");
                await(() -> producer.acknowledgedCount() >= atExpand + 5 ? true : null,
                        "5 more batches acknowledged with the full ISR");
                producer.close();
                assertEquals(List.of(), producer.fatalErrors(), "errors no retry can fix");
                acked.addAll(producer.acknowledged());
            }
            PartitionMetadata last = await(() -> client.inSync(leaderAddress, TOPIC, 0, 3), "a full ISR");
            acked.add(client.produceAcked(client.brokerAddress(leaderAddress, last.getLeaderId()), TOPIC, 0,
                    List.of("barrier")));
            ReplicaLogs.assertDistinctOffsets(acked);
            nodes.killAll();
            nodes.step("cluster killed; comparing the replicas' logs");
            ReplicaLogs.assertKilledReplicasAgree(nodes, topicId, 0, last.getIsrList(), acked);
        }
    }
}
